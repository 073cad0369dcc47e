"""After every kind of write the index describes exactly the current content."""

from __future__ import annotations

import pytest
from django.core.files.storage import storages
from django.core.management import call_command

from deepwiki.content import render
from deepwiki.search.indexer import rebuild
from deepwiki.search.models import SearchEntry

from .conftest import paths

pytestmark = pytest.mark.django_db


def snapshot(wiki) -> list[tuple]:
    """Everything the index says about a wiki, in a comparable form."""
    return sorted(
        SearchEntry.objects.filter(wiki_id=wiki.pk).values_list(
            "kind",
            "path",
            "anchor",
            "title",
            "heading",
            "body",
            "keywords",
            "context",
            "tags",
        )
    )


def assert_matches_current_files(wiki) -> None:
    """Each current file is indexed once per section of its current source, and nothing else."""
    wiki.refresh_from_db()
    entries = SearchEntry.objects.filter(wiki_id=wiki.pk)
    indexed_paths = set(entries.exclude(kind="wiki").values_list("path", flat=True))
    current = {f.path: f for f in wiki.files.select_related("blob")}
    assert indexed_paths == set(current)
    for path, file in current.items():
        rows = list(entries.filter(path=path).order_by("position"))
        assert all(row.file_id == file.pk for row in rows)
        if file.kind != "markdown":
            assert [r.kind for r in rows] == ["file"]
            continue
        with storages["default"].open(file.blob.storage_name, "rb") as handle:
            page = render(handle.read().decode(), path=path)
        assert [r.body for r in rows] == [s.text for s in page.sections]
        assert rows[0].title == page.title
    wiki_rows = list(entries.filter(kind="wiki"))
    assert len(wiki_rows) == 1 and wiki_rows[0].title == wiki.title
    assert snapshot(wiki) == _rebuilt_snapshot(wiki)


def _rebuilt_snapshot(wiki) -> list[tuple]:
    before = snapshot(wiki)
    rebuild(wiki=wiki)
    after = snapshot(wiki)
    assert before == after, "incremental index differs from a full rebuild"
    return after


@pytest.fixture
def wiki(user, make_wiki):
    return make_wiki(
        user,
        {
            "index.md": "# Start\n\nIntro about otters.\n\n## Habitat\n\nRivers.\n",
            "guide/setup.md": "# Setup\n\nInstall the penguin tools.\n",
            "img/logo.png": (
                b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06"
                b"\x00\x00\x00\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\xff\xff?\x00\x05"
                b"\xfe\x02\xfe\xa7\x35\x81\x84\x00\x00\x00\x00IEND\xaeB`\x82"
            ),
        },
        title="Animals",
        tags=["zoo"],
    )


def test_upload_indexes_every_file(wiki, user, search_as):
    assert_matches_current_files(wiki)
    assert paths(search_as(user, "penguin")) == ["guide/setup.md"]


def test_edit_replaces_the_old_words(wiki, user, search_as):
    from deepwiki.wikis.services import file_save

    file_save(
        actor=user, wiki=wiki, path="guide/setup.md", content="# Setup\n\nUse walrus.\n"
    )
    assert_matches_current_files(wiki)
    assert search_as(user, "penguin")["total"] == 0
    assert paths(search_as(user, "walrus")) == ["guide/setup.md"]


def test_new_page_is_indexed(wiki, user, search_as):
    from deepwiki.wikis.services import file_save

    file_save(actor=user, wiki=wiki, path="new.md", content="# New page\n\nflamingo\n")
    assert_matches_current_files(wiki)
    assert paths(search_as(user, "flamingo")) == ["new.md"]


def test_rename_moves_the_entries(wiki, user, search_as):
    from deepwiki.wikis.services import file_move

    file_move(
        actor=user, wiki=wiki, old_path="guide/setup.md", new_path="howto/install.md"
    )
    assert_matches_current_files(wiki)
    hit = search_as(user, "penguin")["results"][0]
    assert hit["file"]["path"] == "howto/install.md"
    assert hit["url"].endswith("/howto/install.md")


def test_restore_brings_back_the_old_text(wiki, user, search_as):
    from deepwiki.wikis.services import file_save, version_restore

    first = wiki.current_version
    file_save(
        actor=user, wiki=wiki, path="guide/setup.md", content="# Setup\n\nwalrus\n"
    )
    version_restore(actor=user, wiki=wiki, number=first)
    assert_matches_current_files(wiki)
    assert paths(search_as(user, "penguin")) == ["guide/setup.md"]
    assert search_as(user, "walrus")["total"] == 0


def test_file_delete_removes_its_entries(wiki, user, search_as):
    from deepwiki.wikis.services import file_delete

    file_delete(actor=user, wiki=wiki, path="guide/setup.md")
    assert_matches_current_files(wiki)
    assert search_as(user, "penguin")["total"] == 0


def test_settings_change_reindexes_title_tags_and_visibility(
    wiki, user, other_user, search_as
):
    from deepwiki.wikis.services import wiki_update_meta

    wiki_update_meta(actor=user, wiki=wiki, title="Creatures", tags=["safari"])
    assert_matches_current_files(wiki)
    assert search_as(user, "creatures")["total"] >= 1
    assert search_as(user, "otters", tag="safari")["total"] == 1
    assert search_as(user, "otters", tag="zoo")["total"] == 0
    assert search_as(other_user, "otters")["total"] == 1
    wiki_update_meta(actor=user, wiki=wiki, visibility="private")
    assert search_as(other_user, "otters")["total"] == 0


def test_wiki_delete_removes_everything(wiki, user, search_as):
    from deepwiki.wikis.services import wiki_delete

    wiki_pk = wiki.pk
    wiki_delete(actor=user, wiki=wiki)
    assert not SearchEntry.objects.filter(wiki_id=wiki_pk).exists()
    assert search_as(user, "otters")["total"] == 0


def test_a_failed_write_leaves_the_index_unchanged(wiki, user):
    from deepwiki.wikis.services import file_move

    before = snapshot(wiki)
    with pytest.raises(Exception):  # noqa: B017 - any refusal will do
        file_move(actor=user, wiki=wiki, old_path="guide/setup.md", new_path="index.md")
    assert snapshot(wiki) == before


def test_reindex_command_rebuilds_and_reports_counts(
    wiki, user, search_as, capsys, django_capture_on_commit_callbacks
):
    SearchEntry.objects.all().delete()
    assert search_as(user, "otters")["total"] == 0
    with django_capture_on_commit_callbacks(execute=True):
        call_command("reindex")
    out = capsys.readouterr().out
    assert "Reindexed 1 wiki(s), 3 file(s)" in out
    assert search_as(user, "otters")["total"] >= 1
    call_command("reindex", "--wiki", wiki.slug)
    assert_matches_current_files(wiki)


def test_reindex_of_an_unknown_wiki_says_so(db):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="No wiki with the slug"):
        call_command("reindex", "--wiki", "nope")


def test_full_rebuild_keeps_other_wikis_searchable_and_drops_stale_entries(
    make_wiki, user, search_as, monkeypatch
):
    from deepwiki.search import indexer

    first = make_wiki(user, {"index.md": "# Walrus notes\n\nwalrus facts"})
    second = make_wiki(user, {"index.md": "# Narwhal notes\n\nnarwhal facts"})
    stale = SearchEntry.objects.filter(wiki=second).first()
    SearchEntry.objects.filter(pk=stale.pk).update(wiki_id=first.pk + second.pk + 99)

    seen_during_rebuild = []
    original = indexer._rebuild_wiki

    def spy(item):
        if item.pk == second.pk:  # the first wiki is done, the second not yet
            seen_during_rebuild.append(search_as(user, "narwhal")["total"])
        return original(item)

    monkeypatch.setattr(indexer, "_rebuild_wiki", spy)
    counts = rebuild()
    assert counts["wikis"] == 2
    assert seen_during_rebuild and seen_during_rebuild[0] >= 1
    assert not SearchEntry.objects.exclude(wiki_id__in=[first.pk, second.pk]).exists()
    assert search_as(user, "walrus")["total"] >= 1
    assert search_as(user, "narwhal")["total"] >= 1
