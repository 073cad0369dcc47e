"""Shared blobs: deleting a wiki never takes an object another import relies on."""

from __future__ import annotations

import pytest
from django.db import transaction

from deepwiki.wikis import blobs
from deepwiki.wikis.services import imports

from .conftest import PNG, incoming

pytestmark = pytest.mark.django_db


def _exists(sha: str) -> bool:
    return blobs.blob_storage().exists(blobs.blob_name(sha))


def test_wiki_deleted_while_an_import_reuses_its_blobs_loses_nothing(
    make_wiki, user, monkeypatch, django_capture_on_commit_callbacks
):
    from deepwiki.wikis.services import wiki_delete, wiki_import

    shared = {"index.md": "# Shared\n\n![x](img.png)\n", "img.png": PNG}
    old = make_wiki(shared)
    shas = set(old.files.values_list("blob_id", flat=True))
    original = imports.stage_incoming

    def stage_then_delete_the_old_wiki(files, writer):
        staged = original(files, writer)  # finds both objects already stored
        assert all(s.reused for s in staged.values())
        with django_capture_on_commit_callbacks(execute=True):
            wiki_delete(actor=user, wiki=old)
        assert not any(_exists(sha) for sha in shas)  # the delete took them
        return staged

    monkeypatch.setattr(imports, "stage_incoming", stage_then_delete_the_old_wiki)
    new = wiki_import(owner=user, files=incoming(shared))

    assert set(new.files.values_list("blob_id", flat=True)) == shas
    assert all(_exists(sha) for sha in shas)  # stored again from the upload
    png = new.files.get(path="img.png")
    assert blobs.blob_read_bytes(png.blob_id) == PNG


def test_deleting_objects_keeps_those_a_row_uses_again(make_wiki):
    wiki = make_wiki({"index.md": "# Kept\n"})
    sha = wiki.files.get().blob_id
    assert blobs.blobs_delete_objects([sha]) == []
    assert _exists(sha)


def test_a_vanished_blob_without_a_source_fails_cleanly(make_wiki):
    from deepwiki.core.errors import Conflict
    from deepwiki.transport.errors import status_for
    from deepwiki.wikis.errors import UploadError
    from deepwiki.wikis.services.staging import Staged

    gone = Staged("a.md", "0" * 64, 1, "markdown", "text/markdown", reused=True)
    with pytest.raises(UploadError) as caught, transaction.atomic():
        blobs.blobs_confirm_reused([gone])
    assert caught.value.rule == "blob-vanished"
    # A domain error (no HTTP status of its own): a conflict, answered 409.
    assert isinstance(caught.value, Conflict)
    assert status_for(caught.value) == 409
