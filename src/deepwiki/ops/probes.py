"""Answer the orchestrator probes before Django validates the Host header.

Docker's HEALTHCHECK asks http://127.0.0.1:8000/readyz, Kubernetes asks the pod's
IP: neither is a public host name in DEEPWIKI_ALLOWED_HOSTS, so the probes are
answered here, ahead of the middleware that checks the host. They return only
status JSON, so the Host header does not matter to them.
"""

from __future__ import annotations

from django.urls import resolve

PROBE_PATHS = {"/livez", "/readyz"}


class ProbeMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path_info in PROBE_PATHS and request.method in ("GET", "HEAD"):
            match = resolve(request.path_info)
            request.resolver_match = match  # metrics label the request by route
            return match.func(request, *match.args, **match.kwargs)
        return self.get_response(request)
