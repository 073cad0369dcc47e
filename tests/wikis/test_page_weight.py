"""A page's HTML stays under 60 KB whatever the folder size; text is gzipped."""

from __future__ import annotations

import gzip

import pytest
from django.urls import reverse

LIMIT = 60 * 1024
FOLDER_FILES = 5000


@pytest.fixture
def big_folder(make_wiki, settings):
    settings.DEEPWIKI_LIMITS = {**settings.DEEPWIKI_LIMITS, "files": FOLDER_FILES + 10}
    files = {"index.md": "# Home\n", "big/a-page.md": "# A page\n\nHello.\n"}
    for i in range(FOLDER_FILES - 2):
        files[f"big/note-{i:05}.txt"] = f"note {i}\n"
    files["big/zz-last.md"] = "# Last\n"
    files["other/deeper/x.md"] = "# X\n"
    return make_wiki(files, visibility="public")


def test_page_in_a_5000_file_folder_is_under_60_kb(client, big_folder):
    for path in ("big/a-page.md", "big/zz-last.md", "index.md"):
        response = client.get(reverse("wiki_page", args=[big_folder.slug, path]))
        assert response.status_code == 200
        assert len(response.content) < LIMIT, (path, len(response.content))
    html = response.content.decode()
    assert "Show all" not in html  # the root holds three entries


def test_capped_folder_still_shows_the_current_file_and_a_show_all_link(
    client, big_folder
):
    url = reverse("wiki_page", args=[big_folder.slug, "big/zz-last.md"])
    html = client.get(url).content.decode()
    assert 'data-path="big/zz-last.md" aria-current="page"' in html
    assert f"Show all {FOLDER_FILES}" in html
    listing = reverse("wiki_folder", args=[big_folder.slug, "big"])
    assert f'href="{listing}"' in html


def test_folder_listing_of_5000_files_is_paginated(client, big_folder):
    listing = reverse("wiki_folder", args=[big_folder.slug, "big"])
    first = client.get(listing)
    assert first.status_code == 200 and len(first.content) < LIMIT
    assert "1–200 of 5000" in first.content.decode()
    last = client.get(listing + "?page=25").content.decode()
    assert "zz-last.md" in last


def test_closed_folder_opens_from_a_fragment(client, big_folder):
    html = client.get(
        reverse("wiki_page", args=[big_folder.slug, "index.md"])
    ).content.decode()
    src = reverse("wiki_tree_fragment", args=[big_folder.slug, "other"])
    assert f'data-tree-src="{src}"' in html
    fragment = client.get(src)
    assert fragment.status_code == 200
    assert fragment.content.decode().startswith('<ul class="tree-list">')
    assert 'data-dir="other/deeper"' in fragment.content.decode()
    missing = reverse("wiki_tree_fragment", args=[big_folder.slug, "nope"])
    assert client.get(missing).status_code == 404


def test_private_wiki_fragment_is_not_found_for_strangers(client, make_wiki):
    wiki = make_wiki({"index.md": "# Home\n", "a/b.md": "# B\n"}, visibility="private")
    src = reverse("wiki_tree_fragment", args=[wiki.slug, "a"])
    assert client.get(src).status_code in (302, 404)


def test_pages_are_gzipped_but_secrets_and_writes_are_not(client, big_folder):
    url = reverse("wiki_page", args=[big_folder.slug, "big/a-page.md"])
    page = client.get(url, HTTP_ACCEPT_ENCODING="gzip")
    assert page["Content-Encoding"] == "gzip"
    assert b"A page" in gzip.decompress(page.content)
    login = client.get("/accounts/login/", HTTP_ACCEPT_ENCODING="gzip")
    assert not login.has_header("Content-Encoding")
    posted = client.post("/accounts/login/", {}, HTTP_ACCEPT_ENCODING="gzip")
    assert not posted.has_header("Content-Encoding")
