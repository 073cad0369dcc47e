"""/api/auth: register, login, logout, me, password reset, API tokens."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from django.contrib.auth import authenticate, login, logout, password_validation
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.middleware.csrf import get_token
from django.utils.encoding import force_str
from django.utils.http import urlsafe_base64_decode
from ninja import Field, Router, Schema, Status
from pydantic import ConfigDict

from deepwiki.accounts import limits, services
from deepwiki.accounts.models import User
from deepwiki.api.auth import ANYONE, SIGNED_IN
from deepwiki.api.schemas import Input, errors
from deepwiki.api.throttles import ClientAddressThrottle, SharedLimit
from deepwiki.api.types import Text
from deepwiki.core.errors import BadRequest, NotFound, RateLimited, Unauthenticated
from deepwiki.transport.origin import require_same_origin_json

router = Router(tags=["auth"])
_strict = [ClientAddressThrottle("10/m")]


class ReferenceInput(Input):
    """Bodies of the reference API's auth endpoints: unknown fields are ignored.

    Its clients send extra fields (a name, a callback URL); anything unknown,
    such as a `role`, has no effect. The body must still be a JSON object with
    correctly typed fields.
    """

    model_config = ConfigDict(extra="ignore")


class UserOut(Schema):
    id: int
    email: str
    name: str
    role: str
    is_active: bool
    date_joined: datetime


class RegisterIn(ReferenceInput):
    email: Text(254)
    password: Text(256)
    password_confirm: Text(256, alias="confirmPassword")

    model_config = {"populate_by_name": True}


class LoginIn(ReferenceInput):
    email: Text(254)
    password: Text(256)


class ResetRequestIn(ReferenceInput):
    email: Text(254)


class ResetConfirmIn(ReferenceInput):
    uid: Text(64)
    token: Text(128)
    password: Text(256)
    password_confirm: Text(256, alias="confirmPassword")

    model_config = {"populate_by_name": True}


class MessageOut(Schema):
    message: str


class TokenIn(Input):
    name: Text(80) = "API token"
    expires_days: int | None = Field(
        None,
        ge=1,
        le=services.TOKEN_MAX_DAYS,
        description="Days until the token stops working; omit for no expiry.",
    )


class TokenOut(Schema):
    id: int
    name: str
    prefix: str
    created_at: datetime
    last_used_at: datetime | None
    expires_at: datetime | None


class NewTokenOut(TokenOut):
    token: str


class TokenList(Schema):
    items: list[TokenOut]
    total: int


@router.post(
    "/register",
    response={201: UserOut, **errors(400, 403, 413, 415, 422, 429)},
    auth=None,
    throttle=[*_strict, SharedLimit(limits.REGISTER)],
)
def register(request, payload: RegisterIn):
    """Create an account (role USER) and sign it in (same-origin JSON only)."""
    require_same_origin_json(request)
    user = services.user_register(
        email=payload.email,
        password=payload.password,
        password_confirm=payload.password_confirm,
    )
    login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    get_token(request)
    return Status(201, user)


@router.post(
    "/login",
    response={200: UserOut, **errors(400, 401, 403, 413, 415, 422, 429)},
    auth=None,
    throttle=_strict,
)
def api_login(request, payload: LoginIn):
    """Sign in; wrong credentials get one neutral message; repeated failures lock."""
    require_same_origin_json(request)
    user = authenticate(
        request,
        username=services.normalize_email(payload.email),
        password=payload.password,
    )
    if getattr(request, "axes_locked_out", False):
        raise RateLimited(
            "Too many failed sign-in attempts. Signing in from your address is "
            "paused for 15 minutes.",
            code="LOCKED_OUT",
        )
    if user is None:
        raise Unauthenticated("Invalid email or password", code="INVALID_CREDENTIALS")
    login(request, user)
    get_token(request)
    return user


@router.post("/logout", response={200: MessageOut, **errors(401, 403)}, auth=SIGNED_IN)
def api_logout(request):
    """End the current browser session."""
    logout(request)
    return {"message": "Signed out."}


@router.get("/me", response={200: UserOut, **errors(401)}, auth=SIGNED_IN)
def me(request):
    """The signed-in user."""
    return request.user


@router.post(
    "/reset-password/request",
    response={200: MessageOut, **errors(400, 413, 422, 429)},
    auth=None,
    throttle=[*_strict, SharedLimit(limits.PASSWORD_RESET)],
)
def reset_request(request, payload: ResetRequestIn):
    """Mail a reset link if the account exists; the answer is always the same."""
    services.password_reset_request(email=payload.email, request=request)
    return {
        "message": "If an account exists for that address, we have sent a link "
        "to reset its password. The link is valid for one hour."
    }


@router.post(
    "/reset-password/confirm",
    response={200: MessageOut, **errors(400, 413, 422, 429)},
    auth=None,
    throttle=_strict,
)
def reset_confirm(request, payload: ResetConfirmIn):
    """Set a new password with a valid, unused link token."""
    try:
        uid = force_str(urlsafe_base64_decode(payload.uid))
        user = User.objects.get(pk=int(uid))
    except (ValueError, TypeError, OverflowError, User.DoesNotExist):
        user = None
    if user is None or not default_token_generator.check_token(user, payload.token):
        raise BadRequest(
            "This reset link is invalid or has expired. Request a new one.",
            code="INVALID_TOKEN",
        )
    if payload.password != payload.password_confirm:
        raise ValidationError({"password_confirm": ["The two passwords do not match."]})
    try:
        password_validation.validate_password(payload.password, user)
    except ValidationError as exc:
        raise ValidationError({"password": exc.messages}) from None
    services.password_set(user=user, password=payload.password)
    return {
        "message": "Your password has been reset and your API tokens were revoked. "
        "You can now sign in."
    }


@router.get("/tokens", response={200: TokenList, **errors(401)}, auth=SIGNED_IN)
def tokens(request):
    """Your API tokens (never their values)."""
    items = list(request.user.api_tokens.all())
    return {"items": items, "total": len(items)}


@router.post(
    "/tokens",
    response={201: NewTokenOut, **errors(400, 401, 403, 413, 422)},
    auth=SIGNED_IN,
)
def token_create(request, payload: TokenIn):
    """Create a token; its value is shown only in this answer."""
    token, raw = services.token_create(
        user=request.user, name=payload.name, expires_days=payload.expires_days
    )
    return Status(201, {**TokenOut.from_orm(token).dict(), "token": raw})


@router.delete(
    "/tokens/{token_id}",
    response={200: MessageOut, **errors(401, 403, 404, 422)},
    auth=SIGNED_IN,
)
def token_delete(request, token_id: Annotated[int, Field(ge=1, le=2**62)]):
    """Revoke one of your tokens."""
    if not services.token_revoke(user=request.user, token_id=token_id):
        raise NotFound("No such token.")
    return {"message": "Token revoked."}


__all__ = ["router", "ANYONE"]
