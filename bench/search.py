"""Benchmark search and suggestions on a generated corpus (SQLite or PostgreSQL).

Usage (--shape cheatsheet | longdocs | manywikis; --files sizes it):
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

Prints the index build time, then p50/p95/p99 per query kind (single words,
two words, phrases, prefixes, CJK, zero results, …) run through the same
selectors the API uses, with the result cache disabled, and this process's
CPU time (on a shared machine, wall time grows with the load; CPU time much
less so; on PostgreSQL the server's CPU is not in it). Then the judged
queries of the shape (bench/shapes.py): the share whose expected page is
first (top-1) and among the first five (top-5).
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

# Query mixes by kind, per corpus shape (drawn from each shape's vocabulary).
QUERIES = {
    "manywikis": {
        "single": ["database", "cache", "the", "quokka", "narwhal"],
        "two-word": ["deploy cluster", "database migration schema", "narwhal metric"],
        "phrase": ['"cache storage"', '"the database"'],
        "boolean": ["cache OR queue", "worker OR narwhal", "deploy -cluster"],
        "prefix": ["depl", "migr", "datab sche"],
        "typo": ["databse", "deplyo", "qokka"],
        "zero": ["zzyzx", "(", "<img src=x>"],
    },
    "cheatsheet": {
        "single": ["ping", "rebase", "archive", "docker", "file", "tar"],
        "two-word": ["git rebase", "docker logs", "list containers", "remote host"],
        "phrase": ['"the archive"', '"git rebase"', '"path to file"'],
        "prefix": ["reba", "kube", "doc", "git reb"],
        "cjk": ["压缩文件", "コンテナ", "显示帮助信息"],
        "zero": ["zzyzx", "quokka narwhal", "<img src=x>"],
    },
    "longdocs": {
        "single": ["deploy", "conventions", "rollout", "the", "glossary"],
        "two-word": ["api conventions", "queue workers", "cache strategy"],
        "phrase": ['"release can roll back"', '"cache warms"', '"api conventions"'],
        "prefix": ["conv", "migra", "onboard gui"],
        "zero": ["zzyzx", "quokka narwhal", "<img src=x>"],
    },
}
SUGGESTIONS = {
    "manywikis": ["ca", "dep", "data", "migration sch", "qu", "heal", "tok", "wor"],
    "cheatsheet": ["gi", "git re", "dock", "kubectl ap", "pin", "ta", "imp", "zz"],
    "longdocs": ["ap", "api con", "depl", "over", "sea", "rol", "cache st", "zz"],
}
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

    from deepwiki.search import indexer
    from deepwiki.wikis.models import Wiki, WikiFile

    owner, blob = _reset()
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
    """Gather planner statistics where a real install has them.

    PostgreSQL's autovacuum analyzes tables on its own; DeepWiki never runs
    ANALYZE on SQLite, so the benchmark does not either (with statistics,
    SQLite picks better plans than a real install would get).
    """
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


def _build_shape(docs) -> float:
    """Create one wiki holding `docs` and time the indexer over every file."""
    from django.db import transaction
    from django.utils import timezone

    from deepwiki.search import indexer
    from deepwiki.wikis.models import Wiki, WikiFile

    owner, blob = _reset()
    wiki = Wiki.objects.create(
        slug="docs", title="Documentation", owner=owner, visibility="internal"
    )
    now = timezone.now()
    rows = [
        WikiFile(
            wiki=wiki,
            path=d.path,
            sort_key=f"{i:09}",
            blob=blob,
            size=1,
            content_type="text/markdown",
            kind="markdown",
            title=d.title[:300],
            updated_at=now - timezone.timedelta(hours=i % 5000),
        )
        for i, d in enumerate(docs)
    ]
    WikiFile.objects.bulk_create(rows, batch_size=1000)
    start = time.perf_counter()
    with transaction.atomic():
        indexer.index_wiki(wiki)
        for at in range(0, len(rows), BATCH):
            indexer.index_files(
                (row, _page_of(doc))
                for row, doc in zip(
                    rows[at : at + BATCH], docs[at : at + BATCH], strict=True
                )
            )
            print(f"  indexed {at + BATCH} files", end="\r", flush=True)
    elapsed = time.perf_counter() - start
    _analyze()
    return elapsed


def _page_of(doc):
    from types import SimpleNamespace

    meta = {"lang": doc.lang} if doc.lang != "en" else {}
    return SimpleNamespace(
        title=doc.title, tags=list(doc.tags), sections=list(doc.sections), meta=meta
    )


def _reset():
    from deepwiki.accounts.models import User
    from deepwiki.search.models import SearchEntry, SearchTerm
    from deepwiki.wikis.models import Blob, Wiki

    Wiki.objects.all().delete()
    SearchEntry.objects.all().delete()
    SearchTerm.objects.all().delete()
    owner, _ = User.objects.get_or_create(email="bench-owner@example.com")
    blob, _ = Blob.objects.get_or_create(
        sha256="0" * 64, defaults={"size": 1, "content_type": "text/markdown"}
    )
    return owner, blob


def _percentiles(samples: list[float]) -> str:
    qs = statistics.quantiles(samples, n=100, method="inclusive")
    return f"p50 {qs[49]:7.2f} ms   p95 {qs[94]:7.2f} ms   p99 {qs[98]:7.2f} ms   (n={len(samples)})"


def _time(fn, queries: list[str], rounds: int) -> tuple[list[float], dict]:
    """Time each query `rounds` times after a warm-up; per_query["cpu"] is CPU ms."""
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


def _short(samples: list[float]) -> str:
    qs = statistics.quantiles(samples, n=100, method="inclusive")
    return f"cpu p50 {qs[49]:6.2f} p95 {qs[94]:6.2f}"


def _run(shape: str, rounds: int, verbose: bool) -> None:
    from django.test import override_settings

    from deepwiki.accounts.models import User
    from deepwiki.search.selectors import search_results, search_suggestions

    reader, _ = User.objects.get_or_create(email="bench-reader@example.com")
    dummy = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
    everything: list[float] = []
    cpu: list[float] = []
    with override_settings(CACHES=dummy):
        for kind, queries in QUERIES[shape].items():
            samples, per = _time(
                lambda q: search_results(user=reader, query=q, limit=20).total,
                queries,
                rounds,
            )
            everything += samples
            cpu += per.pop("cpu")
            print(
                f"search {kind:9} {_percentiles(samples)}  {_short(cpu[-len(samples) :])}"
            )
            _details(verbose, "search", per)
        print(f"search ALL       {_percentiles(everything)}  {_short(cpu)}")
        samples, per = _time(
            lambda q: len(search_suggestions(user=reader, query=q, limit=8)),
            SUGGESTIONS[shape],
            rounds,
        )
        print(f"suggestions (8)  {_percentiles(samples)}  {_short(per.pop('cpu'))}")
        _details(verbose, "suggest", per)
        _judge(shape, reader, search_results)
    print(
        f"load average during the run: {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs"
    )


def _details(verbose: bool, name: str, per: dict) -> None:
    if not verbose:
        return
    for q in [k for k in per if not k.endswith(" ")]:
        print(
            f"    {name:8} {q!r:32} median {statistics.median(per[q]):8.2f} ms"
            f"  hits {per[q + ' ']}"
        )


def _judge(shape: str, reader, search_results) -> None:
    """Print the top-1 and top-5 rate of the judged queries for this shape."""
    from bench.shapes import judged

    if shape not in CORPORA:
        return
    cases = judged(shape, CORPORA[shape])
    top1 = top5 = 0
    misses = []
    for query, expected in cases:
        found = [h.path for h in search_results(user=reader, query=query, limit=5).hits]
        hit = [_expected(expected, p) for p in found]
        top1 += bool(hit[:1] and hit[0])
        top5 += any(hit)
        if not (hit[:1] and hit[0]):
            misses.append(f"    {query!r}: wanted {expected}, got {found[:3]}")
    n = len(cases) or 1
    print(
        f"judged queries: {len(cases)}  top-1 {100 * top1 / n:.0f} %"
        f"  top-5 {100 * top5 / n:.0f} %"
    )
    print("\n".join(misses[:15]))


def _expected(expected: str, path: str) -> bool:
    if expected.endswith(":*"):  # any page in that language
        return path.startswith(f"pages.{expected[:-2]}/")
    return path == expected


CORPORA: dict = {}


def main() -> None:
    from bench import shapes

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--shape", choices=["cheatsheet", "longdocs", "manywikis"], default="manywikis"
    )
    parser.add_argument("--files", type=int, help="pages (default per shape)")
    parser.add_argument(
        "--unique", type=int, default=2_000, help="manywikis: pages actually rendered"
    )
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument(
        "--reuse", action="store_true", help="skip the build, query only"
    )
    parser.add_argument("--verbose", action="store_true", help="per-query medians")
    args = parser.parse_args()
    files = args.files or {"cheatsheet": 40_000, "longdocs": 2_000}.get(
        args.shape, 10_000
    )
    data_dir = os.environ.get("DEEPWIKI_DATA_DIR") or tempfile.mkdtemp(
        prefix="dw-bench-"
    )
    _setup(data_dir)
    from django.db import connection

    print(
        f"engine: {connection.vendor}  shape: {args.shape}  files: {files}"
        f"  data dir: {data_dir}"
    )
    if args.shape != "manywikis":
        CORPORA[args.shape] = getattr(shapes, args.shape)(files, args.seed)
    if not args.reuse:
        start = time.perf_counter()
        if args.shape == "manywikis":
            pool = _render_pool(min(args.unique, files), args.seed)
            print(f"rendered {len(pool)} pages in {time.perf_counter() - start:.1f} s")
            seconds = _build(files, pool)
        else:
            seconds = _build_shape(CORPORA[args.shape])
        from deepwiki.search.models import SearchEntry

        entries = SearchEntry.objects.count()
        print(
            f"index build: {files} files, {entries} entries in {seconds:.1f} s"
            f" ({files / seconds:.0f} files/s)"
        )
    _run(args.shape, args.rounds, args.verbose)


if __name__ == "__main__":
    main()
