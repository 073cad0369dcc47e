"""Requests racing a wiki delete answer 404 with the error shape, never 500.

Before (issue 11, item 7): an export or download whose wiki was deleted while
the zip was written failed on the activity insert (IntegrityError), and a PUT
whose wiki was deleted after the permission check hit `Wiki.DoesNotExist`.
The delete runs for real on another thread (its own connection, committed)
at the moment the race opens.
"""

from __future__ import annotations

import threading

import pytest

from .conftest import incoming

pytestmark = pytest.mark.django_db(transaction=True)
SHAPE = {"error", "code", "details"}


@pytest.fixture
def wiki(user):
    from deepwiki.wikis.services import wiki_import

    return wiki_import(
        owner=user, files=incoming({"index.md": "# Home\n", "b.md": "# B\n"})
    )


def delete_elsewhere(wiki, user) -> None:
    """Delete the wiki as another request would: another thread, committed."""
    from django.db import connection

    from deepwiki.wikis.models import Wiki
    from deepwiki.wikis.services import wiki_delete

    errors: list[BaseException] = []

    def run():
        try:
            wiki_delete(actor=user, wiki=Wiki.objects.get(pk=wiki.pk))
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connection.close()

    thread = threading.Thread(target=run)
    thread.start()
    thread.join()
    assert not errors, errors


def assert_not_found(response):
    assert response.status_code == 404, response.content[:500]
    if response["Content-Type"].startswith("application/json"):
        assert set(response.json()) == SHAPE


@pytest.fixture
def delete_while_zipping(monkeypatch, wiki, user):
    """Delete the wiki after the export opened its first file."""
    from deepwiki.wikis import exporter

    original = exporter.blob_open
    state = {"done": False}

    def racing_open(sha):
        handle = original(sha)
        if not state["done"]:
            state["done"] = True
            delete_elsewhere(wiki, user)
        return handle

    monkeypatch.setattr(exporter, "blob_open", racing_open)
    return wiki


def test_api_export_racing_a_delete_is_404(api_as, user, delete_while_zipping):
    response = api_as(user).get(f"/api/wiki/{delete_while_zipping.slug}/export")
    assert_not_found(response)


def test_download_racing_a_delete_is_404(client, user, delete_while_zipping):
    client.force_login(user)
    response = client.get(f"/wikis/{delete_while_zipping.slug}/-/download")
    assert_not_found(response)


@pytest.fixture
def delete_after_permission_check(monkeypatch, wiki, user):
    """Delete the wiki right after a service checked the caller's rights."""
    from deepwiki.wikis.services import edits, lifecycle

    state = {"done": False}  # once: the delete itself checks rights too

    def racing(module):
        original = module.require_edit

        def check(actor, target):
            original(actor, target)
            if not state["done"]:
                state["done"] = True
                delete_elsewhere(wiki, user)

        monkeypatch.setattr(module, "require_edit", check)

    racing(edits)
    racing(lifecycle)
    return wiki


def test_put_meta_racing_a_delete_is_404(api_as, user, delete_after_permission_check):
    slug = delete_after_permission_check.slug
    response = api_as(user).put(f"/api/wiki/{slug}", {"title": "Renamed"})
    assert_not_found(response)


def test_put_file_racing_a_delete_is_404(api_as, user, delete_after_permission_check):
    slug = delete_after_permission_check.slug
    response = api_as(user).put(f"/api/wiki/{slug}/file/b.md", {"content": "# New\n"})
    assert_not_found(response)
