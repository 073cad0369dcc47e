"""Run containers for the image and compose checks (docker or podman).

Everything a test creates carries the label ``deepwiki.test=<run id>`` (or the
compose project's label) and is removed by ``Engine.cleanup``, which the
fixtures call in a ``finally``: also when a test fails.

The checks run in their own CI step (`make image-test`, which sets
DEEPWIKI_IMAGE_TESTS=1 after building the image); the two ordinary passes of the
suite skip them with a notice so they run once per CI run.
"""

from __future__ import annotations

import http.client
import io
import json
import os
import secrets
import shutil
import socket
import ssl
import subprocess
import time
import zipfile
from pathlib import Path

import pytest

from .conftest import ROOT, missing

RUN_ID = secrets.token_hex(4)
LABEL = f"deepwiki.test={RUN_ID}"


def image_tests_enabled() -> None:
    if os.environ.get("DEEPWIKI_IMAGE_TESTS") != "1":
        pytest.skip(
            "container image checks run in their own step: `make image-test` "
            "(.ci/run runs it once per CI run)"
        )


def free_port() -> int:
    """A free loopback port in this project's range for tests (18500-18599)."""
    for port in range(18500, 18600):
        with socket.socket() as s:
            try:
                s.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError("no free port in 18500-18599")


class Engine:
    """A thin wrapper over the docker/podman command line."""

    def __init__(self, name: str, env: dict[str, str]):
        self.name = name
        self.env = env
        self.podman = name == "podman"

    def __call__(
        self, *args: str, check: bool = True, timeout: float = 300, input=None
    ) -> subprocess.CompletedProcess:
        proc = subprocess.run(
            [self.name, *args],
            env=self.env,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
            input=input,
        )
        if check and proc.returncode != 0:
            raise AssertionError(
                f"{self.name} {' '.join(args)} -> {proc.returncode}\n"
                f"{proc.stdout[-3000:]}\n{proc.stderr[-3000:]}"
            )
        return proc

    # --- inspection -----------------------------------------------------------

    def inspect(self, name: str, fmt: str) -> str:
        return self("inspect", "--format", fmt, name).stdout.strip()

    def health(self, name: str) -> str:
        """Health status; with podman the check is run now (no systemd timers here)."""
        if self.podman:
            self("healthcheck", "run", name, check=False, timeout=60)
            return self.inspect(name, "{{.State.Healthcheck.Status}}")
        return self.inspect(name, "{{.State.Health.Status}}")

    def wait_health(self, name: str, want: str, timeout: float = 180) -> None:
        deadline = time.monotonic() + timeout
        status = ""
        while time.monotonic() < deadline:
            status = self.health(name)
            if status == want:
                return
            if self.inspect(name, "{{.State.Status}}") not in {"running", "stopping"}:
                break
            time.sleep(2)
        logs = self("logs", "--tail", "40", name, check=False)
        raise AssertionError(
            f"{name} is {status!r}, not {want!r}\n{logs.stdout[-3000:]}\n{logs.stderr[-3000:]}"
        )

    def logs(self, name: str) -> str:
        proc = self("logs", name, check=False)
        return proc.stdout + proc.stderr

    # --- clean-up -------------------------------------------------------------

    def cleanup(self, label: str = LABEL) -> None:
        """Remove every container, network and volume that carries LABEL."""
        ids = self("ps", "-aq", "--filter", f"label={label}", check=False)
        if ids.stdout.split():
            self("rm", "-f", "-v", "-t", "5", *ids.stdout.split(), check=False)
        nets = self("network", "ls", "-q", "--filter", f"label={label}", check=False)
        if nets.stdout.split():
            self("network", "rm", "-f", *nets.stdout.split(), check=False)
        vols = self("volume", "ls", "-q", "--filter", f"label={label}", check=False)
        if vols.stdout.split():
            self("volume", "rm", "-f", *vols.stdout.split(), check=False)

    def leftovers(self, label: str = LABEL) -> list[str]:
        out = []
        for kind in (["ps", "-aq"], ["network", "ls", "-q"], ["volume", "ls", "-q"]):
            proc = self(*kind, "--filter", f"label={label}", check=False)
            out += proc.stdout.split()
        return out


def make_engine() -> Engine:
    """The engine `scripts/image-test.sh` chose, with its podman configuration."""
    image_tests_enabled()
    proc = subprocess.run(
        ["bash", str(ROOT / "scripts" / "image-test.sh"), "env"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    if proc.returncode == 3:
        missing("neither docker nor podman can run here (apt-get install podman runc)")
    assert proc.returncode == 0, proc.stderr
    env = dict(os.environ)
    for line in proc.stdout.splitlines():
        key, _, value = line.removeprefix("export ").partition("=")
        env[key] = value.strip("'")
    name = env["CONTAINER_ENGINE"]
    if not shutil.which(name):
        missing(f"{name} is not installed")
    engine = Engine(name, env)
    probe = engine("info", check=False, timeout=60)
    if probe.returncode != 0:
        missing(f"{name} cannot run here: {probe.stderr.strip()[-300:]}")
    return engine


# --- HTTP -------------------------------------------------------------------------


def request(
    port: int,
    path: str,
    *,
    method: str = "GET",
    body: bytes | None = None,
    headers: dict | None = None,
    host: str = "127.0.0.1",
    tls: bool = False,
    timeout: float = 30,
) -> tuple[int, dict, bytes]:
    if tls:
        ctx = ssl.create_default_context()
        ctx.check_hostname = False
        ctx.verify_mode = ssl.CERT_NONE
        conn = http.client.HTTPSConnection(host, port, timeout=timeout, context=ctx)
    else:
        conn = http.client.HTTPConnection(host, port, timeout=timeout)
    try:
        conn.request(method, path, body=body, headers=headers or {})
        resp = conn.getresponse()
        return (
            resp.status,
            {k.lower(): v for k, v in resp.getheaders()},
            resp.read(),
        )
    finally:
        conn.close()


def wait_http(port: int, path: str, want: int = 200, timeout: float = 180, **kw):
    deadline = time.monotonic() + timeout
    last = None
    while time.monotonic() < deadline:
        try:
            status, headers, body = request(port, path, timeout=10, **kw)
            if status == want:
                return status, headers, body
            last = (status, body[:300])
        except OSError as exc:
            last = exc
        time.sleep(1)
    raise AssertionError(f"{path} on :{port} never answered {want}: {last}")


def docs_zip(marker: str) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("index.md", f"# Handbook {marker}\n\nSee [setup](setup.md).\n")
        zf.writestr(
            "setup.md",
            f"# Setup\n\nThe {marker} setup.\n\n```mermaid\ngraph TD; A-->B\n```\n",
        )
    return buf.getvalue()


def multipart_zip(data: bytes, name: str = "docs.zip") -> tuple[bytes, str]:
    boundary = "image" + secrets.token_hex(8)
    body = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="paths"\r\n\r\n'
        f"{name}\r\n"
        f'--{boundary}\r\nContent-Disposition: form-data; name="files"; '
        f'filename="{name}"\r\nContent-Type: application/zip\r\n\r\n'
    ).encode() + data
    body += f"\r\n--{boundary}--\r\n".encode()
    return body, f"multipart/form-data; boundary={boundary}"


def upload_read_search(
    port: int, token: str, *, tls: bool = False, host_header: str = "", **kw
) -> str:
    """Upload a zip, read its page, find it by search; return the wiki slug."""
    auth = {"Authorization": f"Bearer {token}"}
    if host_header:
        auth["Host"] = host_header
    marker = "img" + secrets.token_hex(4)
    body, ctype = multipart_zip(docs_zip(marker))
    status, _, data = request(
        port,
        "/api/wiki/upload",
        method="POST",
        body=body,
        headers={**auth, "Content-Type": ctype},
        tls=tls,
        timeout=120,
        **kw,
    )
    assert status == 201, data[:500]
    slug = json.loads(data)["slug"]
    status, _, page = request(port, f"/wikis/{slug}/", headers=auth, tls=tls, **kw)
    assert status == 200 and marker.encode() in page, (status, page[:300])
    deadline = time.monotonic() + 60
    while True:
        status, _, found = request(
            port, f"/api/wiki/search?q={marker}", headers=auth, tls=tls, **kw
        )
        if status == 200 and json.loads(found)["total"] >= 1:
            return slug
        # Search indexing may run as a queued task on the worker.
        assert time.monotonic() < deadline, (status, found[:300])
        time.sleep(1)


def write_tree(dest: Path, files: dict[str, str]) -> None:
    for rel, text in files.items():
        path = dest / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
