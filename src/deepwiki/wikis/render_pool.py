"""Render the pages of a large upload on every core.

Rendering is CPU-bound pure Python, so a big import spends most of its time
in one core. Above a threshold the pages go to a small process pool; the
workers only render (no database, no storage), and the results come back in
order. The pool is started with "forkserver" so that forking never copies a
web process's threads, locks or database connections.
"""

from __future__ import annotations

import multiprocessing
import time
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor

from django.conf import settings

from deepwiki.content import render
from deepwiki.wikis.includes import include_resolver
from deepwiki.wikis.linking import TreeLinks

# Below this many pages the start-up of the workers (~0.5 s) is not worth it.
PARALLEL_MIN = 150
_CHUNK = 8

_links: TreeLinks | None = None


def _init(links: TreeLinks) -> None:
    global _links
    _links = links


def _render(job: tuple):
    return render_with_links(_links, *job)


def render_with_links(
    links: TreeLinks, path: str, text: str, includes: dict[str, str] | None = None
):
    """Render one page; return (page, {(target, kind): path}, seconds).

    `includes` holds the texts of the files the page includes (by wiki path).
    """
    resolve, found = links.resolver(path)
    resolve_include = include_resolver(path, includes or {}, found)
    started = time.perf_counter()
    page = render(
        text, path=path, resolve_link=resolve, resolve_include=resolve_include
    )
    return page, found, time.perf_counter() - started


class RenderPool:
    """`with RenderPool(links, total) as pool: pool.map(jobs)` — serial when small."""

    def __init__(self, links: TreeLinks, total: int) -> None:
        self.links = links
        workers = settings.DEEPWIKI_RENDER_WORKERS
        self.workers = workers if total >= PARALLEL_MIN else 1
        self.executor: ProcessPoolExecutor | None = None

    def __enter__(self) -> RenderPool:
        if self.workers > 1:
            context = multiprocessing.get_context("forkserver")
            context.set_forkserver_preload(
                ["deepwiki.content", "deepwiki.wikis.linking"]
            )
            self.executor = ProcessPoolExecutor(
                self.workers,
                mp_context=context,
                initializer=_init,
                initargs=(self.links,),
            )
        return self

    def __exit__(self, *exc) -> None:
        if self.executor is not None:
            self.executor.shutdown(cancel_futures=True)

    def map(self, jobs: list[tuple]) -> Iterator:
        """Yield (page, found, seconds) for each (path, text[, includes]), in order."""
        if self.executor is None:
            return (render_with_links(self.links, *job) for job in jobs)
        return self.executor.map(_render, jobs, chunksize=_CHUNK)
