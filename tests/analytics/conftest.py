"""History builders for the dashboard and analytics tests: real services, real rows.

Wikis are created with the wikis services; "time travel" moves the recorded
timestamps back with .update(), so trends across period boundaries are exact.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """Many accounts per test here; Argon2's deliberate slowness only costs time."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def make_wiki(db):
    """`make_wiki(owner, title=, visibility=, files={path: text})` through wiki_import."""
    from deepwiki.wikis.services import IncomingFile, wiki_import

    def make(owner, *, title="Handbook", visibility="internal", files=None):
        files = files or {"index.md": f"# {title}\n\nWelcome to {title}.\n"}
        return wiki_import(
            owner=owner,
            title=title,
            visibility=visibility,
            files=[
                IncomingFile(path, data.encode() if isinstance(data, str) else data)
                for path, data in files.items()
            ],
        )

    return make


def ago(**delta):
    return timezone.now() - timedelta(**delta)


@pytest.fixture
def travel():
    """Move a wiki (and its versions, files, activities) back in time."""
    from deepwiki.activity.models import Activity
    from deepwiki.wikis.models import Wiki, WikiFile, WikiVersion

    def move(wiki, *, when, version: int | None = None):
        if version is None:
            Wiki.objects.filter(pk=wiki.pk).update(created_at=when, updated_at=when)
            WikiVersion.objects.filter(wiki=wiki).update(created_at=when)
            WikiFile.objects.filter(wiki=wiki).update(updated_at=when)
            Activity.objects.filter(wiki=wiki).update(created_at=when)
        else:
            WikiVersion.objects.filter(wiki=wiki, number=version).update(
                created_at=when
            )
        wiki.refresh_from_db()
        return wiki

    return move


@pytest.fixture
def signed_in(client):
    """`signed_in(user)` gives Django's test client with that user's session."""

    def make(user):
        client.force_login(user)
        return client

    return make
