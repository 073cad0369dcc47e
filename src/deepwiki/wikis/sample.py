"""The sample wiki `deepwiki seed` installs: a short handbook about DeepWiki itself."""

from __future__ import annotations

from pathlib import Path

from deepwiki.wikis.intake import read_directory
from deepwiki.wikis.models import Visibility, Wiki
from deepwiki.wikis.services import wiki_import

SAMPLE_DIR = Path(__file__).resolve().parent / "sample_wiki"
SAMPLE_MESSAGE = "Sample wiki installed by deepwiki seed"


def seed_sample_wiki(owner) -> str:
    """Import the bundled sample wiki once; return its slug (existing or new)."""

    existing = Wiki.objects.filter(
        versions__number=1, versions__message=SAMPLE_MESSAGE
    ).first()
    if existing is not None:
        return existing.slug
    wiki = wiki_import(
        owner=owner,
        files=read_directory(SAMPLE_DIR),
        visibility=Visibility.PUBLIC,
        source_name="deepwiki-handbook",
        message=SAMPLE_MESSAGE,
    )
    return wiki.slug
