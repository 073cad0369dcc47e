"""The client's address behind the shipped nginx config (issue 11, item 3).

A real gunicorn (`deepwiki serve`, 2 workers, TRUST_PROXY=true) behind the very
nginx files in deploy/nginx/. Clients connect from different loopback addresses
(127.0.0.2 is the attacker, 127.0.0.3 the account owner) and send forged
X-Forwarded-For headers: lockout, rate limits and the activity log must count the
address nginx saw, never 127.0.0.1 for everyone and never the forged one.
"""

from __future__ import annotations

import http.client
import json
import os
import re
import shutil
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import missing_service
from deploy.test_lint import render_local, stage_nginx

BIN = Path(sys.executable).parent
ATTACKER = "127.0.0.2"
OWNER = "127.0.0.3"
PASSWORD = "Own3r-Secret-pass"
# The port range this suite may use on loopback.
APP_PORT, HTTP_PORT, TLS_PORT = 19041, 19042, 19043


def request(port, path, *, source, method="GET", headers=None, body=None):
    """One request from a chosen loopback address: (status, headers, text)."""
    conn = http.client.HTTPConnection(
        "127.0.0.1", port, timeout=30, source_address=(source, 0)
    )
    try:
        conn.request(method, path, body=body, headers=headers or {})
        resp = conn.getresponse()
        return resp.status, resp.getheaders(), resp.read().decode()
    finally:
        conn.close()


def api_login(email, password, *, source, forwarded=None):
    headers = {"Content-Type": "application/json"}
    if forwarded:
        headers["X-Forwarded-For"] = forwarded
    status, _, _ = request(
        HTTP_PORT,
        "/api/auth/login",
        source=source,
        method="POST",
        headers=headers,
        body=json.dumps({"email": email, "password": password}),
    )
    return status


def form_register(email, *, source, forwarded):
    """Register through the HTML form (CSRF cookie and token, like a browser)."""
    _, headers, html = request(HTTP_PORT, "/accounts/register/", source=source)
    cookie = next(v for k, v in headers if k.lower() == "set-cookie" and "csrf" in v)
    cookie = cookie.split(";", 1)[0]
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
    body = (
        f"csrfmiddlewaretoken={token}&email={email}"
        f"&password={PASSWORD}&password_confirm={PASSWORD}"
    )
    status, _, _ = request(
        HTTP_PORT,
        "/accounts/register/",
        source=source,
        method="POST",
        headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "Cookie": cookie,
            "X-Forwarded-For": forwarded,
        },
        body=body,
    )
    return status


def _wait_until_up(port: int, proc: subprocess.Popen, log: Path) -> None:
    for _ in range(240):
        if proc.poll() is not None:
            pytest.fail(f"server exited early:\n{log.read_text()[-3000:]}")
        try:
            if request(port, "/livez", source="127.0.0.1")[0] == 200:
                return
        except OSError:
            pass
        time.sleep(0.25)
    pytest.fail(f"server on port {port} did not answer:\n{log.read_text()[-3000:]}")


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """gunicorn (2 workers, SQLite) behind nginx; yields the SQLite file."""
    nginx = shutil.which("nginx") or shutil.which("/usr/sbin/nginx")
    if not nginx:
        missing_service("nginx is not installed")
    root = tmp_path_factory.mktemp("behind-nginx")
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DATABASE_URL", "REDIS_URL"} and not k.startswith("PYTEST")
    }
    env.update(
        DEEPWIKI_DATA_DIR=str(root / "data"),
        DEEPWIKI_ENV="development",
        TRUST_PROXY="true",
        DEEPWIKI_BASE_URL=f"http://127.0.0.1:{HTTP_PORT}",
        LOG_LEVEL="WARNING",
    )
    deepwiki = str(BIN / "deepwiki")
    subprocess.run([deepwiki, "migrate", "--noinput"], env=env, check=True)
    subprocess.run(
        [
            deepwiki,
            "createadmin",
            "--email",
            "owner@example.com",
            "--password",
            PASSWORD,
        ],
        env=env,
        check=True,
        capture_output=True,
    )
    log = root / "app.log"
    with log.open("w") as out:
        app = subprocess.Popen(
            [deepwiki, "serve", "--host", "127.0.0.1", "--port", str(APP_PORT)]
            + ["--workers", "2"],
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    prefix = root / "nginx"
    prefix.mkdir()
    stage_nginx(prefix, {"active": [f"127.0.0.1:{APP_PORT}"]})
    conf = render_local(prefix, HTTP_PORT, TLS_PORT)
    proxy = subprocess.Popen(
        [nginx, "-p", str(prefix), "-c", str(conf), "-g", "daemon off;"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        _wait_until_up(APP_PORT, app, log)
        _wait_until_up(HTTP_PORT, proxy, prefix / "error.log")
        yield root / "data" / "deepwiki.sqlite3"
    finally:
        for proc in (proxy, app):
            proc.terminate()
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()


def test_an_attacker_behind_the_proxy_cannot_lock_out_another_address(site):
    # The attacker guesses the owner's password and claims to be the owner's address.
    statuses = [
        api_login("owner@example.com", "wrong", source=ATTACKER, forwarded=OWNER)
        for _ in range(5)
    ]
    assert statuses == [401] * 4 + [429]
    # A new forged address does not give the attacker a fresh count.
    assert (
        api_login("owner@example.com", PASSWORD, source=ATTACKER, forwarded="10.1.2.3")
        == 429
    )
    # The owner, from their own address, is not locked out.
    assert api_login("owner@example.com", PASSWORD, source=OWNER) == 200
    with sqlite3.connect(site) as db:
        recorded = {
            row[0] for row in db.execute("select ip_address from axes_accessattempt")
        }
        audited = [
            json.loads(row[0])["ip"]
            for row in db.execute(
                "select details from analytics_activity where action = 'login.failed'"
            )
        ]
    assert recorded == {ATTACKER}
    assert set(audited) == {ATTACKER} and len(audited) == 6


def test_rate_limits_behind_the_proxy_count_each_client_address(site):
    # Registration allows 10 an hour per address; the 11th from the attacker fails
    # whatever X-Forwarded-For says, while the owner's address is untouched.
    statuses = [
        form_register(f"bot{i}@example.com", source=ATTACKER, forwarded=f"10.0.0.{i}")
        for i in range(11)
    ]
    assert statuses == [302] * 10 + [429]
    assert form_register("person@example.com", source=OWNER, forwarded=ATTACKER) == 302
