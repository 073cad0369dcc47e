"""Let `Authorization: Bearer <token>` authenticate any request."""

from django.utils.functional import SimpleLazyObject

from deepwiki.accounts.services import token_authenticate


class BearerTokenMiddleware:
    """Use a personal API token as the request's user when one is sent.

    Token requests are not browser sessions, so they are exempt from CSRF.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        header = request.headers.get("Authorization", "")
        if header[:7].lower() == "bearer ":
            raw = header[7:].strip()
            request.bearer_token = raw
            user = token_authenticate(raw)
            if user is not None:
                request.user = SimpleLazyObject(lambda: user)
                request._dont_enforce_csrf_checks = True
        return self.get_response(request)
