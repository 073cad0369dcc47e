"""The search index: one row per heading section, page, file and wiki.

The engine-specific parts (PostgreSQL's tsvector column and GIN indexes,
SQLite's FTS5 table and its triggers) live in migration 0002 only, so this
model stays the same on both databases.
"""

from __future__ import annotations

from django.db import models


class EntryKind(models.TextChoices):
    WIKI = "wiki", "Wiki"
    PAGE = "page", "Page"
    SECTION = "section", "Section"
    FILE = "file", "File"


class SearchEntry(models.Model):
    """One searchable unit; `title` is only set where a hit should rank as a title."""

    wiki = models.ForeignKey(
        "wikis.Wiki", on_delete=models.CASCADE, related_name="search_entries"
    )
    file = models.ForeignKey(
        "wikis.WikiFile",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="search_entries",
    )
    kind = models.CharField(max_length=8, choices=EntryKind.choices)
    path = models.CharField(max_length=1024, blank=True)
    anchor = models.CharField(max_length=255, blank=True)
    # Indexed text, by weight: title A, heading + keywords B, body C, context D.
    title = models.CharField(max_length=300, blank=True)
    heading = models.CharField(max_length=500, blank=True)
    body = models.TextField(blank=True)
    keywords = models.TextField(blank=True)
    context = models.TextField(blank=True)
    # Display and filters.
    display_title = models.CharField(max_length=300, blank=True)
    tags = models.TextField(blank=True)  # "|tag one|tag two|", lower-case
    file_type = models.CharField(max_length=20, blank=True)
    file_kind = models.CharField(max_length=12, blank=True)
    position = models.PositiveIntegerField(default=0)
    # Exact-name ranking: the normalised words of a page or wiki title, and of
    # a file name without extension ("git rebase" for git-rebase.md).
    title_words = models.CharField(max_length=300, blank=True, default="")
    name_words = models.CharField(max_length=300, blank=True, default="")
    # Language of the page: front matter `lang`, a `pages.xx/` folder, or the script.
    lang = models.CharField(max_length=16, blank=True, default="")
    updated_at = models.DateTimeField(db_index=True)

    class Meta:
        indexes = [
            models.Index(fields=["wiki", "kind"], name="search_entry_wiki_kind"),
            models.Index(fields=["title_words"], name="search_entry_title_words"),
            models.Index(fields=["name_words"], name="search_entry_name_words"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.path}#{self.anchor}"


class SearchTerm(models.Model):
    """Every indexed word once: the vocabulary for typo and infix expansion."""

    word = models.CharField(max_length=64, primary_key=True)

    def __str__(self) -> str:
        return self.word
