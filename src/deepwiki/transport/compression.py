"""Gzip for pages and JSON, never for secrets.

Django's GZipMiddleware, narrowed:
- text only (HTML, JSON, CSS, JavaScript, SVG, plain text): images, archives
  and downloads are compressed already, or are the reader's bytes;
- GET and HEAD only, and never the sign-in, account and token pages: BREACH
  needs a secret and attacker-chosen text in the same compressed response.
  Responses to writes (a new API token, a login) and the account pages are the
  ones that carry secrets; the CSRF token elsewhere is masked anew on every
  response, and Django (≥ 4.2) pads each gzip stream by a random length.
Static files never get here: WhiteNoise (above) answers them, precompressed
when the manifest storage is on.
"""

from __future__ import annotations

from django.middleware.gzip import GZipMiddleware

COMPRESSIBLE = (
    "text/html",
    "text/plain",
    "text/css",
    "text/javascript",
    "application/javascript",
    "application/json",
    "image/svg+xml",
)
SECRET_PATHS = ("/accounts/", "/api/auth/", "/settings/")


class TextGZipMiddleware(GZipMiddleware):
    """Compress text responses to safe requests; leave everything else alone."""

    def process_response(self, request, response):
        if request.method not in ("GET", "HEAD"):
            return response
        if request.path.startswith(SECRET_PATHS):
            return response
        kind = response.get("Content-Type", "").split(";")[0].strip().lower()
        if kind not in COMPRESSIBLE:
            return response
        return super().process_response(request, response)
