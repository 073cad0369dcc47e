"""Shared fixtures: users, API clients, real services and the browser.

A service the tests need (PostgreSQL, Redis, chromium) that is missing makes
those tests skip with a visible reason; under CI=true it is a failure instead.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

# Playwright's sync API keeps an event loop in the main thread; Django's ORM
# calls from the test body are still synchronous, so allow them.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
IN_CI = os.environ.get("CI", "").lower() == "true"
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--headless",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


def missing_service(reason: str) -> None:
    """Skip with a notice locally; fail under CI, where every service must exist."""
    if IN_CI:
        pytest.fail(f"required service missing in CI: {reason}")
    pytest.skip(f"service missing: {reason}")


@pytest.fixture(autouse=True)
def _isolated_storage_and_cache(settings, tmp_path):
    """Give every test its own blob directory and an empty cache."""
    from django.core.cache import cache

    if settings.STORAGES["default"]["BACKEND"].endswith("FileSystemStorage"):
        storages = dict(settings.STORAGES)
        storages["default"] = {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "media")},
        }
        settings.STORAGES = storages
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if worker and settings.CACHES["default"]["BACKEND"].endswith("FileBasedCache"):
        # The file cache lives in the shared data dir: one per xdist worker.
        caches = {"default": dict(settings.CACHES["default"])}
        caches["default"]["LOCATION"] += f"-{worker}"
        settings.CACHES = caches
    # Buffered page views (without Redis) stay with the test that made them.
    settings.VIEW_SPOOL_DIR = tmp_path / "views"
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def password() -> str:
    return "Corr3ct-Horse-Battery"


@pytest.fixture
def make_user(db, password):
    from deepwiki.accounts.models import Role, User

    def make(email: str = "alice@example.com", role: str = Role.USER, **extra):
        return User.objects.create_user(
            email=email, password=password, role=role, **extra
        )

    return make


@pytest.fixture
def user(make_user):
    return make_user("alice@example.com")


@pytest.fixture
def other_user(make_user):
    return make_user("bob@example.com")


@pytest.fixture
def admin_user(make_user):
    from deepwiki.accounts.models import Role

    return make_user("root@example.com", role=Role.ADMIN)


@pytest.fixture
def token_for(db):
    from deepwiki.accounts.services import token_create

    def make(user) -> str:
        return token_create(user=user, name="test")[1]

    return make


class ApiClient:
    """A thin JSON client over Django's test client (bearer-token or anonymous)."""

    def __init__(self, client, token: str | None = None):
        self.client = client
        self.headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"} if token else {}

    def _call(self, method: str, path: str, data=None, **extra):
        kwargs = {**self.headers, **extra}
        if data is not None and method != "get":
            import json

            kwargs.setdefault("content_type", "application/json")
            if kwargs["content_type"] == "application/json" and not isinstance(
                data, (str, bytes)
            ):
                data = json.dumps(data)
        return (
            getattr(self.client, method)(path, data, **kwargs)
            if data is not None
            else getattr(self.client, method)(path, **kwargs)
        )

    def get(self, path, data=None, **extra):
        return self._call("get", path, data, **extra)

    def post(self, path, data=None, **extra):
        return self._call("post", path, data, **extra)

    def put(self, path, data=None, **extra):
        return self._call("put", path, data, **extra)

    def patch(self, path, data=None, **extra):
        return self._call("patch", path, data, **extra)

    def delete(self, path, data=None, **extra):
        return self._call("delete", path, data, **extra)


@pytest.fixture
def api(client):
    """Anonymous JSON client."""
    return ApiClient(client)


@pytest.fixture
def api_as(client, token_for):
    """`api_as(user)` gives a JSON client authenticated with a fresh bearer token."""

    def make(user):
        from django.test import Client

        return ApiClient(Client(), token_for(user) if user is not None else None)

    return make


# --- real services -------------------------------------------------------


@pytest.fixture(scope="session")
def browser():
    """Debian chromium driven by Playwright (never a downloaded browser)."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        missing_service("playwright is not installed")
    if not Path(CHROMIUM).exists() and not shutil.which("chromium"):
        missing_service(f"chromium not found at {CHROMIUM} (apt-get install chromium)")
    with sync_playwright() as pw:
        instance = pw.chromium.launch(
            executable_path=CHROMIUM
            if Path(CHROMIUM).exists()
            else shutil.which("chromium"),
            args=CHROMIUM_ARGS,
        )
        yield instance
        instance.close()


@pytest.fixture
def page(browser, live_server):
    """A fresh browser tab with its own cookies, pointed at the live server."""
    context = browser.new_context(base_url=live_server.url)
    context.set_default_timeout(15000)
    tab = context.new_page()
    errors: list[str] = []
    tab.on("pageerror", lambda exc: errors.append(str(exc)))
    tab.js_errors = errors
    yield tab
    context.close()


@pytest.fixture(scope="session")
def smtp_server():
    """A real SMTP server (aiosmtpd) on loopback that keeps received messages."""
    from aiosmtpd.controller import Controller

    class Inbox:
        def __init__(self):
            self.messages: list = []

        async def handle_DATA(self, server, session, envelope):
            import email

            self.messages.append(email.message_from_bytes(envelope.content))
            return "250 Message accepted for delivery"

    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    inbox.port = port
    yield inbox
    controller.stop()


@pytest.fixture
def smtp_settings(settings, smtp_server):
    """Send e-mail through the real SMTP server for this test."""
    smtp_server.messages.clear()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = smtp_server.port
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_HOST_USER = ""
    settings.EMAIL_HOST_PASSWORD = ""
    return smtp_server


def pytest_report_header(config):
    from django.conf import settings

    db = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
    cache = settings.CACHES["default"]["BACKEND"].rsplit(".", 1)[-1]
    return f"deepwiki: database={db} cache={cache} CI={IN_CI}"


# --- a real instance: `deepwiki serve` with several gunicorn workers ----------


@pytest.fixture(scope="module")
def live_factory(tmp_path_factory):
    """`live_factory(workers=2, env={...})` starts a fresh instance (migrated and
    seeded with the demo accounts) in its own data dir and port; every instance
    is stopped when the module's tests are done. See tests/live.py."""
    import contextlib

    from live import LiveInstance

    with contextlib.ExitStack() as stack:

        def start(*, workers: int = 2, env: dict | None = None, seed: bool = True):
            instance = LiveInstance(
                data_dir=tmp_path_factory.mktemp("live"),
                workers=workers,
                env=env or {},
            )
            return stack.enter_context(instance.running(seed=seed))

        yield start


@pytest.fixture(scope="module")
def live_instance(live_factory):
    """One instance with two real gunicorn workers on the embedded defaults,
    shared by the tests of a module; `live_instance.url` is its base URL."""
    return live_factory(workers=2)
