"""Benchmark the content pipeline against bare markdown-it-py on a generated corpus.

Usage: python bench/render.py [--files N] [--seed S] [--dir CORPUS_DIR] [--rounds R]
                              [--dialects] [--cpu]

Prints pages/s and MB/s for the full pipeline (render + sanitise) and for
bare ``MarkdownIt("commonmark").enable("table").render`` on the same files,
and their ratio (target: pipeline <= 2x bare). ``--dialects`` appends one of
the dialect fixtures (callouts, tabs, math, mdBook, …) to every page, so the
plugins do real work; ``--cpu`` times with process CPU time instead of the
wall clock (steadier on a busy machine).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from markdown_it import MarkdownIt  # noqa: E402

from bench.make_corpus import generate  # noqa: E402
from deepwiki.content import join_wiki_path, render  # noqa: E402

DIALECTS = Path(__file__).resolve().parent.parent / "tests/content/fixtures/dialects"
clock = time.perf_counter


def load(args: argparse.Namespace) -> dict[str, str]:
    """Read a corpus directory or generate one in memory."""
    if args.dir:
        root = Path(args.dir)
        pages = {
            str(p.relative_to(root)): p.read_text("utf-8")
            for p in sorted(root.rglob("*.md"))
        }
    else:
        pages = generate(args.files, args.seed)
    if args.dialects:
        extras = [p.read_text("utf-8") for p in sorted(DIALECTS.glob("*.md"))]
        pages = {
            path: f"{text}\n\n{extras[i % len(extras)]}"
            for i, (path, text) in enumerate(pages.items())
        }
    return pages


def make_resolver(pages: dict[str, str], path: str):
    """Resolve links the way the wiki does: by path, or by file stem for wiki-links."""
    stems = {Path(p).stem.replace("-", " "): p for p in pages}

    def resolve(target: str, kind: str) -> str | None:
        if kind == "wikilink":
            page = stems.get(target.split("#", 1)[0])
            return f"/wikis/bench/{page}" if page else None
        wiki_path = join_wiki_path(path, target)
        if wiki_path is None or (wiki_path.endswith(".md") and wiki_path not in pages):
            return None
        return f"/wikis/bench/{wiki_path}"

    return resolve


def time_pipeline(pages: dict[str, str]) -> tuple[float, list[float]]:
    """Render every page through the full pipeline; return total and per-page times."""
    per_page = []
    for path, text in pages.items():
        resolver = make_resolver(pages, path)
        start = clock()
        render(text, path=path, resolve_link=resolver)
        per_page.append(clock() - start)
    return sum(per_page), per_page


def time_bare(pages: dict[str, str]) -> float:
    """Render every page with bare markdown-it-py (CommonMark + tables)."""
    md = MarkdownIt("commonmark").enable("table")
    start = clock()
    for text in pages.values():
        md.render(text)
    return clock() - start


def main() -> None:
    """Run the rounds and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=200)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--dir")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--dialects", action="store_true")
    parser.add_argument("--cpu", action="store_true")
    args = parser.parse_args()
    global clock
    clock = time.process_time if args.cpu else time.perf_counter
    pages = load(args)
    size_mb = sum(len(t.encode()) for t in pages.values()) / 1e6
    print(f"corpus: {len(pages)} pages, {size_mb:.2f} MB")
    render(next(iter(pages.values())), path="warmup.md")  # lexer caches etc.
    full, bare, per_page = [], [], []
    for _ in range(args.rounds):
        total, times = time_pipeline(pages)
        full.append(total)
        per_page = times
        bare.append(time_bare(pages))
    best_full, best_bare = min(full), min(bare)
    n = len(pages)
    print(f"pipeline : {n / best_full:8.1f} pages/s  {size_mb / best_full:6.2f} MB/s")
    print(f"bare mdit: {n / best_bare:8.1f} pages/s  {size_mb / best_bare:6.2f} MB/s")
    print(f"ratio pipeline/bare: {best_full / best_bare:.2f}x")
    q = statistics.quantiles(per_page, n=20)
    print(
        f"per page: median {statistics.median(per_page) * 1e3:.1f} ms, p95 {q[18] * 1e3:.1f} ms"
    )
    big = "\n\n".join(pages.values())[:50_000]
    best = min(_time_once(big) for _ in range(5))
    print(f"one 50 KB page: {best * 1e3:.1f} ms (best of 5)")


def _time_once(text: str) -> float:
    """Time one full render of a page."""
    start = clock()
    render(text, path="big.md")
    return clock() - start


if __name__ == "__main__":
    main()
