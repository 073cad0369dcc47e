"""Benchmark search and suggestions on a generated corpus (SQLite or PostgreSQL).

Usage:
  .venv/bin/python bench/search.py [--files 10000] [--unique 2000] [--rounds 5]
  DATABASE_URL=postgres://postgres@127.0.0.1:5432/deepwiki_bench \\
      .venv/bin/python bench/search.py --files 100000

Builds the corpus with bench/make_corpus.py. Rendering every page through the
full content pipeline runs at ~60 pages/s per core, so only `--unique` pages
are rendered (on all cores) and their sections are reused round-robin for the
rest, each file with its own path, wiki and planted rare words. Rows are
written straight through the indexer (`deepwiki.search.indexer.index_files`,
100 files per call), not through the upload service. The target
database is migrated and its wikis are replaced: point DATABASE_URL at a
scratch database.

Prints the index build time, then p50/p95/p99 for a fixed query mix (single
words, phrases, OR/NOT, prefixes, typos, rare and common terms) run through
the same selectors the API uses, with the result cache disabled.
Targets: SQLite at 10k files search p95 < 30 ms; PostgreSQL at 100k files
search p95 < 50 ms and suggestions p95 < 10 ms.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "src"))

SEARCHES = [
    "database",
    "cache",
    "the",
    "deploy cluster",
    "database migration schema",
    '"cache storage"',
    '"the database"',
    "cache OR queue",
    "worker OR narwhal",
    "deploy -cluster",
    "backup -restore -version",
    "depl",
    "migr",
    "datab sche",
    "databse",
    "deplyo",
    "qokka",
    "quokka",
    "narwhal",
    "narwhal metric",
    "zzyzx",
    "(",
    "<img src=x>",
]
SUGGESTIONS = [
    "ca",
    "dep",
    "data",
    "migration sch",
    "qu",
    "heal",
    "tok",
    "wor",
    "narw",
    "lat",
]
FILES_PER_WIKI = 1000
BATCH = 100  # files per index_files() call, like one import batch


def _setup(data_dir: str) -> None:
    os.environ["DEEPWIKI_DATA_DIR"] = data_dir
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "deepwiki.config.settings")
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def _render(item: tuple[str, str]):
    from deepwiki.content import render

    path, text = item
    page = render(text, path=path)
    return page.title, page.tags, page.sections


def _render_pool(unique: int, seed: int) -> list[tuple]:
    from bench.make_corpus import generate

    pages = list(generate(unique, seed).items())
    with ProcessPoolExecutor() as pool:
        return list(pool.map(_render, pages, chunksize=20))


def _plant(sections, i: int):
    """Add rare words: "quokka" in 1 file of 1,000, "narwhal" in 1 of 100."""
    extra = (" quokka" if i % 1000 == 3 else "") + (" narwhal" if i % 100 == 7 else "")
    if not extra:
        return sections
    last = sections[-1]
    return [*sections[:-1], replace(last, text=last.text + extra)]


def _build(files: int, pool: list[tuple]) -> float:
    """Create wikis and file rows, then time the indexer over every file."""
    from types import SimpleNamespace

    from django.db import transaction
    from django.utils import timezone

    from deepwiki.accounts.models import User
    from deepwiki.search import indexer
    from deepwiki.search.models import SearchEntry, SearchTerm
    from deepwiki.wikis.models import Blob, Wiki, WikiFile

    Wiki.objects.all().delete()
    SearchEntry.objects.all().delete()
    SearchTerm.objects.all().delete()
    owner, _ = User.objects.get_or_create(email="bench-owner@example.com")
    blob, _ = Blob.objects.get_or_create(
        sha256="0" * 64, defaults={"size": 1, "content_type": "text/markdown"}
    )
    elapsed = 0.0
    now = timezone.now()
    for w in range(-(-files // FILES_PER_WIKI)):
        wiki = Wiki.objects.create(
            slug=f"bench-{w}",
            title=f"Bench wiki {w}",
            owner=owner,
            visibility="private" if w % 10 == 9 else "internal",
        )
        rows = []
        for i in range(w * FILES_PER_WIKI, min(files, (w + 1) * FILES_PER_WIKI)):
            title, tags, _ = pool[i % len(pool)]
            rows.append(
                WikiFile(
                    wiki=wiki,
                    path=f"folder{i % 7}/page-{i}.md",
                    sort_key=f"{i:09}",
                    blob=blob,
                    size=1,
                    content_type="text/markdown",
                    kind="markdown",
                    title=title[:300],
                    updated_at=now - timezone.timedelta(hours=i % 5000),
                )
            )
        WikiFile.objects.bulk_create(rows, batch_size=1000)
        start = time.perf_counter()
        with transaction.atomic():
            indexer.index_wiki(wiki)
            batch = []
            for row in rows:
                i = int(row.path.rsplit("-", 1)[1][:-3])
                title, tags, sections = pool[i % len(pool)]
                page = SimpleNamespace(
                    title=title, tags=tags, sections=_plant(sections, i)
                )
                batch.append((row, page))
                if len(batch) == BATCH:
                    indexer.index_files(batch)
                    batch = []
            indexer.index_files(batch)
        elapsed += time.perf_counter() - start
        print(
            f"  indexed {min(files, (w + 1) * FILES_PER_WIKI)} files",
            end="\r",
            flush=True,
        )
    _analyze()
    return elapsed


def _analyze() -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
        if connection.vendor == "sqlite":
            cursor.execute("INSERT INTO search_fts(search_fts) VALUES ('optimize')")


def _percentiles(samples: list[float]) -> str:
    qs = statistics.quantiles(samples, n=100, method="inclusive")
    return f"p50 {qs[49]:7.2f} ms   p95 {qs[94]:7.2f} ms   p99 {qs[98]:7.2f} ms   (n={len(samples)})"


def _time(fn, queries: list[str], rounds: int) -> tuple[list[float], dict]:
    samples, per_query = [], {"cpu": []}
    for q in queries:  # warm-up round, not measured
        fn(q)
    for _ in range(rounds):
        for q in queries:
            start, cpu = time.perf_counter(), time.process_time()
            result = fn(q)
            ms = (time.perf_counter() - start) * 1000
            per_query["cpu"].append((time.process_time() - cpu) * 1000)
            samples.append(ms)
            per_query.setdefault(q, []).append(ms)
            per_query[q + " "] = result
    return samples, per_query


def _run(rounds: int, verbose: bool) -> None:
    from django.test import override_settings

    from deepwiki.accounts.models import User
    from deepwiki.search.selectors import search_results, search_suggestions

    reader, _ = User.objects.get_or_create(email="bench-reader@example.com")
    dummy = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
    with override_settings(CACHES=dummy):
        s_samples, s_per = _time(
            lambda q: search_results(user=reader, query=q, limit=20).total,
            SEARCHES,
            rounds,
        )
        g_samples, g_per = _time(
            lambda q: len(search_suggestions(user=reader, query=q, limit=8)),
            SUGGESTIONS,
            rounds,
        )
    print(f"search (20 hits + snippets): {_percentiles(s_samples)}")
    print(f"  this process's CPU time:   {_percentiles(s_per.pop('cpu'))}")
    print(f"suggestions (8):             {_percentiles(g_samples)}")
    print(f"  this process's CPU time:   {_percentiles(g_per.pop('cpu'))}")
    print(
        f"load average during the run: {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs"
    )
    if verbose:
        for name, per in (("search", s_per), ("suggest", g_per)):
            for q in [k for k in per if not k.endswith(" ")]:
                print(
                    f"  {name:8} {q!r:32} median {statistics.median(per[q]):7.2f} ms"
                    f"  hits {per[q + ' ']}"
                )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=10_000)
    parser.add_argument(
        "--unique", type=int, default=2_000, help="pages actually rendered"
    )
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument(
        "--reuse", action="store_true", help="skip the build, query only"
    )
    parser.add_argument("--verbose", action="store_true", help="per-query medians")
    args = parser.parse_args()
    data_dir = os.environ.get("DEEPWIKI_DATA_DIR") or tempfile.mkdtemp(
        prefix="dw-bench-"
    )
    _setup(data_dir)
    from django.db import connection

    print(f"engine: {connection.vendor}  files: {args.files}  data dir: {data_dir}")
    if not args.reuse:
        start = time.perf_counter()
        pool = _render_pool(min(args.unique, args.files), args.seed)
        print(
            f"rendered {len(pool)} unique pages in {time.perf_counter() - start:.1f} s"
        )
        seconds = _build(args.files, pool)
        from deepwiki.search.models import SearchEntry

        entries = SearchEntry.objects.count()
        print(
            f"index build: {args.files} files, {entries} entries in {seconds:.1f} s"
            f" ({args.files / seconds:.0f} files/s)"
        )
    _run(args.rounds, args.verbose)


if __name__ == "__main__":
    main()
