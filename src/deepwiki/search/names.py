"""Exact names and languages: what the indexer stores for ranking and filters."""

from __future__ import annotations

import posixpath
import re

from deepwiki.search.query import Query, words_of

NO_KEY = "\x01"  # matches no stored value: the query has no exact-name form
_LANG_FOLDER = re.compile(r"(?:^|/)[a-z]+[._-]([a-z]{2}(?:[-_][a-z]{2,4})?)(?:/|$)")
_LANG_CODE = re.compile(r"^[a-z]{2,3}(?:[-_][a-z0-9]{2,8})?$")
_HAN = re.compile(r"[\u4e00-\u9fff]")
_KANA = re.compile(r"[\u3040-\u30ff]")
_HANGUL = re.compile(r"[\uac00-\ud7af]")


def title_words(title: str) -> str:
    """Return a title as normalised words: "Git-Rebase" → "git rebase"."""
    return " ".join(words_of(title))[:300]


def name_words(path: str) -> str:
    """Return a file name without extension as words: a/git-rebase.md → "git rebase"."""
    stem = posixpath.splitext(posixpath.basename(path))[0]
    return " ".join(words_of(stem))[:300]


def exact_key(query: Query) -> str:
    """Return the words a title must equal to be an exact match of `query`."""
    if query.negative or any(len(c.terms) != 1 for c in query.positive):
        return NO_KEY
    return " ".join(query.words())[:300] or NO_KEY


def page_lang(path: str, *, meta: dict | None = None, text: str = "") -> str:
    """Tell a page's language: front matter `lang`, a `pages.xx/` folder, the script."""
    declared = str((meta or {}).get("lang") or "").strip().lower()
    if _LANG_CODE.match(declared):
        return declared.replace("_", "-")[:16]
    folder = _LANG_FOLDER.search(posixpath.dirname(path).lower())
    if folder:
        return folder.group(1).replace("_", "-")[:16]
    sample = text[:2000]
    if _KANA.search(sample):
        return "ja"
    if _HANGUL.search(sample):
        return "ko"
    if _HAN.search(sample):
        return "zh"
    return ""
