"""Cached wiki lists never outlive the writes they describe."""

import pytest

from deepwiki.administration.users import user_delete

pytestmark = pytest.mark.django_db


def test_deleted_owner_leaves_the_cached_wiki_list_at_once(
    make_wiki, make_user, admin_user, api_as, django_capture_on_commit_callbacks
):
    owner = make_user("carol@example.com")
    make_wiki(owner=owner, title="Carol's notes", visibility="public")
    reader = api_as(admin_user)
    assert "carol@example.com" in reader.get("/api/wiki/list").content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        user_delete(actor=admin_user, user=owner)

    after = reader.get("/api/wiki/list")
    assert after["X-Cache"] == "MISS"
    assert "carol@example.com" not in after.content.decode()
