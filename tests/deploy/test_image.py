"""Checks on the built container image, running (`make image-test`).

The image under test is $DEEPWIKI_TEST_IMAGE (built by scripts/image-test.sh);
PostgreSQL and Redis are containers too (on podman here: the stand-in images of
scripts/standin-base-images.sh). The web container runs as in
docker-compose.prod.yml: production settings, read-only root file system, a /tmp
tmpfs, all capabilities dropped, no new privileges.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import socket
import subprocess
import time

import pytest

from .conftest import report
from .containers import LABEL, RUN_ID, free_port, make_engine, request, wait_http

pytestmark = pytest.mark.image

SIZE_BUDGET_MB = 550
HOST = "wiki.example.test"
DB_PASSWORD = "image-test-" + secrets.token_hex(8)
SECRET_KEY = secrets.token_urlsafe(50)
METRICS_TOKEN = "image-test-" + secrets.token_hex(12)
DEMO_EMAILS = ["admin@deepwiki.com", "user@deepwiki.com"]


@pytest.fixture(scope="module")
def engine():
    eng = make_engine()
    volumes = set(eng("volume", "ls", "-q").stdout.split())
    yield eng
    eng.cleanup()
    assert not eng.leftovers(), "containers, networks or volumes were left behind"
    left = set(eng("volume", "ls", "-q").stdout.split()) - volumes
    assert not left, f"anonymous volumes left behind: {left}"


@pytest.fixture(scope="module")
def image(engine):
    name = os.environ.get("DEEPWIKI_TEST_IMAGE", "deepwiki:test")
    if engine(
        "image", "exists" if engine.podman else "inspect", name, check=False
    ).returncode:
        pytest.fail(f"image {name} is not built: run `make image-test`")
    return name


class Stack:
    """A network with PostgreSQL, Redis and one web container of the image."""

    def __init__(self, engine, image):
        self.engine = engine
        self.image = image
        self.net = f"dwimg-{RUN_ID}"
        self.db = f"dwimg-{RUN_ID}-db"
        self.redis = f"dwimg-{RUN_ID}-redis"
        self.web = f"dwimg-{RUN_ID}-web"
        self.port = free_port()
        self.early_logs = ""
        self.served_before_db = None

    def app_env(self, **extra) -> list[str]:
        env = {
            "DEEPWIKI_ENV": "production",
            "DEEPWIKI_SECRET_KEY": SECRET_KEY,
            "DEEPWIKI_ALLOWED_HOSTS": HOST,
            "DEEPWIKI_BASE_URL": f"http://{HOST}",
            "DEEPWIKI_ALLOW_INSECURE_COOKIES": "1",
            "DATABASE_URL": f"postgres://deepwiki:{DB_PASSWORD}@db:5432/deepwiki",
            "REDIS_URL": "redis://redis:6379/0",
            "DEEPWIKI_TASKS": "database",
            # Operators see the health details with the metrics token.
            "METRICS_TOKEN": METRICS_TOKEN,
            "WEB_CONCURRENCY": "2",
            "DB_WAIT_TIMEOUT": "300",
        }
        env.update(extra)
        out = []
        for key, value in env.items():
            out += ["-e", f"{key}={value}"]
        return out

    def hardened(self) -> list[str]:
        return [
            "--read-only",
            "--tmpfs",
            "/tmp:size=64m,mode=1777",
            "--cap-drop",
            "ALL",
            "--security-opt",
            "no-new-privileges",
        ]

    def run_app(self, name: str, *cmd: str, port: int | None = None, env=None):
        args = ["run", "-d", "--name", name, "--label", LABEL, "--network", self.net]
        if port:
            args += ["-p", f"127.0.0.1:{port}:8000"]
        self.engine(
            *args,
            *self.hardened(),
            *self.app_env(**(env or {})),
            self.image,
            *cmd,
        )

    def once(self, *cmd: str, env=None, timeout=300) -> subprocess.CompletedProcess:
        """`run --rm` the image with a command on the stack's network."""
        return self.engine(
            "run",
            "--rm",
            "--label",
            LABEL,
            "--network",
            self.net,
            *self.hardened(),
            *self.app_env(**(env or {})),
            self.image,
            *cmd,
            check=False,
            timeout=timeout,
        )

    def psql(self, sql: str, db: str = "deepwiki") -> str:
        return self.engine(
            "exec", self.db, "psql", "-U", "deepwiki", "-d", db, "-tA", "-c", sql
        ).stdout.strip()

    def django(self, code: str, container: str | None = None) -> str:
        """The last line `deepwiki shell -c CODE` prints (it may announce imports)."""
        out = self.engine(
            "exec", container or self.web, "deepwiki", "shell", "-c", code
        ).stdout.strip()
        return out.splitlines()[-1] if out else ""

    def start(self):
        e = self.engine
        e("network", "create", "--label", LABEL, self.net)
        e(
            "run", "-d", "--name", self.redis, "--label", LABEL,
            "--network", self.net, "--network-alias", "redis", "redis:7-alpine",
        )  # fmt: skip
        # The database exists but is not started yet: the web container must wait.
        e(
            "create", "--name", self.db, "--label", LABEL, "--network", self.net,
            "--network-alias", "db", "-e", "POSTGRES_USER=deepwiki",
            "-e", f"POSTGRES_PASSWORD={DB_PASSWORD}", "-e", "POSTGRES_DB=deepwiki",
            "--health-cmd", "pg_isready -U deepwiki -d deepwiki",
            "postgres:15-alpine",
        )  # fmt: skip
        self.run_app(self.web, port=self.port)
        deadline = time.monotonic() + 120
        while "waiting for the database" not in self.early_logs:
            assert time.monotonic() < deadline, self.engine.logs(self.web)
            time.sleep(1)
            self.early_logs = e.logs(self.web)
        time.sleep(3)
        self.early_logs = e.logs(self.web)
        try:
            request(self.port, "/livez", headers={"Host": HOST}, timeout=3)
            self.served_before_db = True
        except OSError:
            self.served_before_db = False
        e("start", self.db)
        e.wait_health(self.web, "healthy", timeout=300)


@pytest.fixture(scope="module")
def stack(engine, image):
    s = Stack(engine, image)
    try:
        s.start()
        yield s
    finally:
        engine.cleanup()


# --- the image itself ---------------------------------------------------------------


def test_image_size_is_within_budget(engine, image):
    size = int(engine.inspect(image, "{{.Size}}"))
    mb = size / 1e6
    built = os.environ.get("DEEPWIKI_IMAGE_BUILD_SECONDS", "?")
    report(
        f"image {image}: {mb:.0f} MB (budget {SIZE_BUDGET_MB} MB), "
        f"built in {built} s with {engine.name}"
    )
    assert mb < SIZE_BUDGET_MB


def test_runs_as_uid_1001_and_can_write_only_to_data_and_tmp(engine, image):
    # Not read-only here, so this sees the file modes the image ships with.
    proc = engine(
        "run", "--rm", "--label", LABEL, "--entrypoint", "sh", image, "-c",
        "id -u; id -g; find / -xdev \\( -path /proc -o -path /sys -o -path /dev \\)"
        " -prune -o -writable -print 2>/dev/null; true",
    )  # fmt: skip
    lines = proc.stdout.split()
    assert lines[:2] == ["1001", "1001"]
    allowed = ("/app/data", "/tmp", "/var/tmp", "/run/lock", "/var/lock")
    writable = [p for p in lines[2:] if not p.startswith(allowed)]
    assert writable == [], f"writable by the app user: {writable[:20]}"
    assert engine.inspect(image, "{{.Config.User}}") == "1001:1001"


def test_final_stage_has_no_compilers_or_build_tools(engine, image):
    tools = "gcc cc c++ g++ clang cpp make cmake ld as npm node git"
    proc = engine(
        "run", "--rm", "--label", LABEL, "--entrypoint", "sh", image, "-c",
        f"for t in {tools}; do command -v $t; done; "
        "dpkg-query -W -f '${Package}\\n' | grep -E "
        "'^(gcc|g\\+\\+|cpp|clang)(-[0-9]+)?$|^(binutils|make|libc6-dev|build-essential"
        "|python3(\\.[0-9]+)?-dev|libpq-dev)$' ; "
        "ls -d /wheels /build 2>/dev/null; true",
    )  # fmt: skip
    assert proc.stdout.split() == [], f"build tools in the final image: {proc.stdout}"


# --- start-up ------------------------------------------------------------------------


def test_web_waits_for_the_database_then_migrates_and_turns_healthy(stack):
    assert "waiting for the database" in stack.early_logs
    assert "applying migrations" not in stack.early_logs
    assert stack.served_before_db is False
    logs = stack.engine.logs(stack.web)
    assert "applying migrations" in logs and "starting web server" in logs
    plan = stack.engine(
        "exec", stack.web, "deepwiki", "showmigrations", "--plan"
    ).stdout
    assert "[X]" in plan and "[ ]" not in plan
    status, _, body = request(
        stack.port,
        "/readyz",
        headers={"Host": HOST, "Authorization": f"Bearer {METRICS_TOKEN}"},
    )
    assert status == 200, body
    assert json.loads(body)["checks"]["database"]["vendor"] == "postgresql"


def test_demo_accounts_are_not_seeded_unless_asked(stack):
    emails = json.dumps(DEMO_EMAILS)
    code = (
        "from deepwiki.accounts.models import User; "
        f"print(User.objects.filter(email__in={emails}).count())"
    )
    assert stack.django(code) == "0"
    # Asked for, outside production: the demo accounts are there.
    stack.psql("CREATE DATABASE seeded OWNER deepwiki")
    url = f"postgres://deepwiki:{DB_PASSWORD}@db:5432/seeded"
    proc = stack.once(
        "migrate",
        env={
            "DATABASE_URL": url,
            "DEEPWIKI_ENV": "development",
            "DEEPWIKI_SEED_DEMO": "1",
            "DEEPWIKI_DATA_DIR": "/tmp/data",
        },
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    count = stack.psql(
        "SELECT count(*) FROM accounts_user WHERE email IN "
        "('admin@deepwiki.com', 'user@deepwiki.com')",
        db="seeded",
    )
    assert count == "2"
    # Asked for in production: refused, with the reason.
    proc = stack.once("migrate", env={"DATABASE_URL": url, "DEEPWIKI_SEED_DEMO": "1"})
    assert proc.returncode != 0
    assert "DEEPWIKI_SEED_DEMO=1 refused with DEEPWIKI_ENV=production" in proc.stderr


def test_unsafe_production_settings_are_refused_with_a_clear_message(stack):
    proc = stack.once(
        "web",
        env={"DEEPWIKI_SECRET_KEY": "", "DEEPWIKI_DEBUG": "1", "DB_WAIT_TIMEOUT": "30"},
        timeout=180,
    )
    out = proc.stdout + proc.stderr
    assert proc.returncode != 0
    assert "DEEPWIKI_SECRET_KEY is not set" in out, out[-3000:]
    assert "DEEPWIKI_DEBUG is on" in out
    assert "starting web server" not in out


def test_restart_keeps_the_data_and_migrations_never_reset_it(stack):
    e = stack.engine
    e(
        "exec", stack.web, "deepwiki", "createadmin", "--email", "keep@example.com",
        "--password", "Keep-Me-" + secrets.token_hex(6),
    )  # fmt: skip
    e("restart", "-t", "40", stack.web)
    e.wait_health(stack.web, "healthy")
    code = (
        "from deepwiki.accounts.models import User; "
        "print(User.objects.filter(email='keep@example.com').count())"
    )
    assert stack.django(code) == "1"
    assert "No migrations to apply" in e.logs(stack.web)


# --- commands -----------------------------------------------------------------------


def test_migrate_command_applies_migrations_and_exits(stack):
    stack.psql("CREATE DATABASE migrate_only OWNER deepwiki")
    url = f"postgres://deepwiki:{DB_PASSWORD}@db:5432/migrate_only"
    proc = stack.once("migrate", env={"DATABASE_URL": url})
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert "migrations applied" in proc.stderr
    assert "starting" not in proc.stderr
    tables = stack.psql(
        "SELECT count(*) FROM information_schema.tables WHERE table_schema='public'",
        db="migrate_only",
    )
    assert int(tables) > 10
    assert stack.psql("SELECT count(*) FROM accounts_user", db="migrate_only") == "0"


def test_worker_command_runs_queued_tasks(stack):
    e = stack.engine
    admin = "worker-admin@example.com"
    e(
        "exec", stack.web, "deepwiki", "createadmin", "--email", admin,
        "--password", "Worker-" + secrets.token_hex(6),
    )  # fmt: skip
    run_id = stack.django(
        "from deepwiki.accounts.models import User; "
        "from deepwiki.administration.maintenance import maintenance_request; "
        f"r = maintenance_request(actor=User.objects.get(email='{admin}'), "
        "action='cleanup'); print(r.pk, r.status)"
    ).split()
    assert run_id[1] == "queued"
    worker = f"dwimg-{RUN_ID}-worker"
    stack.run_app(worker, "worker", env={"SKIP_MIGRATIONS": "1"})
    code = (
        "from deepwiki.activity.models import MaintenanceRun; "
        f"print(MaintenanceRun.objects.get(pk={run_id[0]}).status)"
    )
    deadline = time.monotonic() + 180
    status = ""
    while status != "succeeded":
        assert time.monotonic() < deadline, (status, e.logs(worker)[-3000:])
        time.sleep(2)
        status = stack.django(code)
    assert "starting background worker" in e.logs(worker)
    e("rm", "-f", "-v", "-t", "10", worker)


def test_other_commands_are_run_as_given(stack):
    proc = stack.once("deepwiki", "check", "--deploy")
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert "System check identified" in proc.stdout + proc.stderr


# --- serving -------------------------------------------------------------------------


def test_static_files_and_mermaid_are_in_the_image_and_served(stack):
    manifest = json.loads(
        stack.engine(
            "exec", stack.web, "cat", "/app/staticfiles/staticfiles.json"
        ).stdout
    )["paths"]
    mermaid = [k for k in manifest if "mermaid" in k and k.endswith(".js")]
    assert mermaid, "Mermaid is not in the collected static files"
    for name in [mermaid[0], *[k for k in manifest if k.endswith(".css")][:1]]:
        status, headers, body = request(
            stack.port, f"/static/{manifest[name]}", headers={"Host": HOST}
        )
        assert status == 200 and len(body) > 100, name
        assert "immutable" in headers.get("cache-control", ""), name
    status, _, page = request(stack.port, "/accounts/login/", headers={"Host": HOST})
    assert status == 200
    for ref in re.findall(rb'(?:href|src)="(/static/[^"]+)"', page):
        status, _, _ = request(stack.port, ref.decode(), headers={"Host": HOST})
        assert status == 200, ref


def test_healthcheck_unhealthy_while_the_database_is_stopped_then_healthy(stack):
    e = stack.engine
    e.wait_health(stack.web, "healthy")
    e("stop", "-t", "30", stack.db)
    try:
        e.wait_health(stack.web, "unhealthy", timeout=240)
        status, _, _ = request(stack.port, "/readyz", headers={"Host": HOST})
        assert status == 503
    finally:
        e("start", stack.db)
    e.wait_health(stack.web, "healthy", timeout=240)
    assert e.inspect(stack.web, "{{.State.Status}}") == "running"


def test_sigterm_stops_gracefully_without_failing_in_flight_requests(stack):
    e = stack.engine
    name = f"dwimg-{RUN_ID}-term"
    port = free_port()
    stack.run_app(name, port=port, env={"SKIP_MIGRATIONS": "1"})
    wait_http(port, "/readyz", headers={"Host": HOST})
    # A request in flight: headers and half of the body sent before SIGTERM.
    body = json.dumps({"email": "nobody@example.com", "password": "x" * 40}).encode()
    sock = socket.create_connection(("127.0.0.1", port), timeout=60)
    sock.sendall(
        b"POST /api/auth/login HTTP/1.1\r\nHost: " + HOST.encode() + b"\r\n"
        b"Content-Type: application/json\r\nConnection: close\r\n"
        b"Content-Length: " + str(len(body)).encode() + b"\r\n\r\n" + body[:10]
    )
    time.sleep(1)
    grace = 30
    stopper = subprocess.Popen(
        [e.name, "stop", "-t", str(grace), name], env=e.env, stdout=subprocess.DEVNULL
    )
    started = time.monotonic()
    deadline = started + 60
    while not re.search(r"handling signal: term", e.logs(name), re.I):
        assert time.monotonic() < deadline, e.logs(name)[-2000:]
        time.sleep(0.5)
    sock.sendall(body[10:])
    reply = b""
    while chunk := sock.recv(65536):
        reply += chunk
    sock.close()
    stopper.wait(timeout=grace + 30)
    took = time.monotonic() - started
    status = int(reply.split(b" ", 2)[1]) if reply.startswith(b"HTTP/") else 0
    assert 200 <= status < 500, reply[:500]
    exit_code = e.inspect(name, "{{.State.ExitCode}}")
    report(
        f"SIGTERM: in-flight request answered {status}; stopped in {took:.1f} s "
        f"(grace {grace} s), exit code {exit_code}"
    )
    assert exit_code == "0", e.logs(name)[-2000:]
    e("rm", "-f", "-v", name)
