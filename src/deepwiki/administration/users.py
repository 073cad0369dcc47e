"""User administration: roles, deactivation, deletion — admins only."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction

from deepwiki.accounts.models import Role, User
from deepwiki.accounts.services import account_label, tokens_revoke_all
from deepwiki.activity.models import Activity
from deepwiki.activity.services import activity_record
from deepwiki.core.generation import bump_content_generation
from deepwiki.wikis.permissions import require_admin


def user_set_role(*, actor: User, user: User, role: str) -> User:
    """Change a user's role; admins only, and never demote yourself."""
    require_admin(actor)
    if role not in Role.values:
        raise ValidationError(
            {"role": [f"Role must be one of {', '.join(Role.values)}."]}
        )
    if user.pk == actor.pk and role != Role.ADMIN:
        raise ValidationError({"role": ["You cannot remove your own admin role."]})
    if user.role == role:
        return user
    with transaction.atomic():
        previous, user.role = user.role, role
        user.save(update_fields=["role"])
        activity_record(
            actor=actor,
            action=Activity.Action.USER_ROLE_CHANGED,
            details={**account_label(user), "from": previous, "to": role},
        )
    return user


def user_set_active(*, actor: User, user: User, active: bool) -> User:
    """Deactivate or reactivate an account; admins only, never yourself."""
    require_admin(actor)
    if user.pk == actor.pk and not active:
        raise ValidationError(
            {"is_active": ["You cannot deactivate your own account."]}
        )
    if user.is_active == active:
        return user
    with transaction.atomic():
        user.is_active = active
        user.save(update_fields=["is_active"])
        if not active:
            tokens_revoke_all(user=user)
        activity_record(
            actor=actor,
            action=(
                Activity.Action.USER_REACTIVATED
                if active
                else Activity.Action.USER_DEACTIVATED
            ),
            details=account_label(user),
        )
    return user


def user_delete(*, actor: User, user: User) -> None:
    """Delete an account; its wikis and versions stay, credited to "deleted user"."""
    require_admin(actor)
    if user.pk == actor.pk:
        raise ValidationError({"user": ["You cannot delete your own account."]})
    with transaction.atomic():
        activity_record(
            actor=actor,
            action=Activity.Action.USER_DELETED,
            details=account_label(user),
        )
        user.delete()
        bump_content_generation()  # cached lists and results name the owner
