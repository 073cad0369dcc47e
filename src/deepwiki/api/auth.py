"""API authentication: bearer token, browser session (with CSRF), or anonymous."""

from __future__ import annotations

from ninja.errors import AuthenticationError
from ninja.security import APIKeyCookie, HttpBearer
from ninja.security.session import SessionAuth

from deepwiki.accounts.services import token_authenticate


class TokenAuth(HttpBearer):
    """`Authorization: Bearer dw_…`; a wrong token is a 401, never anonymous."""

    def authenticate(self, request, token: str):
        user = token_authenticate(token)
        if user is None:
            raise AuthenticationError(401, "Invalid or revoked API token.")
        request.user = user
        return user


class Anonymous(APIKeyCookie):
    """Accept a request with no credentials at all (public reads)."""

    param_name = "__deepwiki_anonymous__"
    openapi_type = "apiKey"

    def __call__(self, request):
        if request.headers.get("Authorization"):
            return None
        return "anonymous"

    def authenticate(self, request, key):  # pragma: no cover - __call__ overrides
        return True


token_auth = TokenAuth()
session_auth = SessionAuth()  # checks CSRF on unsafe methods
SIGNED_IN = [token_auth, session_auth]
ANYONE = [token_auth, session_auth, Anonymous()]
