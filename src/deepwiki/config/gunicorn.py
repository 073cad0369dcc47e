"""gunicorn settings used by `deepwiki serve` (values from the environment)."""

import json
import os

import gunicorn
import gunicorn.util

from deepwiki.config import env

_config = env.load()

# No server banner: gunicorn always writes a `Server:` line, so drop it (workers
# are forked from this process and inherit the patched class).
gunicorn.SERVER = "deepwiki"
gunicorn.SERVER_SOFTWARE = "deepwiki"


def _drop_server_header() -> None:
    from gunicorn.http import wsgi

    original = wsgi.Response.default_headers
    if getattr(original, "drops_server_header", False):
        return

    def default_headers(self):
        return [line for line in original(self) if not line.startswith("Server:")]

    default_headers.drops_server_header = True
    wsgi.Response.default_headers = default_headers


_drop_server_header()

worker_class = "gthread"
# Request limits. The request line may be as long as gunicorn allows (8190
# bytes; larger values are capped there): a search of several thousand
# characters still reaches the application, which answers it with the error
# shape. What gunicorn itself refuses (longer lines, too many or too large
# headers) is answered in the same JSON shape, not gunicorn's HTML page.
limit_request_line = 8190
limit_request_fields = 100
limit_request_field_size = 8190
_serve = env.load_serve()
graceful_timeout = _serve.graceful_timeout
timeout = _serve.timeout
keepalive = 5
max_requests = _serve.max_requests
max_requests_jitter = 100 if max_requests else 0
accesslog = None  # the app logs one structured line per request
errorlog = "-"
loglevel = _config.log_level.lower()
forwarded_allow_ips = "*" if _config.trust_proxy else "127.0.0.1,::1"
preload_app = False
# gunicorn's control socket defaults to ~/.gunicorn, which is read-only in the
# image and shared between instances on one host: not needed here.
control_socket_disable = True


def _prepare_metrics_dir() -> None:
    """Give all workers one empty sample directory before prometheus_client loads."""
    import shutil
    import tempfile

    path = _serve.metrics_dir or os.path.join(
        tempfile.gettempdir(), f"deepwiki-metrics-{os.getpid()}"
    )
    shutil.rmtree(path, ignore_errors=True)
    os.makedirs(path, exist_ok=True)
    os.environ["PROMETHEUS_MULTIPROC_DIR"] = path


_prepare_metrics_dir()

_CODES = {
    400: "BAD_REQUEST",
    403: "FORBIDDEN",
    414: "URI_TOO_LONG",
    431: "HEADERS_TOO_LARGE",
    500: "INTERNAL_ERROR",
    501: "NOT_IMPLEMENTED",
}
_TEXT = {
    403: "You do not have permission to do that.",
    414: "The request address is too long. Shorten the search or the link.",
    431: "The request headers are too large.",
    500: "An unexpected error happened. It has been logged.",
    501: "That transfer encoding is not supported.",
}


def _write_json_error(sock, status_int, reason, mesg):
    """Answer a request gunicorn refused before the application saw it (error shape)."""
    body = json.dumps(
        {
            "error": _TEXT.get(status_int, "The request could not be understood."),
            "code": _CODES.get(status_int, "BAD_REQUEST"),
            "details": {},
        }
    ).encode()
    head = (
        f"HTTP/1.1 {status_int} {reason}\r\nConnection: close\r\n"
        "Content-Type: application/json\r\nCache-Control: no-store\r\n"
        f"Content-Length: {len(body)}\r\n\r\n"
    ).encode("latin-1")
    gunicorn.util.write_nonblock(sock, head + body)


gunicorn.util.write_error = _write_json_error


def child_exit(server, worker):
    from deepwiki.ops import metrics

    metrics.mark_process_dead(worker.pid)
