"""Login CSRF in Chromium: a page on another site posts a text/plain form (item 4).

The attacker's page is served from 127.0.0.2 (another site than the live server
on localhost) and auto-submits a form whose text/plain body is the JSON of the
attacker's credentials. Afterwards the victim's browser must not be signed in.
"""

from __future__ import annotations

import html
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ATTACKER_PORT = 19051


def _attacker_page(action: str, fields: dict) -> bytes:
    # text/plain encodes one field as "name=value": split the JSON around an "=".
    # {"email": ..., "pad": ""} is sent as name = {"email": ..., "pad": "
    # and value = "}, joined by "=" into {"email": ..., "pad": "="}.
    text = json.dumps({**fields, "pad": ""})
    name, value = text[: -len('"}')], '"}'
    return f"""<!doctype html><html><body>
<form id="f" method="post" action="{html.escape(action)}" enctype="text/plain">
<input type="hidden" name="{html.escape(name)}" value="{html.escape(value)}">
</form>
<script>document.getElementById("f").submit();</script>
</body></html>""".encode()


@pytest.fixture
def attacker_site():
    pages: dict[str, bytes] = {}

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 - http.server's naming
            body = pages.get(self.path, b"")
            self.send_response(200 if body else 404)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.2", ATTACKER_PORT), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    server.pages = pages
    server.url = f"http://127.0.0.2:{ATTACKER_PORT}"
    yield server
    server.shutdown()
    server.server_close()


@pytest.mark.parametrize("endpoint", ["login", "register"])
def test_a_page_on_another_site_cannot_sign_the_browser_in(
    page, live_server, attacker_site, make_user, password, endpoint
):
    from deepwiki.accounts.models import User

    if endpoint == "login":
        make_user("mallory@example.com")
        fields = {"email": "mallory@example.com", "password": password}
    else:
        fields = {
            "email": "mallory@example.com",
            "password": password,
            "password_confirm": password,
        }
    attacker_site.pages["/"] = _attacker_page(
        f"{live_server.url}/api/auth/{endpoint}", fields
    )
    with page.expect_response(f"{live_server.url}/api/auth/{endpoint}") as posted:
        page.goto(attacker_site.url + "/")
    # The server saw the forged post and refused it.
    assert posted.value.status in (403, 415)
    me = page.request.get(f"{live_server.url}/api/auth/me")
    assert me.status == 401
    if endpoint == "register":
        assert not User.objects.filter(email="mallory@example.com").exists()
