"""A real DeepWiki instance for tests: `deepwiki serve` with real gunicorn workers.

`LiveInstance` prepares a fresh data dir (migrate, optional seed), starts
`deepwiki serve --workers N` on a free loopback port, waits for /readyz and
stops the whole process group afterwards. Its WSGI app is DeepWiki's own,
wrapped by `live_wsgi` to add an `X-Worker-Pid` header, so a test can tell
which worker answered. `LiveClient` keeps cookies and sends the CSRF token
like a browser; every request opens a new connection, so the kernel spreads
them over the workers.

Ports: taken from LIVE_TEST_PORTS ("18700-18799") when set, else any free one.
Fixtures using this live in tests/conftest.py (`live_instance`, `live_factory`).
"""

from __future__ import annotations

import contextlib
import http.cookiejar
import json as jsonlib
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

TESTS_DIR = Path(__file__).resolve().parent
BIN = Path(sys.executable).parent
DEEPWIKI = str(BIN / "deepwiki")
# Variables of the developer's shell that must not leak into the instance.
_DROP = ("DEEPWIKI_", "DATABASE_URL", "REDIS_URL", "SMTP_", "METRICS_TOKEN", "PORT")
_DROP_EXACT = {"HOST", "WEB_CONCURRENCY", "PROMETHEUS_MULTIPROC_DIR", "TRUST_PROXY"}


def free_port() -> int:
    """A free loopback port, from LIVE_TEST_PORTS (e.g. "18700-18799") when set."""
    wanted = os.environ.get("LIVE_TEST_PORTS", "")
    candidates = [0]
    if "-" in wanted:
        low, high = (int(x) for x in wanted.split("-", 1))
        candidates = list(range(low, high + 1))
    for port in candidates:
        with socket.socket() as probe:
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue
            return probe.getsockname()[1]
    raise RuntimeError(f"no free port in LIVE_TEST_PORTS={wanted}")


@dataclass
class Response:
    status: int
    headers: dict[str, str]
    body: bytes

    @property
    def pid(self) -> str:
        return self.headers.get("x-worker-pid", "")

    def json(self):
        return jsonlib.loads(self.body)

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", "replace")


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class _KeepErrors(urllib.request.HTTPErrorProcessor):
    def http_response(self, request, response):
        return response


class LiveClient:
    """A browser-like client: cookies, CSRF header, no redirects followed."""

    def __init__(self, base_url: str, *, token: str | None = None):
        self.base_url = base_url.rstrip("/")
        self.token = token
        self.cookies = http.cookiejar.CookieJar()
        self._opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.cookies), _NoRedirect, _KeepErrors
        )

    def cookie(self, name: str) -> str | None:
        return next((c.value for c in self.cookies if c.name == name), None)

    def request(
        self, method: str, path: str, *, json=None, data=None, headers=None
    ) -> Response:
        headers = {"Accept": "application/json", **(headers or {})}
        if json is not None:
            data = jsonlib.dumps(json).encode()
            headers["Content-Type"] = "application/json"
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        csrf = self.cookie("csrftoken")
        if csrf and method not in ("GET", "HEAD", "OPTIONS"):
            headers["X-CSRFToken"] = csrf
        request = urllib.request.Request(
            self.base_url + path, data=data, headers=headers, method=method
        )
        with self._opener.open(request, timeout=30) as answer:
            body = answer.read()
            got = {k.lower(): v for k, v in answer.headers.items()}
            return Response(answer.status, got, body)

    def get(self, path: str, **kwargs) -> Response:
        return self.request("GET", path, **kwargs)

    def post(self, path: str, **kwargs) -> Response:
        return self.request("POST", path, **kwargs)

    def put(self, path: str, **kwargs) -> Response:
        return self.request("PUT", path, **kwargs)

    def login(self, email: str, password: str) -> Response:
        answer = self.post(
            "/api/auth/login", json={"email": email, "password": password}
        )
        assert answer.status == 200, answer.text
        return answer


@dataclass
class LiveInstance:
    """One DeepWiki instance: a data dir and `deepwiki serve` on a loopback port."""

    data_dir: Path
    workers: int = 2
    env: dict[str, str] = field(default_factory=dict)
    port: int = 0
    process: subprocess.Popen | None = None
    log_path: Path | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def environment(self) -> dict[str, str]:
        base = {
            k: v
            for k, v in os.environ.items()
            if not k.startswith(_DROP) and k not in _DROP_EXACT
        }
        python_path = [str(TESTS_DIR), base.get("PYTHONPATH", "")]
        base.update(
            {
                "DEEPWIKI_DATA_DIR": str(self.data_dir),
                "DEEPWIKI_STATIC_MANIFEST": "false",
                "LOG_LEVEL": "WARNING",
                "PYTHONPATH": os.pathsep.join(p for p in python_path if p),
                "PROMETHEUS_MULTIPROC_DIR": str(self.data_dir / "metrics"),
            }
        )
        base.update(self.env)
        return base

    def cli(self, *args: str) -> str:
        """Run `deepwiki <args>` against this instance's data; return its output."""
        done = subprocess.run(  # noqa: S603 - our own command
            [DEEPWIKI, *args],
            env=self.environment(),
            capture_output=True,
            text=True,
            timeout=300,
        )
        if done.returncode != 0:
            raise RuntimeError(f"deepwiki {' '.join(args)} failed:\n{done.stderr}")
        return done.stdout

    def start(self, *, timeout: float = 90) -> None:
        """Serve with `deepwiki serve` and wait until /readyz answers 200."""
        self.port = self.port or free_port()
        self.log_path = self.data_dir / "serve.log"
        argv = [DEEPWIKI, "serve", "--host", "127.0.0.1", "--port", str(self.port)]
        argv += ["--workers", str(self.workers), "--app", "live_wsgi:application"]
        with open(self.log_path, "ab") as log:
            self.process = subprocess.Popen(  # noqa: S603 - our own command
                argv,
                env=self.environment(),
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"deepwiki serve exited:\n{self.log()}")
            with contextlib.suppress(OSError):
                if LiveClient(self.url).get("/readyz").status == 200:
                    return
            time.sleep(0.3)
        self.stop()
        raise RuntimeError(f"deepwiki serve not ready after {timeout}s:\n{self.log()}")

    def log(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path else ""

    def stop(self) -> None:
        """Stop gunicorn (master and workers: the process group we started)."""
        if self.process is None or self.process.poll() is not None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)

    def client(self, **kwargs) -> LiveClient:
        return LiveClient(self.url, **kwargs)

    @contextlib.contextmanager
    def running(self, *, seed: bool = True):
        """Migrate (and seed the demo data), serve, and stop at the end."""
        self.data_dir.mkdir(parents=True, exist_ok=True)
        self.cli("migrate", "--noinput", "-v", "0")
        if seed:
            self.cli("seed")
        self.start()
        try:
            yield self
        finally:
            self.stop()


def from_every_worker(call, *, workers: int = 2, each: int = 2, tries: int = 80):
    """Repeat `call()` until each of `workers` pids answered `each` times.

    Returns every response; fails when some worker never answered.
    """
    answers: list[Response] = []
    seen: dict[str, int] = defaultdict(int)
    for _ in range(tries):
        answer = call()
        answers.append(answer)
        seen[answer.pid] += 1
        if len(seen) >= workers and all(n >= each for n in seen.values()):
            return answers
    raise AssertionError(f"not every worker answered in {tries} requests: {dict(seen)}")
