"""Prometheus metrics, correct across several gunicorn workers.

gunicorn's config (deepwiki.config.gunicorn) sets PROMETHEUS_MULTIPROC_DIR
before anything imports prometheus_client, so every worker writes its samples to shared files and
/metrics sums them.
"""

from __future__ import annotations

import os
import time

from django.conf import settings
from django.db import connection
from django.http import HttpResponse, HttpResponseForbidden

from deepwiki.ops.access import metrics_token_sent

_MULTIPROC_DIR = settings.METRICS_MULTIPROC_DIR
if _MULTIPROC_DIR:
    # A configured but missing directory would crash every command at import.
    os.makedirs(_MULTIPROC_DIR, exist_ok=True)


def mark_process_dead(pid: int) -> None:
    if _MULTIPROC_DIR:
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(pid)


from prometheus_client import (  # noqa: E402  (after the env var is settled)
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
)

REQUESTS = Counter(
    "deepwiki_http_requests_total", "HTTP requests", ["method", "route", "status"]
)
LATENCY = Histogram(
    "deepwiki_http_request_duration_seconds",
    "HTTP request latency",
    ["method", "route"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
)
DB_QUERIES = Histogram(
    "deepwiki_db_queries_per_request",
    "Database queries per request",
    buckets=(0, 1, 2, 5, 10, 20, 50, 100),
)
DB_TIME = Histogram(
    "deepwiki_db_query_seconds",
    "Database time per request",
    buckets=(0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.5, 1),
)
CACHE = Counter("deepwiki_cache_requests_total", "Cache lookups", ["result"])
UPLOADS = Counter("deepwiki_uploads_total", "Wiki uploads", ["result"])
IMPORTED_FILES = Counter("deepwiki_imported_files_total", "Files imported")
SEARCHES = Counter("deepwiki_searches_total", "Searches", ["kind"])
RENDER_SECONDS = Histogram(
    "deepwiki_render_seconds",
    "Markdown render time per file",
    buckets=(0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.5),
)
TASKS = Counter("deepwiki_tasks_total", "Background task results", ["task", "result"])


class _QueryTimer:
    def __init__(self) -> None:
        self.count = 0
        self.seconds = 0.0

    def __call__(self, execute, sql, params, many, context):
        start = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.count += 1
            self.seconds += time.perf_counter() - start


class MetricsMiddleware:
    """Count requests and time them, with the DB work they caused."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        start = time.perf_counter()
        timer = _QueryTimer()
        with connection.execute_wrapper(timer):
            response = self.get_response(request)
        match = getattr(request, "resolver_match", None)
        route = (match.route if match else "") or "unmatched"
        REQUESTS.labels(request.method, route, str(response.status_code)).inc()
        LATENCY.labels(request.method, route).observe(time.perf_counter() - start)
        DB_QUERIES.observe(timer.count)
        DB_TIME.observe(timer.seconds)
        cache_state = response.get("X-Cache")
        if cache_state in ("HIT", "MISS"):
            CACHE.labels(cache_state.lower()).inc()
        return response


def metrics_view(request):
    """Prometheus exposition; needs `Bearer METRICS_TOKEN` when that is set, and
    in production it is closed until it is set."""
    if settings.METRICS_TOKEN:
        if not metrics_token_sent(request):
            return HttpResponseForbidden(
                "metrics token required\n", content_type="text/plain"
            )
    elif settings.CONFIG.production:
        return HttpResponseForbidden(
            "Metrics are off: set METRICS_TOKEN and send it as a bearer token.\n",
            content_type="text/plain",
        )
    if _MULTIPROC_DIR:
        from prometheus_client import multiprocess

        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
    else:
        from prometheus_client import REGISTRY as registry
    response = HttpResponse(generate_latest(registry), content_type=CONTENT_TYPE_LATEST)
    response["Cache-Control"] = "no-store"
    return response
