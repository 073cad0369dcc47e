"""Give every /api/ failure the JSON error shape, even ones Django answers itself."""

from django.http import JsonResponse

from deepwiki.api.errors import error_body
from deepwiki.core.views import CODES, MESSAGES


class ApiErrorShapeMiddleware:
    """Rewrite non-JSON 4xx/5xx answers under /api/ (e.g. 405 from the router)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if (
            request.path.startswith("/api/")
            and response.status_code >= 400
            and response.status_code in MESSAGES
            and "json" not in response.get("Content-Type", "")
        ):
            status = response.status_code
            shaped = JsonResponse(
                error_body(MESSAGES[status][1], CODES[status]), status=status
            )
            if response.has_header("Allow"):
                shaped["Allow"] = response["Allow"]
            return shaped
        return response
