"""Package-level guarantees: no Django, committed CSS in sync, bench corpus renders."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
import time
from pathlib import Path

from deepwiki.content import pygments_css, render

ROOT = Path(__file__).resolve().parents[2]
PYGMENTS_CSS = (
    ROOT / "src" / "deepwiki" / "static" / "deepwiki" / "css" / "pygments.css"
)


def test_content_package_does_not_import_django():
    code = (
        "import sys, deepwiki.content\n"
        "deepwiki.content.render('# x\\n```py\\n1\\n```', path='a.md')\n"
        "bad = [m for m in sys.modules if m == 'django' or m.startswith('django.')]\n"
        "assert not bad, bad\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, cwd=ROOT)


def test_committed_pygments_css_matches_the_generator():
    assert PYGMENTS_CSS.read_text(encoding="utf-8") == pygments_css(), (
        'regenerate: python -c "from deepwiki.content import pygments_css; '
        "open('src/deepwiki/static/deepwiki/css/pygments.css','w').write(pygments_css())\""
    )


def test_pygments_css_has_light_and_dark_rules():
    css = pygments_css()
    assert '[data-theme="dark"] .highlight .tok-k' in css
    assert '[data-theme="light"] .highlight .tok-k' in css
    assert "@media (prefers-color-scheme: dark)" in css


def _make_corpus_module():
    spec = importlib.util.spec_from_file_location(
        "make_corpus", ROOT / "bench" / "make_corpus.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_bench_corpus_is_deterministic_and_renders_quickly():
    corpus = _make_corpus_module()
    pages = corpus.generate(30, seed=7)
    assert pages == corpus.generate(30, seed=7)
    assert pages != corpus.generate(30, seed=8)
    sizes = [len(text.encode()) for text in pages.values()]
    assert min(sizes) >= 1_000 and max(sizes) <= 21_000
    assert any("/" in path for path in pages)
    start = time.perf_counter()
    for path, text in pages.items():
        page = render(text, path=path, resolve_link=lambda t, k: f"/w/{t}")
        assert page.title and page.sections
    assert time.perf_counter() - start < 10  # generous: a smoke check, not a benchmark


def test_a_50kb_page_renders_in_well_under_a_second():
    text = "\n\n".join(_make_corpus_module().generate(12, seed=1).values())[:50_000]
    render(text, path="warm.md")
    start = time.perf_counter()
    render(text, path="big.md")
    assert time.perf_counter() - start < 1.0
