"""gunicorn settings used by `deepwiki serve` (values from the environment)."""

import os

import gunicorn

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


def child_exit(server, worker):
    from deepwiki.ops import metrics

    metrics.mark_process_dead(worker.pid)
