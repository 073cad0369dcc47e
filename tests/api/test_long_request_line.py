"""A search longer than the server accepts gets the JSON error shape, not an HTML page.

Runs the real `deepwiki serve` (gunicorn): the request line limit is
gunicorn's, not Django's. Before (issue 11, item 7) a `q` of 10,000+
characters got gunicorn's HTML 414, and a legal search of 5,000 characters
never reached the application.
"""

from __future__ import annotations

import http.client
import json
import os
import signal
import socket
import subprocess
import time
from pathlib import Path

import pytest

DEEPWIKI = Path(__file__).resolve().parents[2] / ".venv" / "bin" / "deepwiki"
PORTS = range(19250, 19299)


def free_port() -> int:
    for port in PORTS:
        with socket.socket() as probe:
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    from conftest import missing_service

    missing_service("no free loopback port in 19250-19298")


def get(port: int, path: str) -> tuple[int, str, bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        conn.request("GET", path)
        response = conn.getresponse()
        return response.status, response.getheader("Content-Type", ""), response.read()
    finally:
        conn.close()


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    from conftest import missing_service

    if not DEEPWIKI.exists():
        missing_service(f"{DEEPWIKI} (run make install)")
    data = tmp_path_factory.mktemp("gunicorn-data")
    env = {
        **os.environ,
        "DEEPWIKI_DATA_DIR": str(data),
        "HOME": str(data),
        "LOG_LEVEL": "WARNING",
    }
    # The server gets its own embedded database: the test run's DATABASE_URL
    # names a database that only exists under pytest-django's test prefix.
    env.pop("DATABASE_URL", None)
    env.pop("REDIS_URL", None)
    subprocess.run(
        [str(DEEPWIKI), "migrate", "--noinput", "-v", "0"],
        env=env,
        check=True,
        timeout=600,
    )
    port = free_port()
    log = open(data / "server.log", "ab")  # noqa: SIM115 - closed below
    proc = subprocess.Popen(
        [str(DEEPWIKI), "serve", "--host", "127.0.0.1", "--port", str(port)]
        + ["--workers", "1"],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    deadline = time.monotonic() + 180
    try:
        while True:
            assert proc.poll() is None, (data / "server.log").read_text()[-3000:]
            try:
                if get(port, "/livez")[0] == 200:
                    break
            except OSError:
                pass
            assert time.monotonic() < deadline, "the server did not start"
            time.sleep(0.5)
        yield port
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=60)
        log.close()


def assert_error_shape(status: int, content_type: str, body: bytes) -> dict:
    assert 400 <= status < 500, (status, body[:300])
    assert content_type.startswith("application/json"), (content_type, body[:300])
    data = json.loads(body)
    assert set(data) == {"error", "code", "details"} and data["error"]
    return data


def test_search_over_10000_characters_gets_the_error_shape(server):
    status, content_type, body = get(server, "/api/wiki/search?q=" + "a" * 10_001)
    data = assert_error_shape(status, content_type, body)
    assert status in (400, 414, 422)
    assert "<html" not in body.decode().lower()
    assert data["code"] in ("URI_TOO_LONG", "VALIDATION_ERROR", "BAD_REQUEST")


def test_search_of_5000_characters_reaches_the_application(server):
    status, content_type, body = get(server, "/api/wiki/search?q=" + "a" * 5_000)
    # Answered by DeepWiki (sign-in needed or results), not refused by gunicorn.
    assert status in (200, 401), (status, body[:300])
    assert content_type.startswith("application/json")


def test_a_header_over_the_limit_gets_the_error_shape(server):
    conn = http.client.HTTPConnection("127.0.0.1", server, timeout=60)
    try:
        conn.request("GET", "/api/health", headers={"X-Padding": "p" * 9000})
        response = conn.getresponse()
        status, body = response.status, response.read()
        content_type = response.getheader("Content-Type", "")
    finally:
        conn.close()
    assert_error_shape(status, content_type, body)
