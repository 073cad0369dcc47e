"""Session-creating API endpoints accept only same-origin JSON (no login CSRF).

A page on another site can make a visitor's browser POST a form to us, but only
as `application/x-www-form-urlencoded`, `multipart/form-data` or `text/plain`;
sending `application/json` from another origin needs a CORS preflight, which
DeepWiki never grants. Browsers also say where a request comes from (`Origin`,
`Sec-Fetch-Site`). So `/api/auth/login` and `/api/auth/register` require a JSON
body and refuse a request that a browser marks as cross-site. Scripts and the
CLI, which send neither header, keep working without a CSRF token.
"""

from __future__ import annotations

from django.conf import settings

from deepwiki.core.errors import Forbidden, UnsupportedFormat

SAME_SITE_FETCH = {"same-origin", "none"}


def _own_origin(request) -> set[str]:
    return {f"{request.scheme}://{request.get_host()}", *settings.CSRF_TRUSTED_ORIGINS}


def require_same_origin_json(request) -> None:
    """Refuse a session-creating request that is not same-origin JSON."""
    if request.content_type != "application/json":
        raise UnsupportedFormat(
            "Send this request as JSON (Content-Type: application/json)."
        )
    fetch_site = request.headers.get("Sec-Fetch-Site", "").lower()
    origin = request.headers.get("Origin")
    cross_fetch = fetch_site and fetch_site not in SAME_SITE_FETCH
    if cross_fetch or (origin is not None and origin not in _own_origin(request)):
        raise Forbidden(
            "Sign-in and registration are only accepted from this site's own pages.",
            code="CROSS_SITE_REQUEST",
        )
