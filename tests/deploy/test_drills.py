"""Operations drills: three app instances (scripts/entrypoint.sh) behind the shipped
nginx config, sharing PostgreSQL and Redis. Loopback only; every loop bounded.

PostgreSQL: DEEPWIKI_TEST_PG_URL (default postgres://postgres@127.0.0.1:5432/postgres),
a fresh database is created and dropped. Redis: DEEPWIKI_TEST_REDIS_URL (default
redis://127.0.0.1:6379), database DEEPWIKI_DRILL_REDIS_DB (default 11), flushed.
Both are reached through small TCP proxies so outages can be simulated without
touching the shared servers. Figures are printed (run with -s to see them).
"""

from __future__ import annotations

import hashlib
import http.client
import json
import os
import re
import secrets
import select
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.parse
from pathlib import Path

import pytest

from .conftest import SCRIPTS, missing
from .conftest import report as report_figures
from .test_lint import render_local, stage_nginx

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module", autouse=True)
def _production_like_configuration():
    """Run the drills once, in the PostgreSQL + Redis configuration (CI's second run)."""
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        pytest.skip(
            "deployment drills run in the PostgreSQL + Redis configuration: "
            "set DATABASE_URL=postgres://… and REDIS_URL=redis://… (CI does)"
        )


BIN = Path(sys.executable).parent
DEEPWIKI = BIN / "deepwiki"
N_INSTANCES = 3
PASSWORD = "drill-Passw0rd-" + secrets.token_hex(4)
METRICS_TOKEN = secrets.token_urlsafe(24)
EMAIL = "drill-admin@example.com"


# ---- small helpers ---------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def req(port: int, path: str, *, method="GET", headers=None, body=None, timeout=10):
    """One request on a fresh connection: (status, headers dict, body bytes)."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.request(method, path, body=body, headers=headers or {})
        resp = conn.getresponse()
        return resp.status, {k.lower(): v for k, v in resp.getheaders()}, resp.read()
    finally:
        conn.close()


def wait_for(predicate, *, timeout: float, interval: float = 0.25, what: str = ""):
    deadline = time.monotonic() + timeout
    last = None
    while time.monotonic() < deadline:
        try:
            last = predicate()
            if last:
                return last
        except OSError as exc:
            last = exc
        time.sleep(interval)
    raise AssertionError(
        f"timed out after {timeout}s waiting for {what} (last: {last!r})"
    )


class TcpProxy:
    """A loopback TCP relay that can be 'unplugged' (listener and connections closed)."""

    def __init__(self, target_host: str, target_port: int):
        self.target = (target_host, target_port)
        self.port = free_port()
        self._lock = threading.Lock()
        self._conns: list[socket.socket] = []
        self._listener: socket.socket | None = None
        self.resume()

    def resume(self) -> None:
        listener = socket.socket()
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", self.port))
        listener.listen(128)
        self._listener = listener
        threading.Thread(target=self._accept, args=(listener,), daemon=True).start()

    def unplug(self) -> None:
        listener, self._listener = self._listener, None
        if listener:
            # shutdown() wakes the thread blocked in accept(); close() alone does not.
            try:
                listener.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            listener.close()
        with self._lock:
            conns, self._conns = self._conns, []
        for c in conns:
            try:
                c.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            c.close()

    def _accept(self, listener: socket.socket) -> None:
        while True:
            try:
                client, _ = listener.accept()
            except OSError:
                return
            try:
                upstream = socket.create_connection(self.target, timeout=5)
            except OSError:
                client.close()
                continue
            with self._lock:
                self._conns += [client, upstream]
            threading.Thread(
                target=self._pipe, args=(client, upstream), daemon=True
            ).start()

    @staticmethod
    def _pipe(a: socket.socket, b: socket.socket) -> None:
        try:
            while True:
                ready, _, _ = select.select([a, b], [], [], 60)
                if not ready:
                    continue
                for src in ready:
                    data = src.recv(65536)
                    if not data:
                        raise OSError("closed")
                    (b if src is a else a).sendall(data)
        except (OSError, ValueError):
            for s in (a, b):
                try:
                    s.close()
                except OSError:
                    pass


class Load:
    """Bounded background load through nginx; records every failure."""

    PATHS = ("/livez", "/health", "/accounts/login/", "/api/health")

    def __init__(
        self,
        port: int,
        *,
        threads: int = 4,
        max_seconds: float = 90,
        max_requests: int = 50000,
    ):
        self.port = port
        self.threads = threads
        self.max_seconds = max_seconds
        self.max_requests = max_requests
        self.count = 0
        self.keepalive_retries = 0
        self.failures: list[tuple[str, object]] = []
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self._workers: list[threading.Thread] = []

    def _run(self, n: int) -> None:
        deadline = time.monotonic() + self.max_seconds
        conn, reused = None, False
        i = n
        while not self._stop.is_set() and time.monotonic() < deadline:
            with self._lock:
                if self.count >= self.max_requests:
                    return
                self.count += 1
            path = self.PATHS[i % len(self.PATHS)]
            i += 1
            for attempt in (1, 2):
                try:
                    if conn is None:
                        conn = http.client.HTTPConnection(
                            "127.0.0.1", self.port, timeout=15
                        )
                        reused = False
                    conn.request("GET", path)
                    resp = conn.getresponse()
                    resp.read()
                    reused = True
                    if resp.status != 200:
                        with self._lock:
                            self.failures.append((path, resp.status))
                    break
                except (OSError, http.client.HTTPException) as exc:
                    conn.close()
                    conn = None
                    # RFC 9112 9.3.1: a GET sent on a reused keep-alive connection that the
                    # server closed at that moment (nginx reload) is retried once on a new
                    # connection, as browsers and HTTP libraries do. Counted, not hidden.
                    if (
                        attempt == 1
                        and reused
                        and isinstance(
                            exc,
                            (
                                http.client.RemoteDisconnected,
                                ConnectionResetError,
                                BrokenPipeError,
                            ),
                        )
                    ):
                        with self._lock:
                            self.keepalive_retries += 1
                        continue
                    with self._lock:
                        self.failures.append((path, repr(exc)))
                    break
            time.sleep(0.002)

    def __enter__(self):
        for n in range(self.threads):
            t = threading.Thread(target=self._run, args=(n,), daemon=True)
            t.start()
            self._workers.append(t)
        return self

    def __exit__(self, *exc):
        self._stop.set()
        for t in self._workers:
            t.join(timeout=20)


# ---- the environment -------------------------------------------------------------


def _connect_pg(url: str):
    psycopg = pytest.importorskip("psycopg")
    return psycopg.connect(url, connect_timeout=3, autocommit=True)


@pytest.fixture(scope="module")
def pg_admin_url():
    url = os.environ.get(
        "DEEPWIKI_TEST_PG_URL", "postgres://postgres@127.0.0.1:5432/postgres"
    )
    try:
        _connect_pg(url).close()
    except Exception as exc:  # noqa: BLE001 - any failure means "not reachable"
        missing(f"PostgreSQL not reachable at {url}: {exc}")
    return url


def _with_db(url: str, name: str) -> str:
    parts = urllib.parse.urlsplit(url)
    return urllib.parse.urlunsplit(parts._replace(path=f"/{name}"))


def create_db(admin_url: str, name: str) -> str:
    with _connect_pg(admin_url) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    return _with_db(admin_url, name)


def drop_db(admin_url: str, name: str) -> None:
    with _connect_pg(admin_url) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="module")
def redis_base():
    redis = pytest.importorskip("redis")
    url = os.environ.get("DEEPWIKI_TEST_REDIS_URL", "redis://127.0.0.1:6379")
    # One Redis database per xdist worker, so parallel clusters never flush each other.
    worker = os.environ.get("PYTEST_XDIST_WORKER", "gw0")
    db = (
        int(os.environ.get("DEEPWIKI_DRILL_REDIS_DB", "11")) + int(worker[2:] or 0)
    ) % 16
    client = redis.Redis.from_url(url, db=db, socket_timeout=3)
    try:
        client.ping()
    except Exception as exc:  # noqa: BLE001
        missing(f"Redis not reachable at {url}: {exc}")
    client.flushdb()
    yield client, urllib.parse.urlsplit(url), db
    client.flushdb()


@pytest.fixture(scope="module")
def nginx_bin():
    return shutil.which("nginx") or missing("nginx is not installed")


class Cluster:
    def __init__(self, tmp: Path, admin_url: str, redis_base, nginx_bin: str):
        self.tmp = tmp
        self.admin_url = admin_url
        self.db_name = f"deepwiki_drill_{os.getpid()}_{secrets.token_hex(3)}"
        self.db_url = create_db(admin_url, self.db_name)
        pg = urllib.parse.urlsplit(self.db_url)
        self.pg_proxy = TcpProxy(pg.hostname or "127.0.0.1", pg.port or 5432)
        self.redis, rparts, rdb = redis_base
        self.redis_proxy = TcpProxy(rparts.hostname or "127.0.0.1", rparts.port or 6379)
        proxied_db = self.db_url.replace(
            f"{pg.hostname}:{pg.port or 5432}", f"127.0.0.1:{self.pg_proxy.port}"
        )
        self.env = {
            "PATH": f"{BIN}:{os.environ['PATH']}",
            "LANG": "C.UTF-8",
            "DEEPWIKI_ENV": "production",
            "DEEPWIKI_SECRET_KEY": secrets.token_urlsafe(50),
            "DEEPWIKI_ALLOWED_HOSTS": "127.0.0.1,localhost",
            "DEEPWIKI_DATA_DIR": str(tmp / "data"),
            "DEEPWIKI_STATIC_ROOT": str(tmp / "static"),
            "DEEPWIKI_ALLOW_INSECURE_COOKIES": "true",
            "METRICS_TOKEN": METRICS_TOKEN,
            "SECURE_COOKIES": "false",
            "TRUST_PROXY": "true",
            "LOG_LEVEL": "WARNING",
            "LOG_FORMAT": "json",
            "DATABASE_URL": proxied_db,
            "REDIS_URL": f"redis://127.0.0.1:{self.redis_proxy.port}/{rdb}",
            "DEEPWIKI_BIN": str(DEEPWIKI),
            "WEB_CONCURRENCY": "2",
            "DB_WAIT_TIMEOUT": "20",
            "GRACEFUL_TIMEOUT": "10",
            "HOME": str(tmp),
        }
        if os.environ.get(
            "PYTHONPATH"
        ):  # e.g. to drill a checkout other than the venv's
            self.env["PYTHONPATH"] = os.environ["PYTHONPATH"]
        self.direct_env = {**self.env, "DATABASE_URL": self.db_url}
        self.ports = [free_port() for _ in range(N_INSTANCES)]
        self.procs: list[subprocess.Popen | None] = [None] * N_INSTANCES
        self.nginx_bin = nginx_bin
        self.nginx_port = free_port()
        self.nginx_prefix = tmp / "nginx"
        self.nginx: subprocess.Popen | None = None

    # -- app instances
    def run(self, *args, env=None, timeout=120) -> subprocess.CompletedProcess:
        proc = subprocess.run(
            [str(DEEPWIKI), *args],
            env=env or self.env,
            cwd=self.tmp,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
        assert proc.returncode == 0, (
            f"deepwiki {' '.join(args)}\n{proc.stdout}\n{proc.stderr}"
        )
        return proc

    def prepare(self) -> None:
        self.run("collectstatic", "--noinput", "-v", "0")
        proc = subprocess.run(
            ["bash", str(SCRIPTS / "entrypoint.sh"), "migrate"],
            env=self.env,
            cwd=self.tmp,
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
        assert proc.returncode == 0, proc.stderr
        self.run("createadmin", "--email", EMAIL, "--password", PASSWORD)

    def start(self, i: int) -> None:
        home = self.tmp / f"home{i}"
        prom = self.tmp / f"prom{i}"
        home.mkdir(exist_ok=True)
        env = {
            **self.env,
            "PORT": str(self.ports[i]),
            "HOST": "127.0.0.1",
            "HOME": str(home),
            "PROMETHEUS_MULTIPROC_DIR": str(prom),
            "SKIP_MIGRATIONS": "1",
        }
        log = open(self.tmp / f"app{i}.log", "ab")  # noqa: SIM115 - closed with the process
        self.procs[i] = subprocess.Popen(
            ["bash", str(SCRIPTS / "entrypoint.sh"), "web"],
            env=env,
            cwd=self.tmp,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        log.close()

    def wait_ready(self, i: int, timeout: float = 40) -> None:
        def ready():
            if self.procs[i].poll() is not None:
                raise AssertionError(f"instance {i} exited:\n{self.log(i)[-3000:]}")
            return req(self.ports[i], "/readyz", timeout=3)[0] == 200

        wait_for(ready, timeout=timeout, what=f"instance {i} ready")

    def stop(self, i: int, timeout: float = 40) -> float:
        proc = self.procs[i]
        if proc is None or proc.poll() is not None:
            return 0.0
        start = time.monotonic()
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=10)
            raise AssertionError(
                f"instance {i} ignored SIGTERM for {timeout}s"
            ) from None
        return time.monotonic() - start

    def wait_in_pool(self, i: int, since: float, timeout: float = 20) -> None:
        """Wait until nginx has routed a request to instance i again (re-admitted)."""
        addr = f"127.0.0.1:{self.ports[i]}"
        stamp = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(since))

        def routed():
            return any(
                line["upstream"] == addr
                and line["status"] == 200
                and line["time"] >= stamp
                for line in self.access_log_lines()[-400:]
            )

        wait_for(
            routed, timeout=timeout, interval=0.5, what=f"nginx to use instance {i}"
        )

    def log(self, i: int) -> str:
        return (self.tmp / f"app{i}.log").read_text(errors="replace")

    # -- nginx
    def nginx_cmd(self, *extra) -> list[str]:
        return [
            self.nginx_bin,
            "-p",
            str(self.nginx_prefix),
            "-c",
            str(self.nginx_prefix / "nginx.conf"),
            *extra,
        ]

    def start_nginx(self) -> None:
        addr = [f"127.0.0.1:{p}" for p in self.ports]
        stage_nginx(
            self.nginx_prefix,
            {"active": addr, "rolling": addr, "blue": addr[:2], "green": addr[2:]},
        )
        render_local(self.nginx_prefix, self.nginx_port, free_port())
        subprocess.run(self.nginx_cmd("-t", "-q"), check=True, timeout=30)
        self.nginx = subprocess.Popen(
            self.nginx_cmd("-g", "daemon off;"), start_new_session=True
        )
        wait_for(
            lambda: req(self.nginx_port, "/livez", timeout=3)[0] == 200,
            timeout=15,
            what="nginx",
        )

    def switch(self, colour: str) -> None:
        env = {
            **self.env,
            "NGINX_TEST_CMD": " ".join(self.nginx_cmd("-t", "-q")),
            "NGINX_RELOAD_CMD": " ".join(self.nginx_cmd("-s", "reload")),
        }
        proc = subprocess.run(
            [
                "bash",
                str(SCRIPTS / "switch-upstream.sh"),
                colour,
                str(self.nginx_prefix / "deepwiki"),
            ],
            env=env,
            capture_output=True,
            text=True,
            timeout=30,
            check=False,
        )
        assert proc.returncode == 0, proc.stderr

    def set_pool(self, indexes) -> None:
        conf = self.nginx_prefix / "deepwiki" / "upstream-active.conf"
        conf.write_text(
            "".join(
                f"server 127.0.0.1:{self.ports[i]} max_fails=2 fail_timeout=3s;\n"
                for i in indexes
            )
        )
        subprocess.run(self.nginx_cmd("-s", "reload"), check=True, timeout=30)
        time.sleep(1.0)

    def access_log_lines(self) -> list[dict]:
        path = self.nginx_prefix / "access.log"
        return [
            json.loads(line) for line in path.read_text().splitlines() if line.strip()
        ]

    def close(self) -> None:
        for i in range(N_INSTANCES):
            try:
                self.stop(i, timeout=20)
            except AssertionError:
                pass
        if self.nginx and self.nginx.poll() is None:
            self.nginx.send_signal(signal.SIGQUIT)
            try:
                self.nginx.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(self.nginx.pid, signal.SIGKILL)
        self.pg_proxy.unplug()
        self.redis_proxy.unplug()
        drop_db(self.admin_url, self.db_name)


@pytest.fixture(scope="module")
def cluster(tmp_path_factory, pg_admin_url, redis_base, nginx_bin):
    if not DEEPWIKI.exists():
        missing(f"{DEEPWIKI} is not installed")
    c = Cluster(tmp_path_factory.mktemp("drill"), pg_admin_url, redis_base, nginx_bin)
    try:
        c.prepare()
        for i in range(N_INSTANCES):
            c.start(i)
        for i in range(N_INSTANCES):
            c.wait_ready(i)
        c.start_nginx()
        yield c
    finally:
        c.close()


def login(port: int) -> str:
    """Sign in through one instance's login form; return the session cookie value."""
    status, headers, body = req(port, "/accounts/login/")
    assert status == 200
    csrf_cookie = re.search(r"csrftoken=([^;]+)", headers.get("set-cookie", "")).group(
        1
    )
    token = (
        re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', body)
        .group(1)
        .decode()
    )
    form = urllib.parse.urlencode(
        {"csrfmiddlewaretoken": token, "username": EMAIL, "password": PASSWORD}
    )
    status, headers, _ = req(
        port,
        "/accounts/login/",
        method="POST",
        body=form,
        headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "Cookie": f"csrftoken={csrf_cookie}",
            "Referer": f"http://127.0.0.1:{port}/accounts/login/",
        },
    )
    assert status == 302, f"login failed with {status}"
    return re.search(r"sessionid=([^;]+)", headers["set-cookie"]).group(1)


# ---- drills ---------------------------------------------------------------------------


def test_instances_answer_through_nginx_with_request_ids(cluster):
    status, headers, body = req(cluster.nginx_port, "/health")
    assert status == 200
    report = json.loads(body)
    assert report["status"] in {"healthy", "degraded"}
    assert report["checks"]["database"]["status"] == "up"
    assert headers.get("x-request-id")
    status, headers, _ = req(
        cluster.nginx_port, "/livez", headers={"X-Request-ID": "drill-abc-123"}
    )
    assert headers.get("x-request-id") == "drill-abc-123"
    # least_conn spreads requests over all three instances.
    for _ in range(30):
        req(cluster.nginx_port, "/api/health")  # /livez and /health are not logged
    upstreams = {line["upstream"] for line in cluster.access_log_lines()[-30:]}
    assert upstreams == {f"127.0.0.1:{p}" for p in cluster.ports}


def test_nginx_caches_hashed_static_files_and_limits_bodies(cluster):
    manifest = json.loads((cluster.tmp / "static" / "staticfiles.json").read_text())
    hashed = next(v for k, v in manifest["paths"].items() if k.endswith(".css"))
    first = req(cluster.nginx_port, f"/static/{hashed}")
    second = req(cluster.nginx_port, f"/static/{hashed}")
    assert first[0] == second[0] == 200
    assert "immutable" in second[1]["cache-control"]
    assert "max-age=31536000" in second[1]["cache-control"]
    assert second[1].get("x-cache-status") == "HIT"
    assert "server" not in second[1] or "/" not in second[1]["server"]  # no version
    # 50 MB limit: a larger body is refused by nginx before it reaches the app.
    status, _, _ = req(
        cluster.nginx_port,
        "/api/wiki/upload",
        method="POST",
        body=b"x" * (50 * 1024 * 1024 + 4096),
        headers={"Content-Type": "application/octet-stream"},
        timeout=30,
    )
    assert status == 413
    status, _, _ = req(
        cluster.nginx_port,
        "/api/wiki/upload",
        method="POST",
        body=b"x" * (1024 * 1024),
        headers={"Content-Type": "application/octet-stream"},
        timeout=30,
    )
    assert status != 413  # reaches the app (which rejects the anonymous request)


def test_session_made_on_one_instance_is_valid_on_the_others(cluster):
    session = login(cluster.ports[0])
    for port in cluster.ports:
        assert (
            req(port, "/django-admin/", headers={"Cookie": f"sessionid={session}"})[0]
            == 200
        )
        assert req(port, "/django-admin/")[0] == 302
    # Signed-in requests bypass nginx's micro-cache.
    _, headers, _ = req(
        cluster.nginx_port,
        "/accounts/login/",
        headers={"Cookie": f"sessionid={session}"},
    )
    assert headers.get("x-cache-status") == "BYPASS"


def test_cache_is_shared_between_instances(cluster):
    """What one instance caches, another serves: the cache lives in Redis."""
    session = login(cluster.ports[1])
    cookie = {"Cookie": f"sessionid={session}"}
    status, _, _ = req(cluster.ports[0], "/api/wiki/list", headers=cookie)
    assert status == 200
    # Sessions live in the database (one truth, issue 11); the list cache and
    # the generation counters live in Redis, shared by every instance.
    status, headers, _ = req(cluster.ports[2], "/api/wiki/list", headers=cookie)
    assert status == 200
    assert headers.get("x-cache") == "HIT"
    keys = [k.decode() for k in cluster.redis.keys("*")]
    assert any("generation" in k for k in keys), keys[:20]


PNG_1PX = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06"
    b"\x00\x00\x00\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01"
    b"\x00\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82"
)


def _multipart(files: dict[str, bytes]) -> tuple[bytes, str]:
    boundary = "drill" + secrets.token_hex(8)
    parts = []
    for path, data in files.items():
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="paths"\r\n\r\n'
            f"{path}\r\n".encode()
        )
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="files"; '
            f'filename="{path.rsplit("/", 1)[-1]}"\r\n'
            "Content-Type: application/octet-stream\r\n\r\n".encode()
            + data
            + b"\r\n"
        )
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


def test_upload_through_one_instance_is_readable_through_the_others(cluster):
    token = cluster.run("token", "create", EMAIL, "--name", "drill").stdout.split()[-1]
    auth = {"Authorization": f"Bearer {token}"}
    marker = "drill-" + secrets.token_hex(4)
    body, content_type = _multipart(
        {
            "index.md": f"# Drill {marker}\n\n![pixel](img/p.png)\n".encode(),
            "img/p.png": PNG_1PX,
        }
    )
    status, _, data = req(
        cluster.ports[0],
        "/api/wiki/upload",
        method="POST",
        headers={**auth, "Content-Type": content_type},
        body=body,
        timeout=60,
    )
    assert status == 201, data[:500]
    slug = json.loads(data)["slug"]
    for port in [*cluster.ports[1:], cluster.nginx_port]:
        status, _, page = req(port, f"/wikis/{slug}/", headers=auth)
        assert status == 200 and marker.encode() in page, (port, status)
        status, _, raw = req(port, f"/wikis/{slug}/-/raw/img/p.png", headers=auth)
        assert (status, raw) == (200, PNG_1PX), port
        status, _, found = req(port, f"/api/wiki/search?q={marker}", headers=auth)
        assert status == 200 and json.loads(found)["total"] >= 1, port


def test_blue_green_switch_under_load_drops_nothing(cluster):
    blue = {f"127.0.0.1:{p}" for p in cluster.ports[:2]}
    green = {f"127.0.0.1:{cluster.ports[2]}"}
    cluster.switch("blue")
    time.sleep(1.0)
    with Load(cluster.nginx_port, threads=4, max_seconds=60) as load:
        time.sleep(2.0)
        cluster.switch("green")
        time.sleep(2.0)  # old nginx workers finish their requests to blue
        mark = len(cluster.access_log_lines())
        time.sleep(2.0)
        stop_times = [cluster.stop(0), cluster.stop(1)]  # retire the old colour
        time.sleep(2.0)
    after = cluster.access_log_lines()[mark:]
    report_figures(
        f"blue-green: {load.count} requests, {len(load.failures)} failed, "
        f"{load.keepalive_retries} keep-alive reconnects; "
        f"old colour stopped in {max(stop_times):.1f}s"
    )
    assert load.failures == [], load.failures[:10]
    assert load.count > 100
    assert {line["upstream"] for line in after if line["upstream"]} <= green
    assert not ({line["upstream"] for line in after} & blue)
    # Back to three instances for the next drills.
    for i in (0, 1):
        cluster.start(i)
    for i in (0, 1):
        cluster.wait_ready(i)
    cluster.set_pool(range(N_INSTANCES))


def test_rolling_restart_under_load_drops_nothing(cluster):
    pids_before = [p.pid for p in cluster.procs]
    stop_s: list[float] = []
    with Load(cluster.nginx_port, threads=4, max_seconds=120) as load:
        time.sleep(1.0)
        for i in range(N_INSTANCES):
            stop_s.append(cluster.stop(i))
            cluster.start(i)
            cluster.wait_ready(i)
            cluster.wait_in_pool(i, since=time.time() - 1)
    report_figures(
        f"rolling restart: {load.count} requests, {len(load.failures)} failed, "
        f"{load.keepalive_retries} keep-alive reconnects; graceful stops took "
        f"{', '.join(f'{t:.1f}s' for t in stop_s)}"
    )
    assert [p.pid for p in cluster.procs] != pids_before
    assert load.failures == [], load.failures[:10]
    assert load.count > 100


def test_metrics_add_up_over_two_gunicorn_workers(cluster):
    port = cluster.ports[0]
    pattern = re.compile(
        r'^deepwiki_http_requests_total\{(?=[^}]*route="livez")(?=[^}]*status="200")[^}]*\} (\S+)$',
        re.M,
    )

    def livez_total() -> float:
        auth = {"Authorization": f"Bearer {METRICS_TOKEN}"}
        status, _, body = req(port, "/metrics", headers=auth)
        assert status == 200
        return sum(float(v) for v in pattern.findall(body.decode()))

    before = livez_total()
    n = 60
    for _ in range(n):  # fresh connections, so both workers take some
        assert req(port, "/livez")[0] == 200
    assert livez_total() - before == n
    files = list((cluster.tmp / "prom0").glob("counter_*.db"))
    assert len(files) >= 2, f"only {len(files)} worker(s) wrote samples"


def test_database_outage_fails_health_and_recovers_without_restart(cluster):
    pids = [p.pid for p in cluster.procs]
    port = cluster.ports[1]
    cluster.pg_proxy.unplug()
    try:
        wait_for(lambda: req(port, "/readyz")[0] == 503, timeout=20, what="/readyz 503")
        status, _, body = req(port, "/readyz")
        assert "database" in json.loads(body)["failing"]
        status, _, body = req(port, "/api/health")
        assert status == 503
        report = json.loads(body)
        assert (
            report["status"] == "unhealthy"
            and report["checks"]["database"]["status"] != "up"
        )
        assert req(cluster.nginx_port, "/health")[0] == 503
        assert req(port, "/livez")[0] == 200  # alive, just not ready: no restart loop
    finally:
        cluster.pg_proxy.resume()
        resumed = time.monotonic()

    # Every gunicorn process of every instance works again (no stale pooled
    # connections): 10 consecutive DB-touching requests per instance succeed.
    def recovered(port):
        return all(req(port, "/api/health")[0] == 200 for _ in range(10))

    for p in cluster.ports:
        wait_for(
            lambda p=p: recovered(p), timeout=45, interval=0.5, what=f"recovery of {p}"
        )
    report_figures(
        f"database outage: recovered {time.monotonic() - resumed:.1f}s after the database returned"
    )
    assert req(cluster.nginx_port, "/health")[0] == 200
    assert [p.pid for p in cluster.procs] == pids


def test_redis_outage_serves_requests_uncached(cluster):
    session = login(cluster.ports[2])
    cluster.redis_proxy.unplug()
    try:
        for port in cluster.ports:
            assert req(port, "/accounts/login/")[0] == 200
            assert (
                req(port, "/django-admin/", headers={"Cookie": f"sessionid={session}"})[
                    0
                ]
                == 200
            )
            assert req(port, "/readyz")[0] == 200  # cache down = degraded, still ready
        status, _, body = req(cluster.nginx_port, "/health")
        assert status == 200
        assert json.loads(body)["checks"]["cache"]["status"] != "up"
    finally:
        cluster.redis_proxy.resume()


# ---- backups on PostgreSQL ---------------------------------------------------------------


def db_snapshot(url: str) -> dict[str, tuple[int, str]]:
    """Row count and an order-independent digest of every table in the public schema."""
    out = {}
    with _connect_pg(url) as conn:
        tables = [
            r[0]
            for r in conn.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1"
            )
        ]
        for t in tables:
            rows = conn.execute(f'SELECT t::text FROM "{t}" t').fetchall()
            digest = hashlib.sha256(
                "\n".join(sorted(r[0] for r in rows)).encode()
            ).hexdigest()
            out[t] = (len(rows), digest)
    return out


def blob_snapshot(media: Path) -> dict[str, str]:
    return {
        str(p.relative_to(media)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(media.rglob("*"))
        if p.is_file()
    }


def test_backup_drop_restore_gives_identical_rows_and_blobs(cluster):
    for i in range(N_INSTANCES):  # quiesce: the drill drops the database
        cluster.stop(i)
    env = cluster.direct_env
    cluster.run(
        "shell",
        "-c",
        (
            "from django.core.files.base import ContentFile\n"
            "from django.core.files.storage import storages\n"
            "s = storages['default']\n"
            "for i in range(5):\n"
            "    s.save(f'blobs/drill/{i:02d}.bin', ContentFile(bytes([i]) * (1000 + i)))\n"
        ),
        env=env,
    )
    media = cluster.tmp / "data" / "media"
    rows_before, blobs_before = db_snapshot(cluster.db_url), blob_snapshot(media)
    assert rows_before and len(blobs_before) >= 5
    archive = cluster.tmp / "backups" / "full.tar.gz"
    out = cluster.run("backup", str(archive), env=env).stdout
    assert "pg_dump" in out

    # Non-empty database: refused without --force.
    proc = subprocess.run(
        [str(DEEPWIKI), "restore", str(archive)],
        env=env,
        cwd=cluster.tmp,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert proc.returncode != 0 and "--force" in proc.stderr

    create_db(cluster.admin_url, cluster.db_name)  # drop + recreate: empty
    shutil.rmtree(media)
    cluster.run("restore", str(archive), env=env)
    assert db_snapshot(cluster.db_url) == rows_before
    assert blob_snapshot(media) == blobs_before

    # scripts/backup-db.sh (pg_dump) + restore-db.sh into another fresh database.
    bdir = cluster.tmp / "script-backups"
    proc = subprocess.run(
        ["bash", str(SCRIPTS / "backup-db.sh")],
        env={**env, "BACKUP_DIR": str(bdir)},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    (dump,) = bdir.glob("deepwiki-db-*.dump")
    other = cluster.db_name + "_r"
    other_url = create_db(cluster.admin_url, other)
    try:
        proc = subprocess.run(
            ["bash", str(SCRIPTS / "restore-db.sh"), str(dump)],
            env={**env, "DATABASE_URL": other_url},
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        assert proc.returncode == 3  # no --yes
        proc = subprocess.run(
            ["bash", str(SCRIPTS / "restore-db.sh"), str(dump), "--yes"],
            env={**env, "DATABASE_URL": other_url},
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        assert proc.returncode == 0, proc.stderr
        assert db_snapshot(other_url) == rows_before
    finally:
        drop_db(cluster.admin_url, other)
    report_figures(
        f"backup/restore: {len(rows_before)} tables, {sum(n for n, _ in rows_before.values())} rows, "
        f"{len(blobs_before)} blobs identical after drop+restore"
    )
