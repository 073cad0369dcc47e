"""docker-compose.yml and docker-compose.prod.yml brought up for real (`make image-test`).

With podman the stacks run under podman-compose; PostgreSQL, Redis and nginx are
the stand-in images of scripts/standin-base-images.sh (test fixtures). Each stack
is a compose project of its own, on loopback ports of this project's range, and is
removed with its networks and volumes at the end, also when a test fails.

Podman runs health checks from systemd timers; on machines without systemd a
thread here runs `podman healthcheck run` for the project's containers instead,
on the same interval idea (every 2 s while a test waits).
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from .conftest import ROOT, missing, report
from .containers import RUN_ID, free_port, make_engine, upload_read_search, wait_http

pytestmark = pytest.mark.image

HOST = "wiki.example.test"


def compose_command(engine) -> list[str]:
    if engine.name == "docker":
        return ["docker", "compose"]
    found = shutil.which("podman-compose") or str(
        Path(sys.executable).parent / "podman-compose"
    )
    if not Path(found).exists():
        missing("podman-compose is not installed (pip install podman-compose)")
    return [found]


class Project:
    """One compose project in a directory of its own."""

    def __init__(self, engine, workdir: Path, files: list[str], name: str, env):
        self.engine = engine
        self.workdir = workdir
        self.files = files
        self.name = name
        self.env = {**engine.env, **env}
        self.label = (
            f"io.podman.compose.project={name}"
            if engine.podman
            else f"com.docker.compose.project={name}"
        )
        self._driving = threading.Event()
        self._driver = None

    def compose(self, *args, check=True, timeout=600) -> subprocess.CompletedProcess:
        cmd = [*compose_command(self.engine), "-p", self.name]
        for f in self.files:
            cmd += ["-f", f]
        proc = subprocess.run(
            [*cmd, *args],
            cwd=self.workdir,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
        if check and proc.returncode != 0:
            raise AssertionError(
                f"{' '.join(args)} -> {proc.returncode}\n{proc.stdout[-4000:]}\n"
                f"{proc.stderr[-4000:]}"
            )
        return proc

    def containers(self) -> dict[str, str]:
        """service name -> container name."""
        proc = self.engine(
            "ps", "-a", "--filter", f"label={self.label}", "--format", "json"
        )
        out = {}
        for c in json.loads(proc.stdout or "[]"):
            labels = c.get("Labels") or {}
            service = labels.get("com.docker.compose.service") or labels.get(
                "io.podman.compose.service", ""
            )
            names = c["Names"]
            out.setdefault(service, names[0] if isinstance(names, list) else names)
        return out

    # podman without systemd: run the health checks ourselves.
    def _drive(self):
        while not self._driving.wait(2):
            for name in self.containers().values():
                self.engine("healthcheck", "run", name, check=False, timeout=60)

    def start_health_driver(self):
        if self.engine.podman and self._driver is None:
            self._driver = threading.Thread(target=self._drive, daemon=True)
            self._driver.start()

    def stop_health_driver(self):
        self._driving.set()
        if self._driver:
            self._driver.join(timeout=90)
        self._driver = None
        self._driving = threading.Event()

    def up(self, *services):
        self.start_health_driver()
        self.compose("up", "-d", *services, timeout=900)

    def wait_healthy(self, services, timeout=300):
        deadline = time.monotonic() + timeout
        state = {}
        while time.monotonic() < deadline:
            names = self.containers()
            state = {}
            for svc in services:
                name = names.get(svc)
                fmt = (
                    "{{.State.Healthcheck.Status}}"
                    if self.engine.podman
                    else "{{.State.Health.Status}}"
                )
                state[svc] = self.engine.inspect(name, fmt) if name else "missing"
            if all(v == "healthy" for v in state.values()):
                return
            time.sleep(2)
        logs = {
            s: self.engine.logs(n)[-1500:]
            for s, n in self.containers().items()
            if state.get(s) != "healthy"
        }
        raise AssertionError(f"not healthy: {state}\n{logs}")

    def running(self, service) -> bool:
        name = self.containers().get(service)
        return (
            bool(name) and self.engine.inspect(name, "{{.State.Status}}") == "running"
        )

    def exec(self, service, *cmd) -> str:
        return self.engine("exec", self.containers()[service], *cmd).stdout.strip()

    def down(self):
        self.stop_health_driver()
        # Containers first with their anonymous volumes (compose down keeps those),
        # then compose removes the named volumes and the networks.
        self.engine.cleanup(self.label)
        self.compose("down", "-v", "-t", "10", check=False, timeout=300)
        self.engine.cleanup(self.label)


@pytest.fixture(scope="module")
def engine():
    eng = make_engine()
    compose_command(eng)
    volumes = set(eng("volume", "ls", "-q").stdout.split())
    yield eng
    left = set(eng("volume", "ls", "-q").stdout.split()) - volumes
    assert not left, f"volumes left behind: {left}"


@pytest.fixture(scope="module")
def image(engine):
    name = os.environ.get("DEEPWIKI_TEST_IMAGE", "deepwiki:test")
    proc = engine("image", "inspect", name, check=False)
    if proc.returncode:
        pytest.fail(f"image {name} is not built: run `make image-test`")
    return name


def copy_kit(dest: Path) -> None:
    """The files a compose deployment uses, copied so the tests never write in ROOT."""
    for rel in ("docker-compose.yml", "docker-compose.prod.yml", ".env.example"):
        shutil.copy2(ROOT / rel, dest / rel)
    shutil.copytree(ROOT / "deploy" / "nginx", dest / "deploy" / "nginx")
    shutil.copytree(ROOT / "scripts", dest / "scripts")
    shutil.copytree(ROOT / "src", dest / "src", ignore=shutil.ignore_patterns("*.pyc"))


def self_signed(dest: Path) -> Path:
    live = dest / "live" / "deepwiki"
    live.mkdir(parents=True)
    subprocess.run(
        [
            "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
            "-subj", f"/CN={HOST}", "-keyout", str(live / "privkey.pem"),
            "-out", str(live / "fullchain.pem"),
        ],
        check=True, capture_output=True, timeout=60,
    )  # fmt: skip
    shutil.copy2(live / "fullchain.pem", live / "chain.pem")
    for pem in live.iterdir():
        pem.chmod(0o644)
    return dest


# --- development stack -----------------------------------------------------------------


def test_dev_compose_app_worker_postgres_redis_reach_healthy(engine, image, tmp_path):
    if not shutil.which("openssl"):
        missing("openssl is not installed")
    copy_kit(tmp_path)
    port = free_port()
    name = f"dwdev{RUN_ID}"
    # The compose file builds deepwiki:dev; the image under test is that build.
    engine("tag", image, "deepwiki:dev")
    project = Project(
        engine,
        tmp_path,
        ["docker-compose.yml"],
        name,
        {
            "DEV_APP_PUBLISH": f"127.0.0.1:{port}",
            "DEV_POSTGRES_PUBLISH": f"127.0.0.1:{free_port_after(port)}",
            "DEV_REDIS_PUBLISH": f"127.0.0.1:{free_port_after(port, 2)}",
            "DEV_NETWORK": f"{name}-backend",
        },
    )
    try:
        started = time.monotonic()
        project.up()
        project.wait_healthy(["app", "postgres", "redis"])
        report(f"dev compose: healthy in {time.monotonic() - started:.0f} s")
        assert project.running("worker")
        status, _, body = wait_http(port, "/api/health")
        health = json.loads(body)
        assert health["status"] == "healthy"  # anonymous: no details (issue 11)
        facts = project.exec(
            "app",
            "python",
            "-c",
            "import os, django; "
            "os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'deepwiki.config.settings'); "
            "django.setup(); "
            "from django.conf import settings; from django.db import connection; "
            "print(connection.vendor, "
            "settings.CACHES['default']['BACKEND'].rsplit('.', 1)[-1], "
            "settings.ENVIRONMENT)",
        ).split()
        assert facts == ["postgresql", "TolerantRedisCache", "development"]
        # The mounted ./src is the code that runs (auto-reload from the host).
        assert project.exec(
            "app", "python", "-c", "import deepwiki; print(deepwiki.__file__)"
        ) == ("/app/src/deepwiki/__init__.py")
    finally:
        project.down()
        engine("rmi", "deepwiki:dev", check=False)
    assert not engine.leftovers(project.label)


def free_port_after(port: int, n: int = 1) -> int:
    import socket

    for candidate in range(port + n, 18600):
        with socket.socket() as s:
            try:
                s.bind(("127.0.0.1", candidate))
            except OSError:
                continue
            return candidate
    raise RuntimeError("no free port")


# --- production stack -------------------------------------------------------------------


@pytest.fixture(scope="module")
def prod(engine, image, tmp_path_factory):
    if not shutil.which("openssl"):
        missing("openssl is not installed")
    work = tmp_path_factory.mktemp("prod")
    copy_kit(work)
    certs = self_signed(tmp_path_factory.mktemp("letsencrypt"))
    backups = tmp_path_factory.mktemp("backups")
    https = free_port()
    http = free_port_after(https)
    (work / ".env.production").write_text(
        f"DEEPWIKI_SECRET_KEY={secrets.token_urlsafe(50)}\n"
        f"DEEPWIKI_ALLOWED_HOSTS={HOST}\n"
        f"DEEPWIKI_BASE_URL=https://{HOST}\n"
    )
    repo, _, tag = image.rpartition(":")
    project = Project(
        engine,
        work,
        ["docker-compose.prod.yml"],
        f"dwprod{RUN_ID}",
        {
            "POSTGRES_PASSWORD": "compose-" + secrets.token_hex(8),
            "DEEPWIKI_IMAGE": repo,
            "IMAGE_TAG": tag,
            "APP_REPLICAS": "1",
            "WEB_CONCURRENCY": "2",
            "HTTPS_PUBLISH": f"127.0.0.1:{https}",
            "HTTP_PUBLISH": f"127.0.0.1:{http}",
            "LETSENCRYPT_DIR": str(certs),
            "BACKUP_HOST_DIR": str(backups),
        },
    )
    project.https = https
    project.backups = backups
    try:
        started = time.monotonic()
        project.up()
        project.wait_healthy(["app", "postgres", "redis", "nginx"])
        report(f"prod compose: healthy in {time.monotonic() - started:.0f} s")
        yield project
    finally:
        project.down()
        assert not engine.leftovers(project.label)


def https_get(project, path, **kw):
    from .containers import request

    return request(project.https, path, tls=True, headers={"Host": HOST}, **kw)


def test_prod_compose_all_services_healthy_behind_nginx(prod):
    for svc in ("worker", "backup"):
        assert prod.running(svc), svc
    status, headers, body = https_get(prod, "/health")
    assert status == 200, body[:300]
    assert json.loads(body)["status"] == "healthy"  # anonymous: no details
    vendor = prod.exec(
        "app",
        "python",
        "-c",
        "import os, django; "
        "os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'deepwiki.config.settings'); "
        "django.setup(); from django.db import connection; print(connection.vendor)",
    )
    assert vendor.splitlines()[-1] == "postgresql"
    assert headers.get("x-request-id")
    assert "max-age" in headers.get("strict-transport-security", "")


def test_upload_a_zip_through_nginx_read_and_search_it_then_restart(prod):
    prod.exec(
        "app", "deepwiki", "createadmin", "--email", "ops@example.com",
        "--password", "Ops-" + secrets.token_hex(8),
    )  # fmt: skip
    token = prod.exec(
        "app", "deepwiki", "token", "create", "ops@example.com", "--name", "test"
    ).split()[-1]
    auth = {"Authorization": f"Bearer {token}", "Host": HOST}
    slug = upload_read_search(prod.https, token, tls=True, host_header=HOST)
    prod.slug, prod.token = slug, token
    # Stop and start the whole stack: the data is still there.
    prod.compose("stop", "-t", "30", timeout=600)
    prod.compose("start", timeout=600)
    prod.wait_healthy(["app", "postgres", "redis", "nginx"])

    # nginx resolves the app when it starts: give the restarted stack a moment.
    _, _, page = wait_http(
        prod.https, f"/wikis/{slug}/", tls=True, headers=auth, timeout=240
    )
    assert b"Handbook" in page


def test_backup_and_restore_scripts_against_the_compose_database(prod):
    from .containers import request

    if not getattr(prod, "slug", None):
        pytest.skip("needs the upload test's wiki")
    auth = {"Authorization": f"Bearer {prod.token}", "Host": HOST}
    wait_http(prod.https, f"/wikis/{prod.slug}/", tls=True, headers=auth)
    # backup-db.sh inside the backup service (its DATABASE_URL and BACKUP_DIR), once.
    before = set(prod.backups.iterdir())
    prod.exec("backup", "/scripts/backup-db.sh")
    dumps = sorted(set(prod.backups.glob("deepwiki-db-*.dump")) - before)
    assert dumps, list(prod.backups.iterdir())
    report(f"backup-db.sh: {dumps[-1].name} ({dumps[-1].stat().st_size} bytes)")
    # Lose the wiki, then restore-db.sh (shipped in the image) the dump into it.
    status, _, _ = request(
        prod.https, f"/api/wiki/slug/{prod.slug}", tls=True, headers=auth
    )
    assert status == 200
    prod.exec(
        "postgres", "psql", "-U", "deepwiki", "-d", "deepwiki", "-c",
        "TRUNCATE wikis_wiki CASCADE",
    )  # fmt: skip
    prod.exec("redis", "redis-cli", "FLUSHALL")
    status, _, _ = request(
        prod.https, f"/api/wiki/slug/{prod.slug}", tls=True, headers=auth
    )
    assert status == 404
    app = prod.containers()["app"]
    subprocess.run(
        [prod.engine.name, "exec", "-i", app, "sh", "-c", "cat > /tmp/restore.dump"],
        input=dumps[-1].read_bytes(),
        env=prod.engine.env,
        check=True,
        timeout=120,
    )
    prod.exec("app", "scripts/restore-db.sh", "/tmp/restore.dump", "--yes")
    prod.exec("redis", "redis-cli", "FLUSHALL")
    status, _, page = request(
        prod.https, f"/wikis/{prod.slug}/", tls=True, headers=auth, timeout=60
    )
    assert status == 200 and b"Handbook" in page
