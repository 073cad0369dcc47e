"""Account writes: registration, roles, tokens, password reset mail."""

from __future__ import annotations

import hashlib
import secrets

from django.conf import settings
from django.contrib.auth import password_validation
from django.contrib.auth.forms import PasswordResetForm
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone

from deepwiki.accounts.models import ApiToken, Role, User
from deepwiki.analytics.models import Activity
from deepwiki.analytics.services import activity_record
from deepwiki.core.generation import bump_content_generation
from deepwiki.core.models import SiteSettings

TOKEN_PREFIX = "dw_"  # noqa: S105 - a public prefix, not a secret


def normalize_email(email: str) -> str:
    """Return the canonical (stripped, lower-case) form of an e-mail address."""
    return (email or "").strip().lower()


def axes_username(request, credentials: dict | None) -> str:
    """Give django-axes the same account key however the e-mail was typed."""
    credentials = credentials or {}
    raw = credentials.get("username") or credentials.get("email")
    if raw is None and request is not None:
        raw = request.POST.get("username") or request.POST.get("email")
    return normalize_email(raw or "")


def user_register(*, email: str, password: str, password_confirm: str) -> User:
    """Create a USER account after checking every rule; raise ValidationError."""
    if not SiteSettings.current().registration_open:
        raise PermissionDenied("Registration is closed on this site.")
    email = normalize_email(email)
    errors: dict[str, list[str]] = {}
    try:
        validate_email(email)
    except ValidationError:
        errors["email"] = ["Enter a valid e-mail address."]
    if password != password_confirm:
        errors["password_confirm"] = ["The two passwords do not match."]
    try:
        password_validation.validate_password(password, User(email=email))
    except ValidationError as exc:
        errors["password"] = list(exc.messages)
    if "email" not in errors and User.objects.filter(email__iexact=email).exists():
        errors["email"] = ["An account with this e-mail address already exists."]
    if errors:
        raise ValidationError(errors)
    try:
        with transaction.atomic():
            user = User.objects.create_user(email=email, password=password)
            activity_record(
                actor=user, action=Activity.Action.USER_REGISTERED, details=_who(user)
            )
            return user
    except IntegrityError:
        raise ValidationError(
            {"email": ["An account with this e-mail address already exists."]}
        ) from None


def user_create_admin(*, email: str, password: str) -> User:
    """Create or promote an ADMIN account (command line only)."""
    email = normalize_email(email)
    validate_email(email)
    user = User.objects.filter(email__iexact=email).first()
    password_validation.validate_password(password, user or User(email=email))
    if user is None:
        return User.objects.create_user(email=email, password=password, role=Role.ADMIN)
    user.role = Role.ADMIN
    user.is_active = True
    user.set_password(password)
    user.save()
    return user


def user_set_role(*, actor: User, user: User, role: str) -> User:
    """Change a user's role; admins only, and never demote yourself."""
    if not actor.is_admin:
        raise PermissionDenied("Only admins can change roles.")
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
            details={**_who(user), "from": previous, "to": role},
        )
    return user


def user_set_active(*, actor: User, user: User, active: bool) -> User:
    """Deactivate or reactivate an account; admins only, never yourself."""
    if not actor.is_admin:
        raise PermissionDenied("Only admins can deactivate accounts.")
    if user.pk == actor.pk and not active:
        raise ValidationError(
            {"is_active": ["You cannot deactivate your own account."]}
        )
    if user.is_active == active:
        return user
    with transaction.atomic():
        user.is_active = active
        user.save(update_fields=["is_active"])
        activity_record(
            actor=actor,
            action=(
                Activity.Action.USER_REACTIVATED
                if active
                else Activity.Action.USER_DEACTIVATED
            ),
            details=_who(user),
        )
    return user


def user_delete(*, actor: User, user: User) -> None:
    """Delete an account; its wikis and versions stay, credited to "deleted user"."""
    if not actor.is_admin:
        raise PermissionDenied("Only admins can delete accounts.")
    if user.pk == actor.pk:
        raise ValidationError({"user": ["You cannot delete your own account."]})
    with transaction.atomic():
        activity_record(
            actor=actor, action=Activity.Action.USER_DELETED, details=_who(user)
        )
        user.delete()
        bump_content_generation()  # cached lists and results name the owner


def _who(user: User) -> dict:
    """How an account is named in the activity log (kept after it is deleted)."""
    return {"user_id": user.pk, "email": user.email}


def _hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def token_create(*, user: User, name: str) -> tuple[ApiToken, str]:
    """Create an API token; the raw value is returned once and never stored."""
    name = (name or "").strip() or "API token"
    if len(name) > 80:
        raise ValidationError({"name": ["Use at most 80 characters."]})
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user, name=name, prefix=raw[:10], token_hash=_hash_token(raw)
    )
    return token, raw


def token_authenticate(raw: str) -> User | None:
    """Return the active owner of a raw token, or None."""
    if not raw or not raw.startswith(TOKEN_PREFIX) or len(raw) > 200:
        return None
    token = (
        ApiToken.objects.select_related("user")
        .filter(token_hash=_hash_token(raw), user__is_active=True)
        .first()
    )
    if token is None:
        return None
    now = timezone.now()
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user


def token_revoke(*, user: User, token_id: int) -> bool:
    """Delete one of the user's own tokens; False when it is not theirs."""
    deleted, _ = ApiToken.objects.filter(pk=token_id, user=user).delete()
    return bool(deleted)


def password_reset_request(*, email: str) -> None:
    """Mail a single-use reset link if the account exists; say nothing either way."""
    base = settings.BASE_URL
    protocol, _, domain = base.partition("://")
    form = PasswordResetForm(data={"email": normalize_email(email)})
    if not form.is_valid():
        return
    form.save(
        domain_override=domain,
        use_https=protocol == "https",
        subject_template_name="accounts/email/reset_subject.txt",
        email_template_name="accounts/email/reset_body.txt",
        extra_email_context={
            "base_url": base,
            "site_name": SiteSettings.current().site_name,
        },
    )
