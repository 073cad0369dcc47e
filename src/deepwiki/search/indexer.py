"""The write side of search: called by the wiki services inside their transaction.

PLACEHOLDER INTERFACE — the search engine work (issue 5) replaces these bodies.
Until then search finds nothing; the signatures are the contract.
"""

from __future__ import annotations


def index_file(file, page=None) -> None:
    """(Re)index one current file; `page` is its RenderedPage when it is Markdown."""


def remove_files(file_ids: list[int]) -> None:
    """Drop the index entries of files that left the current tree."""


def index_wiki(wiki) -> None:
    """(Re)index a wiki's title, description and tags."""


def remove_wiki(wiki_id: int) -> None:
    """Drop every index entry of a deleted wiki."""
