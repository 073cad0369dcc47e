"""A large import renders on several processes with the same result as in-process."""

from __future__ import annotations

import pytest

from deepwiki.wikis import render_pool

pytestmark = pytest.mark.django_db


def _tree(n: int) -> dict[str, str]:
    files = {"index.md": "# Home\n\n" + "".join(f"- [[Page {i}]]\n" for i in range(n))}
    for i in range(n):
        files[f"pages/p{i}.md"] = (
            f"# Page {i}\n\nSee [next](p{i + 1}.md) and [[Page {i - 1}]].\n\n"
            f"## Code\n\n```python\nprint({i})\n```\n"
        )
    return files


def _snapshot(wiki):
    from deepwiki.search.models import SearchEntry
    from deepwiki.wikis.models import Link

    files = {f.path: (f.title, f.html, f.toc) for f in wiki.files.all()}
    links = sorted(
        (lk.source.path, lk.target, lk.kind, lk.broken)
        for lk in Link.objects.filter(wiki=wiki).select_related("source")
    )
    entries = SearchEntry.objects.filter(wiki=wiki).count()
    return files, links, entries


def test_parallel_render_matches_in_process_render(make_wiki, settings, monkeypatch):
    size = render_pool.PARALLEL_MIN + 10
    settings.DEEPWIKI_RENDER_WORKERS = 1
    first = make_wiki(_tree(size))
    serial = _snapshot(first)

    used = []
    original = render_pool.RenderPool.__enter__

    def spy(self):
        used.append(self.workers)
        return original(self)

    monkeypatch.setattr(render_pool.RenderPool, "__enter__", spy)
    settings.DEEPWIKI_RENDER_WORKERS = 2
    second = make_wiki(_tree(size))
    parallel = _snapshot(second)

    assert used and used[0] == 2  # the pool really ran
    files, links, entries = parallel
    assert files.keys() == serial[0].keys()
    for path, (title, html, toc) in files.items():
        s_title, s_html, s_toc = serial[0][path]
        assert (title, toc) == (s_title, s_toc), path
        # Links point into each wiki's own slug; everything else is identical.
        assert html == s_html.replace(f"/wikis/{first.slug}/", f"/wikis/{second.slug}/")
    assert links == serial[1]
    assert entries == serial[2]
    assert sum(broken for *_, broken in links) == 2  # p{n}.md and [[Page -1]]


def test_small_imports_render_in_process(settings):
    settings.DEEPWIKI_RENDER_WORKERS = 4
    pool = render_pool.RenderPool(links=None, total=render_pool.PARALLEL_MIN - 1)
    assert pool.workers == 1
