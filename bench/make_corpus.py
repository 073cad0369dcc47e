"""Generate a deterministic Markdown wiki for the benchmarks (render, ingest, search, view).

Usage: python bench/make_corpus.py OUT_DIR --files N --seed S

Importable: ``generate(files, seed) -> dict[path, markdown]`` and
``write_corpus(out_dir, files, seed) -> list[Path]``. The same (files, seed)
always gives byte-identical output. Pages are 1–20 KB, spread over folders,
and mix prose, tables, code in many languages, Mermaid, front matter, images,
relative links, wiki-links and a few deliberately broken links.
"""

from __future__ import annotations

import argparse
import posixpath
import random
from pathlib import Path

FOLDERS = [
    "",
    "guide",
    "guide/advanced",
    "reference",
    "reference/api",
    "ops",
    "blog/2024",
]
WORDS = (
    "wiki page search index render token parser deploy cluster cache storage "
    "version history backup restore markdown diagram section anchor link image "
    "user admin team project release config secret queue worker metric health "
    "latency throughput database migration schema query result table column "
    "the a of and to in for with on by from is are be this that it as at"
).split()
CODE_SAMPLES = {
    "python": 'def handler(event: dict) -> int:\n    """Return a count."""\n    total = sum(x * 2 for x in event.get("items", []))\n    return total  # done\n',
    "js": "export async function load(url) {\n  const res = await fetch(url);\n  if (!res.ok) throw new Error(`HTTP ${res.status}`);\n  return res.json();\n}\n",
    "ts": "interface Page { title: string; size?: number }\nconst pages: Page[] = [];\nfunction add(p: Page): void { pages.push(p); }\n",
    "sh": 'set -euo pipefail\nfor f in *.md; do\n  echo "rendering $f"\n  wc -c "$f"\ndone\n',
    "yaml": "service:\n  name: deepwiki\n  replicas: 3\n  env:\n    - DEBUG=false\n",
    "json": '{\n  "name": "deepwiki",\n  "version": 3,\n  "tags": ["a", "b"]\n}\n',
    "sql": "SELECT w.slug, count(*) AS pages\nFROM wiki w JOIN file f ON f.wiki_id = w.id\nWHERE f.size > 1024\nGROUP BY w.slug ORDER BY pages DESC;\n",
    "go": 'package main\n\nimport "fmt"\n\nfunc main() {\n\tfor i := 0; i < 3; i++ {\n\t\tfmt.Println(i)\n\t}\n}\n',
    "rust": 'fn main() {\n    let v: Vec<u32> = (1..10).map(|x| x * x).collect();\n    println!("{:?}", v);\n}\n',
    "java": 'public class Hello {\n  public static void main(String[] args) {\n    System.out.println("hi");\n  }\n}\n',
    "c": '#include <stdio.h>\nint main(void) {\n  printf("%d\\n", 42);\n  return 0;\n}\n',
    "html": '<div class="card">\n  <a href="/x">link</a>\n</div>\n',
    "css": ".card { color: red; padding: 1rem; }\n@media (max-width: 600px) { .card { padding: 0 } }\n",
    "dockerfile": 'FROM python:3.11-slim\nRUN pip install deepwiki\nCMD ["deepwiki", "serve"]\n',
    "toml": '[tool.ruff]\nline-length = 88\ntarget-version = "py311"\n',
    "diff": "--- a/x.py\n+++ b/x.py\n@@ -1 +1 @@\n-old\n+new\n",
    "text": "plain text block\nwith two lines\n",
    "unknownlang": "this has no lexer <and> & stays plain\n",
}
MERMAID_SAMPLES = [
    "graph TD\n  A[Upload] --> B{Valid?}\n  B -->|yes| C[Store]\n  B -->|no| D[Reject]\n",
    "sequenceDiagram\n  Alice->>Bob: Hello\n  Bob-->>Alice: Hi\n",
    "classDiagram\n  class Wiki {\n    +slug: str\n    +render()\n  }\n  Wiki <|-- PublicWiki\n",
    "stateDiagram-v2\n  [*] --> Draft\n  Draft --> Published\n  Published --> [*]\n",
]


def _sentence(rng: random.Random) -> str:
    """Make one prose sentence with a little inline markup."""
    words = [rng.choice(WORDS) for _ in range(rng.randint(6, 18))]
    i = rng.randrange(len(words))
    words[i] = rng.choice(
        [f"**{words[i]}**", f"*{words[i]}*", f"`{words[i]}`", words[i]]
    )
    return " ".join(words).capitalize() + "."


def _paragraph(rng: random.Random) -> str:
    """Make a paragraph of a few sentences."""
    return " ".join(_sentence(rng) for _ in range(rng.randint(2, 6)))


def _table(rng: random.Random) -> str:
    """Make a small aligned table."""
    cols = rng.randint(2, 5)
    head = "| " + " | ".join(rng.choice(WORDS).title() for _ in range(cols)) + " |"
    align = (
        "|"
        + "|".join(rng.choice([":--", ":-:", "--:", "---"]) for _ in range(cols))
        + "|"
    )
    rows = [
        "| "
        + " | ".join(
            str(rng.randint(0, 999)) if c else rng.choice(WORDS) for c in range(cols)
        )
        + " |"
        for _ in range(rng.randint(2, 8))
    ]
    return "\n".join([head, align, *rows])


def _code(rng: random.Random) -> str:
    """Make a fenced code block in a random language."""
    lang = rng.choice(sorted(CODE_SAMPLES))
    body = CODE_SAMPLES[lang] * rng.randint(1, 3)
    opts = " {linenos}" if rng.random() < 0.2 else ""
    return f"```{lang}{opts}\n{body}```"


def _list(rng: random.Random) -> str:
    """Make a bullet, numbered or task list."""
    kind = rng.choice(["- ", "1. ", "- [ ] ", "- [x] "])
    return "\n".join(kind + _sentence(rng) for _ in range(rng.randint(2, 6)))


def _links(rng: random.Random, path: str, paths: list[str]) -> str:
    """Make a paragraph linking to other pages, images, anchors and the web."""
    base = posixpath.dirname(path) or "."
    other = rng.choice(paths)
    rel = posixpath.relpath(other, base)
    stem = posixpath.splitext(posixpath.basename(rng.choice(paths)))[0]
    parts = [
        f"See [{stem}]({rel}#overview)",
        f"[[{stem.replace('-', ' ')}]]",
        f"![diagram](images/figure-{rng.randint(1, 5)}.png)",
        "[the site](https://example.com/docs?x=1)",
        "[top](#overview)",
    ]
    if rng.random() < 0.1:
        parts.append("[missing](does-not-exist.md)")
    return ", ".join(parts) + "."


def _block(rng: random.Random, path: str, paths: list[str]) -> str:
    """Pick one block with realistic frequencies."""
    roll = rng.random()
    if roll < 0.45:
        return _paragraph(rng)
    if roll < 0.6:
        return _code(rng)
    if roll < 0.7:
        return _table(rng)
    if roll < 0.8:
        return _list(rng)
    if roll < 0.9:
        return _links(rng, path, paths)
    if roll < 0.95:
        return "> " + _paragraph(rng)
    return "```mermaid\n" + rng.choice(MERMAID_SAMPLES) + "```"


def _page(rng: random.Random, path: str, paths: list[str]) -> str:
    """Make one page of 1–20 KB."""
    target = rng.randint(1_000, 20_000)
    title = " ".join(rng.choice(WORDS) for _ in range(3)).title()
    tags = ", ".join(sorted({rng.choice(WORDS) for _ in range(3)}))
    out = [
        f"---\ntitle: {title}\ndescription: {_sentence(rng)}\ntags: [{tags}]\n---",
        f"# {title}",
        "## Overview",
    ]
    size = sum(len(p) for p in out)
    while size < target:
        if rng.random() < 0.15:
            block = f"{'#' * rng.randint(2, 4)} {_sentence(rng)[:-1]}"
        else:
            block = _block(rng, path, paths)
        out.append(block)
        size += len(block) + 2
    return "\n\n".join(out) + "\n"


def _paths(rng: random.Random, files: int) -> list[str]:
    """Spread N page paths over the folders."""
    paths = []
    for i in range(files):
        folder = FOLDERS[i % len(FOLDERS)]
        name = f"{rng.choice(WORDS)}-{rng.choice(WORDS)}-{i}.md"
        paths.append(posixpath.join(folder, name) if folder else name)
    return paths


def generate(files: int, seed: int = 0) -> dict[str, str]:
    """Return {path: markdown} for a deterministic corpus."""
    rng = random.Random(seed)
    paths = _paths(rng, files)
    return {path: _page(rng, path, paths) for path in paths}


def write_corpus(out_dir: str | Path, files: int, seed: int = 0) -> list[Path]:
    """Write the corpus under out_dir and return the files written."""
    root = Path(out_dir)
    written = []
    for rel, text in generate(files, seed).items():
        target = root / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
        written.append(target)
    return written


def main() -> None:
    """Parse arguments and write the corpus."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out_dir")
    parser.add_argument("--files", type=int, default=200)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    written = write_corpus(args.out_dir, args.files, args.seed)
    total = sum(p.stat().st_size for p in written)
    print(f"wrote {len(written)} files, {total / 1e6:.2f} MB, to {args.out_dir}")


if __name__ == "__main__":
    main()
