"""Benchmark wiki ingest: import a generated corpus through the upload service.

Usage: .venv/bin/python bench/ingest.py [--files 1000] [--seed 0] [--keep]

Configures Django with a temporary DEEPWIKI_DATA_DIR (SQLite + local storage
unless DATABASE_URL is set), migrates, writes the corpus with
bench/make_corpus.py, imports it with `read_directory` + `wiki_import` (the
same service the upload uses: checks, storage, render, links, index,
version) and prints files/s, MB/s and the process's peak RSS.
Target: >= 300 files/s and < 400 MB peak at 10k files on SQLite.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "src"))


def _setup(data_dir: str, files: int) -> None:
    """Point Django at a fresh data dir with limits large enough for the corpus."""
    os.environ["DEEPWIKI_DATA_DIR"] = data_dir
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "deepwiki.config.settings")
    os.environ["DEEPWIKI_MAX_FILES"] = str(max(files + 10, 5000))
    os.environ["DEEPWIKI_MAX_UNZIPPED_MB"] = str(max(200, files // 10 + 100))
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    # As in production: with DEBUG on, Django keeps the SQL of every query.
    os.environ.setdefault("DEEPWIKI_DEBUG", "0")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument(
        "--keep", action="store_true", help="Keep the temporary data dir"
    )
    args = parser.parse_args()

    work = tempfile.mkdtemp(prefix="dw-bench-ingest-")
    try:
        _setup(str(Path(work) / "data"), args.files)
        from bench.make_corpus import write_corpus
        from deepwiki.accounts.models import Role, User
        from deepwiki.wikis.intake import read_directory
        from deepwiki.wikis.services import wiki_import

        corpus = Path(work) / "corpus"
        written = write_corpus(corpus, args.files, args.seed)
        size = sum(p.stat().st_size for p in written)
        owner = User.objects.create_user(
            email="bench@example.com", password="Bench-12345", role=Role.ADMIN
        )
        from django.conf import settings

        rss_before = _peak_rss_mb()
        started, cpu_started = time.perf_counter(), time.process_time()
        wiki = wiki_import(
            owner=owner, files=read_directory(corpus), source_name="bench"
        )
        elapsed = time.perf_counter() - started
        cpu = time.process_time() - cpu_started
        from deepwiki.wikis.models import Link

        links = Link.objects.filter(wiki=wiki).count()
        print(f"files:      {wiki.file_count} ({size / 1e6:.1f} MB, {links} links)")
        print(f"time:       {elapsed:.1f} s")
        print(f"files/s:    {wiki.file_count / elapsed:.0f}")
        print(f"MB/s:       {size / 1e6 / elapsed:.2f}")
        print(
            f"CPU time:   {cpu:.1f} s ({wiki.file_count / cpu:.0f} files per CPU-second)"
        )
        print(f"load avg:   {os.getloadavg()[0]:.1f} (other processes skew wall time)")
        print(
            f"peak RSS:   {_peak_rss_mb():.0f} MB (before import: {rss_before:.0f} MB;"
            " render workers not included)"
        )
        print(f"render workers: {settings.DEEPWIKI_RENDER_WORKERS}")
        print(
            f"database:   {settings.DATABASES['default']['ENGINE'].rsplit('.', 1)[-1]}"
        )
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
        else:
            print(f"kept {work}")


if __name__ == "__main__":
    main()
