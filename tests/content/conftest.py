"""Fixtures for the content pipeline tests: no Django, a CSP static server, chromium."""

from __future__ import annotations

import functools
import os
import shutil
import threading
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

IN_CI = os.environ.get("CI", "").lower() == "true"
ROOT = Path(__file__).resolve().parents[2]
STATIC = ROOT / "src" / "deepwiki" / "static"
MERMAID_CANDIDATES = [
    STATIC / "vendor" / "mermaid" / "mermaid.min.js",
    ROOT / "node_modules" / "mermaid" / "dist" / "mermaid.min.js",
]
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
# Mirrors the site's policy: no inline script, no eval.
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'"
)


def _missing(reason: str) -> None:
    """Skip locally; under CI=true a missing browser piece is a failure."""
    if IN_CI:
        pytest.fail(f"required for content browser tests in CI: {reason}")
    pytest.skip(reason)


@pytest.fixture(autouse=True)
def _isolated_storage_and_cache() -> Iterator[None]:
    """Override the project-wide Django fixture: content tests need no Django."""
    yield


@pytest.fixture(scope="session")
def chromium_browser(request: pytest.FixtureRequest):
    """Return a Playwright Browser on Debian chromium, reusing the shared one if any."""
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        _missing("playwright is not installed")
    if not Path(CHROMIUM).exists():
        _missing(f"chromium not found at {CHROMIUM} (apt-get install chromium)")
    try:
        shared = request.getfixturevalue("browser")
    except pytest.FixtureLookupError:
        yield from _launch()
    else:
        yield shared


def _launch():
    """Launch our own chromium when no shared fixture exists."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture(scope="session")
def mermaid_js() -> Path:
    """Return the vendored mermaid.min.js (built by `npm ci && npm run build`)."""
    for candidate in MERMAID_CANDIDATES:
        if candidate.exists():
            return candidate
    _missing("mermaid.min.js missing: run `npm ci && npm run build`")
    raise AssertionError("unreachable")


class _CSPHandler(SimpleHTTPRequestHandler):
    """Serve files with the site's Content-Security-Policy (except under /nocsp/)."""

    def translate_path(self, path: str) -> str:
        return super().translate_path(path.removeprefix("/nocsp"))

    def end_headers(self) -> None:
        if not self.path.startswith("/nocsp/"):
            self.send_header("Content-Security-Policy", CSP)
        self.send_header("Cache-Control", "no-store")
        super().end_headers()

    def log_message(self, format: str, *args) -> None:  # noqa: A002
        pass


@pytest.fixture(scope="session")
def static_site(tmp_path_factory: pytest.TempPathFactory, mermaid_js: Path):
    """Serve a temp dir with /static/... on 127.0.0.1; yield (root dir, base URL)."""
    root = tmp_path_factory.mktemp("site")
    static = root / "static"
    for rel in (
        "deepwiki/js/diagrams.js",
        "deepwiki/js/code.js",
        "deepwiki/css/content.css",
        "deepwiki/css/pygments.css",
    ):
        (static / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(STATIC / rel, static / rel)
    vendor = static / "vendor" / "mermaid"
    vendor.mkdir(parents=True)
    shutil.copy(mermaid_js, vendor / "mermaid.min.js")
    handler = functools.partial(_CSPHandler, directory=str(root))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield root, f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def page_html(body: str, *, title: str = "test") -> str:
    """Wrap rendered HTML in a page that loads only our static files."""
    return (
        "<!doctype html><html lang='en'><head><meta charset='utf-8'>"
        f"<title>{title}</title><link rel='icon' href='data:,'>"
        "<link rel='stylesheet' href='/static/deepwiki/css/content.css'>"
        "<link rel='stylesheet' href='/static/deepwiki/css/pygments.css'>"
        "<script src='/static/deepwiki/js/code.js' defer></script>"
        "<script src='/static/deepwiki/js/diagrams.js' defer></script>"
        f"</head><body><main class='markdown-body'>{body}</main></body></html>"
    )
