"""Every change makes one version; diff, restore, old files, stale-edit conflicts."""

from __future__ import annotations

import pytest

from deepwiki.activity.models import Activity
from deepwiki.wikis import selectors, services
from deepwiki.wikis.diff import version_diff
from deepwiki.wikis.models import Link, WikiVersion

from .conftest import PNG, incoming

pytestmark = pytest.mark.django_db


def versions(wiki) -> list[int]:
    return list(
        WikiVersion.objects.filter(wiki=wiki)
        .order_by("number")
        .values_list("number", flat=True)
    )


def test_each_change_creates_exactly_one_version_and_activity(make_wiki, user):
    wiki = make_wiki({"index.md": "# Home\n", "a.md": "# A\n"})
    assert versions(wiki) == [1]
    services.file_save(actor=user, wiki=wiki, path="a.md", content="# A2\n")
    services.file_save(actor=user, wiki=wiki, path="new/b.md", content="# B\n")
    services.file_move(actor=user, wiki=wiki, old_path="new/b.md", new_path="b.md")
    services.file_delete(actor=user, wiki=wiki, path="b.md")
    services.wiki_update_meta(
        actor=user, wiki=wiki, title="Renamed", visibility="public"
    )
    services.wiki_update_files(
        actor=user, wiki=wiki, files=incoming({"c.md": "# C"}), mode="merge"
    )
    assert versions(wiki) == [1, 2, 3, 4, 5, 6, 7]
    actions = list(Activity.objects.order_by("id").values_list("action", flat=True))
    assert actions == [
        "wiki.created",
        "file.edited",
        "file.edited",
        "file.moved",
        "file.deleted",
        "wiki.updated",
        "wiki.updated",
    ]
    wiki.refresh_from_db()
    assert wiki.current_version == 7 and wiki.title == "Renamed"


def test_saving_identical_content_creates_no_version(make_wiki, user):
    wiki = make_wiki({"index.md": "# Home\n"})
    version = services.file_save(
        actor=user, wiki=wiki, path="index.md", content="# Home\n"
    )
    assert version.number == 1 and versions(wiki) == [1]


def test_diff_lists_added_removed_and_changed_files(make_wiki, user):
    wiki = make_wiki(
        {"index.md": "# Home\nline\n", "gone.md": "# Gone", "pic.png": PNG}
    )
    services.wiki_update_files(
        actor=user,
        wiki=wiki,
        files=incoming(
            {"index.md": "# Home\nchanged\n", "new.md": "# New", "pic.png": PNG + b"x"}
        ),
    )
    result = version_diff(wiki, 1, 2)
    assert result["added"] == ["new.md"] and result["removed"] == ["gone.md"]
    changed = {c["path"]: c for c in result["changed"]}
    assert (
        "-line\n+changed\n" in changed["index.md"]["diff"]
        and changed["index.md"]["is_text"]
    )
    assert not changed["pic.png"]["is_text"] and changed["pic.png"]["diff"] == ""
    assert changed["pic.png"]["new_size"] == changed["pic.png"]["old_size"] + 1


def test_restore_creates_a_new_version_with_the_old_tree(make_wiki, user):
    wiki = make_wiki({"index.md": "# One\n"})
    services.file_save(actor=user, wiki=wiki, path="index.md", content="# Two\n")
    services.file_save(actor=user, wiki=wiki, path="extra.md", content="# Extra\n")
    restored = services.version_restore(actor=user, wiki=wiki, number=1)
    assert restored.number == 4 and versions(wiki) == [1, 2, 3, 4]
    assert restored.manifest == WikiVersion.objects.get(wiki=wiki, number=1).manifest
    index = selectors.file_get_by_path(wiki, "index.md")
    assert selectors.file_text(index) == "# One\n" and index.title == "One"
    assert selectors.file_get_by_path(wiki, "extra.md") is None


def test_file_as_of_any_version(make_wiki, user):
    wiki = make_wiki({"index.md": "# v1\n"})
    services.file_save(actor=user, wiki=wiki, path="index.md", content="# v2\n")
    assert selectors.version_file_bytes(wiki, 1, "index.md") == b"# v1\n"
    assert selectors.version_file_bytes(wiki, 2, "index.md") == b"# v2\n"
    assert selectors.version_file_bytes(wiki, 1, "missing.md") is None


def test_stale_edit_raises_conflict_with_diff_and_keeps_the_other_edit(make_wiki, user):
    wiki = make_wiki({"index.md": "# Home\n", "other.md": "# Other\n"})
    services.file_save(
        actor=user, wiki=wiki, path="index.md", content="# Theirs\n", base_version=1
    )
    with pytest.raises(services.Conflict) as caught:
        services.file_save(
            actor=user, wiki=wiki, path="index.md", content="# Mine\n", base_version=1
        )
    diff = caught.value.details["diff"][0]
    assert "-# Theirs" in diff and "+# Mine" in diff
    assert (
        selectors.file_text(selectors.file_get_by_path(wiki, "index.md"))
        == "# Theirs\n"
    )
    assert versions(wiki) == [1, 2]


def test_edit_based_on_old_version_of_an_unchanged_file_is_fine(make_wiki, user):
    wiki = make_wiki({"index.md": "# Home\n", "other.md": "# Other\n"})
    services.file_save(actor=user, wiki=wiki, path="other.md", content="# Other 2\n")
    version = services.file_save(
        actor=user, wiki=wiki, path="index.md", content="# Mine\n", base_version=1
    )
    assert version.number == 3


def test_conflict_over_the_api_is_409_with_a_diff(make_wiki, api_as, user):
    wiki = make_wiki({"index.md": "# Home\n"})
    c = api_as(user)
    url = f"/api/wiki/{wiki.slug}/file/index.md"
    assert c.put(url, {"content": "# A\n", "baseVersion": 1}).status_code == 200
    response = c.put(url, {"content": "# B\n", "baseVersion": 1, "message": "mine"})
    assert response.status_code == 409
    body = response.json()
    assert body["code"] == "EDIT_CONFLICT" and "+# B" in body["details"]["diff"][0]


def test_moving_a_file_updates_links_and_backlinks(make_wiki, user):
    wiki = make_wiki(
        {
            "index.md": "# Home\n[s](guide/setup.md) [[Setup]]\n",
            "guide/setup.md": "# Setup\n",
        }
    )
    setup = selectors.file_get_by_path(wiki, "guide/setup.md")
    assert [f.path for f in selectors.backlinks(setup)] == ["index.md"]
    services.file_move(
        actor=user, wiki=wiki, old_path="guide/setup.md", new_path="setup.md"
    )
    assert list(selectors.broken_links(wiki).values_list("target", flat=True)) == [
        "guide/setup.md"
    ]
    moved = selectors.file_get_by_path(wiki, "setup.md")
    assert [f.path for f in selectors.backlinks(moved)] == ["index.md"]  # by title
    services.file_save(
        actor=user, wiki=wiki, path="guide/setup.md", content="# Setup again\n"
    )
    assert not Link.objects.filter(wiki=wiki, broken=True).exists()
    index = selectors.file_get_by_path(wiki, "index.md")
    assert f'href="/wikis/{wiki.slug}/guide/setup.md"' in index.html


def test_links_resolve_extensionless_folder_index_and_images(make_wiki):
    wiki = make_wiki(
        {
            "index.md": "# Home\n[a](guide) [b](guide/setup#install) ![p](img/p.png) [c](../x.md)\n",
            "guide/README.md": "# Guide\n",
            "guide/setup.md": "# Setup\n## Install\n",
            "img/p.png": PNG,
        }
    )
    html = selectors.file_get_by_path(wiki, "index.md").html
    assert f'href="/wikis/{wiki.slug}/guide/README.md"' in html
    assert f'href="/wikis/{wiki.slug}/guide/setup.md#install"' in html
    assert f'src="/wikis/{wiki.slug}/-/raw/img/p.png"' in html
    assert list(selectors.broken_links(wiki).values_list("target", flat=True)) == [
        "../x.md"
    ]


def test_file_tree_puts_entry_first_then_folders_then_files_naturally(make_wiki):
    wiki = make_wiki(
        {
            "chapter10.md": "# 10",
            "chapter2.md": "# 2",
            "README.md": "# Readme",
            "b/x.md": "# x",
            "A/y.md": "# y",
        }
    )
    tree = selectors.file_tree(wiki)
    assert [n["name"] for n in tree] == [
        "README.md",
        "A",
        "b",
        "chapter2.md",
        "chapter10.md",
    ]
    assert (
        tree[0]["is_entry"] and tree[1]["kind"] == "folder" and tree[1]["path"] == "A"
    )
