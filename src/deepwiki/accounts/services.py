"""Account writes: registration, roles, tokens, password reset mail."""

from __future__ import annotations

import hashlib
import logging
import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import password_validation
from django.contrib.auth.forms import PasswordResetForm
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from deepwiki.accounts import limits
from deepwiki.accounts.models import ApiToken, Role, User
from deepwiki.activity.models import Activity
from deepwiki.activity.services import activity_record
from deepwiki.core.models import SiteSettings

TOKEN_PREFIX = "dw_"  # noqa: S105 - a public prefix, not a secret
TOKEN_MAX_DAYS = 3650
log = logging.getLogger("deepwiki.accounts")


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
                actor=user,
                action=Activity.Action.USER_REGISTERED,
                details=account_label(user),
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
    with transaction.atomic():
        user.save()
        tokens_revoke_all(user=user)
    return user


def account_label(user: User) -> dict:
    """How an account is named in the activity log (kept after it is deleted)."""
    return {"user_id": user.pk, "email": user.email}


def _hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def token_create(
    *, user: User, name: str, expires_days: int | None = None
) -> tuple[ApiToken, str]:
    """Create an API token; the raw value is returned once and never stored."""
    name = (name or "").strip() or "API token"
    if len(name) > 80:
        raise ValidationError({"name": ["Use at most 80 characters."]})
    expires_at = None
    if expires_days is not None:
        if not 1 <= expires_days <= TOKEN_MAX_DAYS:
            raise ValidationError(
                {"expires_days": [f"Choose between 1 and {TOKEN_MAX_DAYS} days."]}
            )
        expires_at = timezone.now() + timedelta(days=expires_days)
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user,
        name=name,
        prefix=raw[:10],
        token_hash=_hash_token(raw),
        expires_at=expires_at,
    )
    return token, raw


def token_authenticate(raw: str) -> User | None:
    """Return the active owner of a raw, unexpired token, or None."""
    if not raw or not raw.startswith(TOKEN_PREFIX) or len(raw) > 200:
        return None
    now = timezone.now()
    token = (
        ApiToken.objects.select_related("user")
        .filter(token_hash=_hash_token(raw), user__is_active=True)
        .filter(Q(expires_at__isnull=True) | Q(expires_at__gt=now))
        .first()
    )
    if token is None:
        return None
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user


def token_revoke(*, user: User, token_id: int) -> bool:
    """Delete one of the user's own tokens; False when it is not theirs."""
    deleted, _ = ApiToken.objects.filter(pk=token_id, user=user).delete()
    return bool(deleted)


def tokens_revoke_all(*, user: User) -> int:
    """Delete every API token of the user (their password or status changed)."""
    deleted, _ = ApiToken.objects.filter(user=user).delete()
    return deleted


def password_set(*, user: User, password: str) -> None:
    """Set a new password and revoke the API tokens issued under the old one."""
    with transaction.atomic():
        user.set_password(password)
        user.save(update_fields=["password"])
        tokens_revoke_all(user=user)


def password_reset_request(*, email: str, request) -> None:
    """Mail a single-use reset link if the account exists; say nothing either way.

    At most a few mails per address per hour, whoever asks: the answer stays the
    same when the limit is reached, so it reveals nothing about the account.
    """
    email = normalize_email(email)
    if not limits.reset_mail_allowed(request, email=email):
        log.warning("password reset mail limit reached for one address")
        return
    base = settings.BASE_URL
    protocol, _, domain = base.partition("://")
    form = PasswordResetForm(data={"email": email})
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
