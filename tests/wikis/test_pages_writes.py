"""The wiki HTML forms: upload, edit (with conflicts), move, delete, history, settings."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from deepwiki.wikis.models import Wiki, WikiFile

from .conftest import PNG, make_zip

pytestmark = pytest.mark.django_db


@pytest.fixture
def signed_in(client, user):
    client.force_login(user)
    return client


@pytest.fixture
def wiki(make_wiki, user):
    return make_wiki(
        {"index.md": "# Home\n\nLine one.\n", "guide/setup.md": "# Setup\n\nOld.\n"},
        owner=user,
    )


def upload(name: str, data: bytes | str, content_type="text/markdown"):
    raw = data.encode() if isinstance(data, str) else data
    return SimpleUploadedFile(name, raw, content_type=content_type)


# --- upload --------------------------------------------------------------------


def test_upload_without_javascript_creates_a_wiki_from_files(signed_in, user):
    response = signed_in.post(
        reverse("wiki_upload"),
        {
            "files": [
                upload("index.md", "# Team notes\n"),
                upload("more.md", "# More\n"),
            ],
            "title": "",
            "tags": "alpha, beta",
            "visibility": "private",
        },
    )
    wiki = Wiki.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/wikis/{wiki.slug}/"
    assert wiki.title == "Team notes" and wiki.visibility == "private"
    assert wiki.owner == user
    assert sorted(wiki.tags.values_list("name", flat=True)) == ["alpha", "beta"]
    assert sorted(WikiFile.objects.values_list("path", flat=True)) == [
        "index.md",
        "more.md",
    ]
    page = signed_in.get(response["Location"])
    assert b"Team notes" in page.content


def test_upload_without_javascript_accepts_a_zip_and_keeps_folders(signed_in):
    archive = make_zip(
        {"site/index.md": "# Zipped\n", "site/docs/a.md": "# A\n", "site/i.png": PNG}
    )
    response = signed_in.post(
        reverse("wiki_upload"),
        {
            "archive": upload("site.zip", archive, "application/zip"),
            "visibility": "internal",
        },
    )
    assert response.status_code == 302
    assert sorted(WikiFile.objects.values_list("path", flat=True)) == [
        "docs/a.md",
        "i.png",
        "index.md",
    ]


def test_a_lone_zip_chosen_as_a_file_is_unpacked(signed_in):
    archive = make_zip({"index.md": "# From files picker\n", "a/b.md": "# B\n"})
    response = signed_in.post(
        reverse("wiki_upload"),
        {
            "files": [upload("docs.zip", archive, "application/zip")],
            "visibility": "internal",
        },
    )
    assert response.status_code == 302
    assert sorted(WikiFile.objects.values_list("path", flat=True)) == [
        "a/b.md",
        "index.md",
    ]


def test_upload_keeps_relative_paths_sent_by_the_script(signed_in):
    response = signed_in.post(
        reverse("wiki_upload"),
        {
            "files": [upload("index.md", "# Root\n"), upload("setup.md", "# Setup\n")],
            "paths": ["book/index.md", "book/guide/setup.md"],
            "visibility": "internal",
        },
        HTTP_ACCEPT="application/json",
    )
    assert response.status_code == 201
    wiki = Wiki.objects.get()
    assert response.json() == {"slug": wiki.slug, "url": f"/wikis/{wiki.slug}/"}
    assert sorted(WikiFile.objects.values_list("path", flat=True)) == [
        "guide/setup.md",
        "index.md",
    ]


def test_rejected_upload_explains_and_stores_nothing(signed_in, nothing_stored):
    response = signed_in.post(
        reverse("wiki_upload"),
        {"files": [upload("photo.png", PNG, "image/png")], "visibility": "internal"},
    )
    assert response.status_code == 422
    html = response.content.decode()
    assert 'class="alert alert-error"' in html
    assert "Markdown" in html
    nothing_stored()


def test_rejected_upload_answers_json_to_the_script(signed_in, nothing_stored):
    response = signed_in.post(
        reverse("wiki_upload"),
        {
            "files": [upload("../evil.md", "# x\n")],
            "paths": ["../evil.md"],
            "visibility": "internal",
        },
        HTTP_ACCEPT="application/json",
    )
    assert response.status_code in (400, 422)
    body = response.json()
    assert set(body) == {"error", "code", "details"}
    nothing_stored()


def test_empty_upload_form_shows_a_clear_error(signed_in):
    # The one upload parser answers a request without files 400, as the API did.
    response = signed_in.post(reverse("wiki_upload"), {"visibility": "internal"})
    assert response.status_code == 400
    assert "Choose files, a folder or a .zip archive." in response.content.decode()
    assert Wiki.objects.count() == 0


def test_upload_page_defaults_to_the_site_visibility(signed_in):
    from deepwiki.core.models import SiteSettings

    site = SiteSettings.current()
    site.default_visibility = "public"
    site.save()
    from django.core.cache import cache

    cache.clear()
    html = signed_in.get(reverse("wiki_upload")).content.decode()
    assert '<option value="public" selected>' in html
    assert "webkitdirectory" in html and 'name="archive"' in html
    assert 'data-limit-file="' in html


def test_upload_into_merges_files_and_makes_a_version(signed_in, wiki):
    response = signed_in.post(
        reverse("wiki_upload_into", args=[wiki.slug]),
        {
            "files": [upload("new.md", "# New\n")],
            "paths": ["extra/new.md"],
            "mode": "merge",
            "message": "Add extra page",
        },
    )
    assert response.status_code == 302
    wiki.refresh_from_db()
    assert wiki.current_version == 2
    assert wiki.versions.get(number=2).message == "Add extra page"
    assert set(wiki.files.values_list("path", flat=True)) == {
        "index.md",
        "guide/setup.md",
        "extra/new.md",
    }
    diff = signed_in.get(reverse("wiki_diff", args=[wiki.slug, 1, 2])).content.decode()
    assert "1 added" in diff
    assert f'href="/wikis/{wiki.slug}/-/v/2/extra/new.md"' in diff


def test_upload_into_with_a_zip_replaces_the_tree(signed_in, wiki):
    archive = make_zip({"index.md": "# Fresh\n"})
    response = signed_in.post(
        reverse("wiki_upload_into", args=[wiki.slug]),
        {"archive": upload("w.zip", archive, "application/zip"), "mode": "replace"},
    )
    assert response.status_code == 302
    assert list(wiki.files.values_list("path", flat=True)) == ["index.md"]


def test_upload_into_rejects_a_broken_zip_and_keeps_the_wiki(signed_in, wiki):
    response = signed_in.post(
        reverse("wiki_upload_into", args=[wiki.slug]),
        {
            "archive": upload("w.zip", b"not a zip", "application/zip"),
            "mode": "replace",
        },
    )
    assert response.status_code == 422
    assert "is not a valid zip archive" in response.content.decode()
    wiki.refresh_from_db()
    assert wiki.current_version == 1


# --- editing ---------------------------------------------------------------------


def test_edit_page_saves_a_new_version(signed_in, wiki):
    url = reverse("wiki_edit", args=[wiki.slug, "guide/setup.md"])
    form = signed_in.get(url).content.decode()
    assert 'name="base_version" value="1"' in form
    assert "# Setup" in form
    response = signed_in.post(
        url,
        {"content": "# Setup\n\nNew text.\n", "base_version": "1", "message": "Fix"},
    )
    assert response.status_code == 302
    assert response["Location"] == f"/wikis/{wiki.slug}/guide/setup.md"
    page = signed_in.get(response["Location"]).content.decode()
    assert "New text." in page
    history = signed_in.get(reverse("wiki_history", args=[wiki.slug])).content.decode()
    assert "v2" in history and "Fix" in history


def test_edit_with_stale_base_shows_conflict_and_keeps_text(signed_in, wiki, user):
    from deepwiki.wikis import services

    services.file_save(
        actor=user, wiki=wiki, path="guide/setup.md", content="# Setup\n\nTheirs.\n"
    )
    url = reverse("wiki_edit", args=[wiki.slug, "guide/setup.md"])
    mine = "# Setup\n\nMine <b>with</b> markup.\n"
    response = signed_in.post(url, {"content": mine, "base_version": "1"})
    assert response.status_code == 409
    html = response.content.decode()
    assert "Someone else changed this page" in html
    assert "Mine &lt;b&gt;with&lt;/b&gt; markup." in html  # the textarea keeps it
    assert 'class="diff-del">-Theirs.' in html
    assert 'name="base_version" value="2"' in html
    assert WikiFile.objects.get(wiki=wiki, path="guide/setup.md").html.count("Theirs")
    # Saving again (from the version now current) goes through.
    again = signed_in.post(url, {"content": mine, "base_version": "2"})
    assert again.status_code == 302


def test_edit_of_a_file_deleted_meanwhile_keeps_the_text(signed_in, wiki, user):
    from deepwiki.wikis import services

    url = reverse("wiki_edit", args=[wiki.slug, "guide/setup.md"])
    services.file_delete(actor=user, wiki=wiki, path="guide/setup.md")
    response = signed_in.post(
        url, {"content": "# Setup\n\nMy long edit.\n", "base_version": "1"}
    )
    assert response.status_code == 409
    html = response.content.decode()
    assert "My long edit." in html
    assert "no longer exists" in html


def test_preview_returns_sanitised_html(signed_in, wiki):
    response = signed_in.post(
        reverse("wiki_preview", args=[wiki.slug]),
        {"content": "## Hi\n\n<script>alert(1)</script>\n", "path": "guide/setup.md"},
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "<h2" in body and "<script" not in body


def test_preview_is_post_only(signed_in, wiki):
    response = signed_in.get(reverse("wiki_preview", args=[wiki.slug]))
    assert response.status_code == 405


def test_new_page_is_created_in_the_given_folder(signed_in, wiki):
    url = reverse("wiki_new_file", args=[wiki.slug])
    form = signed_in.get(url + "?dir=guide").content.decode()
    assert 'value="guide/"' in form
    response = signed_in.post(url, {"path": "guide/faq", "content": "# FAQ\n"})
    assert response.status_code == 302
    assert response["Location"] == f"/wikis/{wiki.slug}/guide/faq.md"
    assert wiki.files.filter(path="guide/faq.md").exists()


def test_new_page_refuses_an_existing_path(signed_in, wiki):
    url = reverse("wiki_new_file", args=[wiki.slug])
    response = signed_in.post(url, {"path": "guide/setup.md", "content": "# x\n"})
    assert response.status_code == 422
    assert "already exists" in response.content.decode()
    assert "Old." in WikiFile.objects.get(wiki=wiki, path="guide/setup.md").html


def test_move_renames_the_file(signed_in, wiki):
    url = reverse("wiki_move", args=[wiki.slug, "guide/setup.md"])
    response = signed_in.post(url, {"new_path": "howto/install.md"})
    assert response.status_code == 302
    assert response["Location"] == f"/wikis/{wiki.slug}/howto/install.md"
    assert set(wiki.files.values_list("path", flat=True)) == {
        "index.md",
        "howto/install.md",
    }


def test_move_to_a_bad_path_explains_and_changes_nothing(signed_in, wiki):
    url = reverse("wiki_move", args=[wiki.slug, "guide/setup.md"])
    response = signed_in.post(url, {"new_path": "../outside.md"})
    assert response.status_code == 422
    assert 'class="error"' in response.content.decode()
    assert wiki.files.filter(path="guide/setup.md").exists()


def test_delete_file_asks_then_deletes(signed_in, wiki):
    url = reverse("wiki_delete_file", args=[wiki.slug, "guide/setup.md"])
    confirm = signed_in.get(url).content.decode()
    assert "data-confirm=" in confirm
    response = signed_in.post(url, {"message": "Not needed"})
    assert response.status_code == 302
    assert not wiki.files.filter(path="guide/setup.md").exists()


def test_only_markdown_is_edited_in_the_browser(signed_in, make_wiki, user):
    wiki = make_wiki({"index.md": "# x\n", "i.png": PNG}, owner=user)
    response = signed_in.get(reverse("wiki_edit", args=[wiki.slug, "i.png"]))
    assert response.status_code == 400
    assert "Only Markdown pages can be edited" in response.content.decode()


# --- history, diff, restore --------------------------------------------------------


def test_history_diff_and_restore(signed_in, wiki, user):
    from deepwiki.wikis import services

    services.file_save(
        actor=user,
        wiki=wiki,
        path="guide/setup.md",
        content="# Setup\n\nNew <script>x</script>.\n",
        message="Rewrite",
    )
    history = signed_in.get(reverse("wiki_history", args=[wiki.slug]))
    html = history.content.decode()
    assert "Rewrite" in html and 'name="v" value="1"' in html
    assert f'action="/wikis/{wiki.slug}/-/restore/1"' in html

    pick = signed_in.get(reverse("wiki_history", args=[wiki.slug]) + "?v=2&v=1")
    assert pick["Location"] == reverse("wiki_diff", args=[wiki.slug, 1, 2])

    diff = signed_in.get(reverse("wiki_diff", args=[wiki.slug, 1, 2])).content.decode()
    assert '<span class="diff-del">-Old.</span>' in diff
    assert '<span class="diff-add">+New &lt;script&gt;x&lt;/script&gt;.</span>' in diff
    assert "<script>x" not in diff

    side = signed_in.get(
        reverse("wiki_diff", args=[wiki.slug, 1, 2]) + "?file=guide/setup.md"
    ).content.decode()
    assert "side by side" in side and "<script>x" not in side

    restore = signed_in.post(reverse("wiki_restore", args=[wiki.slug, 1]))
    assert restore.status_code == 302
    wiki.refresh_from_db()
    assert wiki.current_version == 3
    assert "Old." in WikiFile.objects.get(wiki=wiki, path="guide/setup.md").html
    assert wiki.versions.count() == 3  # history is never rewritten


def test_old_version_is_marked_and_rendered(signed_in, wiki, user):
    from deepwiki.wikis import services

    services.file_save(actor=user, wiki=wiki, path="index.md", content="# Home v2\n")
    old = signed_in.get(
        reverse("wiki_page_at_version", args=[wiki.slug, 1, "index.md"])
    )
    html = old.content.decode()
    assert "You are viewing version 1" in html
    assert "Line one." in html and "Home v2" not in html
    entry = signed_in.get(reverse("wiki_home_at_version", args=[wiki.slug, 1]))
    assert entry["Location"] == reverse(
        "wiki_page_at_version", args=[wiki.slug, 1, "index.md"]
    )
    missing = signed_in.get(
        reverse("wiki_page_at_version", args=[wiki.slug, 9, "index.md"])
    )
    assert missing.status_code == 404


# --- settings and deletion ------------------------------------------------------------


def test_settings_update_metadata_and_offer_the_wiki(signed_in, wiki, user, other_user):
    response = signed_in.post(
        reverse("wiki_settings", args=[wiki.slug]),
        {
            "title": "Renamed",
            "description": "About",
            "tags": "one, two",
            "visibility": "public",
            "owner": other_user.email,
        },
    )
    assert response.status_code == 302
    wiki.refresh_from_db()
    # An owner only offers the wiki: it changes hands when the other accepts.
    assert (wiki.title, wiki.visibility, wiki.owner) == ("Renamed", "public", user)
    assert wiki.owner_offer.to_email == other_user.email
    assert sorted(wiki.tags.values_list("name", flat=True)) == ["one", "two"]


def test_settings_offer_to_an_unknown_address_looks_like_any_other(
    signed_in, wiki, user
):
    response = signed_in.post(
        reverse("wiki_settings", args=[wiki.slug]),
        {"title": "Renamed", "visibility": "internal", "owner": "nobody@example.com"},
        follow=True,
    )
    html = response.content.decode()
    assert "If nobody@example.com belongs to an active account" in html
    assert "No active user" not in html
    wiki.refresh_from_db()
    assert wiki.title == "Renamed" and wiki.owner == user


def test_admin_settings_with_unknown_owner_change_nothing(client, wiki, admin_user):
    client.force_login(admin_user)
    response = client.post(
        reverse("wiki_settings", args=[wiki.slug]),
        {"title": "Renamed", "visibility": "internal", "owner": "nobody@example.com"},
    )
    assert response.status_code == 422
    assert "No active user" in response.content.decode()
    wiki.refresh_from_db()
    assert wiki.title != "Renamed"


def test_delete_wiki_needs_the_typed_slug(signed_in, wiki):
    url = reverse("wiki_delete", args=[wiki.slug])
    wrong = signed_in.post(url, {"confirm": "nope"})
    assert wrong.status_code == 422
    assert Wiki.objects.filter(pk=wiki.pk).exists()
    right = signed_in.post(url, {"confirm": wiki.slug})
    assert right.status_code == 302 and right["Location"] == reverse("wiki_list")
    assert not Wiki.objects.filter(pk=wiki.pk).exists()


# --- list and bulk delete ----------------------------------------------------------------


def test_list_filters_sorts_and_paginates(client, make_wiki, user):
    for n in range(23):
        tags = ["even"] if n % 2 == 0 else ["odd"]
        make_wiki({"index.md": f"# Wiki {n:02d}\n"}, owner=user, tags=tags)
    client.force_login(user)
    first = client.get(reverse("wiki_list") + "?sort=title").content.decode()
    assert first.index("Wiki 00") < first.index("Wiki 01")
    assert "Page 1 of 2" in first and "sort=title&amp;page=2" in first
    evens = client.get(reverse("wiki_list") + "?tag=even").content.decode()
    assert "Wiki 02" in evens and "Wiki 03" not in evens
    found = client.get(reverse("wiki_list") + "?q=Wiki+07").content.decode()
    assert "Wiki 07" in found and "Wiki 08" not in found


def test_list_empty_state_links_to_upload(client, user):
    client.force_login(user)
    html = client.get(reverse("wiki_list")).content.decode()
    assert "No wikis yet" in html and reverse("wiki_upload") in html


def test_bulk_delete_reports_each_wiki(client, make_wiki, user, other_user):
    mine = make_wiki({"index.md": "# Mine\n"}, owner=user)
    theirs = make_wiki({"index.md": "# Theirs\n"}, owner=other_user)
    client.force_login(user)
    listing = client.get(reverse("wiki_list")).content.decode()
    assert f'name="wiki_ids" value="{mine.pk}"' in listing
    assert f'name="wiki_ids" value="{theirs.pk}"' not in listing
    assert "data-confirm=" in listing
    response = client.post(
        reverse("wiki_bulk_delete"),
        {"wiki_ids": [mine.pk, theirs.pk, 99999]},
        follow=True,
    )
    html = response.content.decode()
    assert "Deleted 1 wiki: “Mine”." in html
    assert "Not deleted: “Theirs” — only its owner or an admin can delete it." in html
    assert "#99999" in html
    assert list(Wiki.objects.values_list("title", flat=True)) == ["Theirs"]


def test_admin_bulk_deletes_any_wiki(client, make_wiki, user, other_user, admin_user):
    a = make_wiki({"index.md": "# A\n"}, owner=user, visibility="private")
    b = make_wiki({"index.md": "# B\n"}, owner=other_user)
    client.force_login(admin_user)
    response = client.post(reverse("wiki_bulk_delete"), {"wiki_ids": [a.pk, b.pk]})
    assert response.status_code == 302
    assert Wiki.objects.count() == 0


def test_bulk_delete_needs_a_selection_and_a_post(client, user, wiki):
    client.force_login(user)
    assert client.get(reverse("wiki_bulk_delete")).status_code == 405
    response = client.post(reverse("wiki_bulk_delete"), {}, follow=True)
    assert "Select at least one wiki" in response.content.decode()
    assert Wiki.objects.count() == 1


def test_old_versions_show_images_and_text_files(signed_in, make_wiki, user):
    wiki = make_wiki(
        {"index.md": "# x\n", "i.png": PNG, "notes.txt": "old <notes>\n"}, owner=user
    )
    image = signed_in.get(reverse("wiki_page_at_version", args=[wiki.slug, 1, "i.png"]))
    assert f'src="/wikis/{wiki.slug}/-/raw/i.png?version=1"' in image.content.decode()
    text = signed_in.get(
        reverse("wiki_page_at_version", args=[wiki.slug, 1, "notes.txt"])
    )
    assert "old &lt;notes&gt;" in text.content.decode()
    raw = signed_in.get(f"/wikis/{wiki.slug}/-/raw/i.png?version=1")
    assert raw.status_code == 200


def test_old_version_has_its_toc_and_links_resolve_in_its_own_tree(
    signed_in, make_wiki, user
):
    from deepwiki.wikis import services

    wiki = make_wiki(
        {
            "index.md": "# Home\n\n## Setup steps\n\nSee [the guide](guide.md).\n",
            "guide.md": "# Guide\n",
        }
    )
    services.file_delete(actor=user, wiki=wiki, path="guide.md")
    old = signed_in.get(
        reverse("wiki_page_at_version", args=[wiki.slug, 1, "index.md"])
    ).content.decode()
    assert "On this page" in old and "Setup steps" in old
    assert "broken-link" not in old  # guide.md existed in version 1
    current = signed_in.get(reverse("wiki_page", args=[wiki.slug, "index.md"]))
    assert "broken-link" in current.content.decode()
