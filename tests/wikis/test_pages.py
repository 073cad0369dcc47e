"""The wiki HTML pages: who gets which answer, and what the pages show."""

from __future__ import annotations

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from .conftest import PNG

pytestmark = pytest.mark.django_db

SOURCE = {
    "index.md": "---\ntitle: Handbook\ntags: [ops]\n---\n# Handbook\n\n"
    "## Install\n\nSee [setup](guide/setup.md).\n\n### Linux\n\ntext\n",
    "guide/setup.md": "# Setup\n\nBack [home](../index.md).\n\n```python\nprint('hi')\n```\n",
    "img/logo.png": PNG,
    "notes.txt": "plain <b>notes</b>\n",
}

ROLES = ["anonymous", "other", "owner", "admin"]
VISIBILITIES = ["private", "internal", "public"]


@pytest.fixture
def wiki_of(make_wiki, user):
    def make(visibility: str = "internal", files: dict | None = None):
        return make_wiki(files or SOURCE, owner=user, visibility=visibility)

    return make


@pytest.fixture
def client_as(client, user, other_user, admin_user):
    """`client_as(role)` gives the Django test client signed in as that role."""

    def make(role: str):
        people = {"other": other_user, "owner": user, "admin": admin_user}
        if role in people:
            client.force_login(people[role])
        return client

    return make


def can_read(role: str, visibility: str) -> bool:
    if visibility == "public":
        return True
    if role == "anonymous":
        return False
    return visibility == "internal" or role in ("owner", "admin")


def read_status(role: str, visibility: str) -> int:
    if can_read(role, visibility):
        return 200
    return 302 if role == "anonymous" else 404


def edit_status(role: str, visibility: str) -> int:
    if role == "anonymous":
        return 302
    if not can_read(role, visibility):
        return 404
    return 200 if role in ("owner", "admin") else 403


def read_pages(wiki) -> list[str]:
    s = wiki.slug
    return [
        reverse("wiki_home", args=[s]),
        reverse("wiki_page", args=[s, "guide/setup.md"]),
        reverse("wiki_page", args=[s, "img/logo.png"]),
        reverse("wiki_page", args=[s, "notes.txt"]),
        reverse("wiki_history", args=[s]),
        reverse("wiki_links", args=[s]),
        reverse("wiki_diff", args=[s, 1, 1]),
        reverse("wiki_page_at_version", args=[s, 1, "index.md"]),
    ]


def edit_pages(wiki) -> list[str]:
    s = wiki.slug
    return [
        reverse("wiki_edit", args=[s, "guide/setup.md"]),
        reverse("wiki_new_file", args=[s]),
        reverse("wiki_move", args=[s, "guide/setup.md"]),
        reverse("wiki_delete_file", args=[s, "guide/setup.md"]),
        reverse("wiki_settings", args=[s]),
        reverse("wiki_upload_into", args=[s]),
    ]


# --- permissions matrix -----------------------------------------------------


@pytest.mark.parametrize("visibility", VISIBILITIES)
@pytest.mark.parametrize("role", ROLES)
def test_read_pages_answer_by_role_and_visibility(client_as, wiki_of, role, visibility):
    wiki = wiki_of(visibility)
    client = client_as(role)
    expected = read_status(role, visibility)
    for url in read_pages(wiki):
        response = client.get(url)
        assert response.status_code == expected, url
        if expected == 302:
            assert response["Location"].startswith(reverse("login") + "?next=")


@pytest.mark.parametrize("visibility", VISIBILITIES)
@pytest.mark.parametrize("role", ROLES)
def test_edit_pages_answer_by_role_and_visibility(client_as, wiki_of, role, visibility):
    wiki = wiki_of(visibility)
    client = client_as(role)
    expected = edit_status(role, visibility)
    for url in edit_pages(wiki):
        assert client.get(url).status_code == expected, url


@pytest.mark.parametrize(
    "role,visibility",
    [
        (r, v)
        for r in ROLES
        for v in VISIBILITIES
        if edit_status(r, v) != 200  # owners and admins: see the tests below
    ],
)
def test_writes_are_refused_without_edit_rights(client_as, wiki_of, role, visibility):
    wiki = wiki_of(visibility)
    client = client_as(role)
    s = wiki.slug
    posts = {
        reverse("wiki_edit", args=[s, "guide/setup.md"]): {
            "content": "# Hacked\n",
            "base_version": "1",
        },
        reverse("wiki_preview", args=[s]): {"content": "# x"},
        reverse("wiki_move", args=[s, "guide/setup.md"]): {"new_path": "x.md"},
        reverse("wiki_delete_file", args=[s, "guide/setup.md"]): {},
        reverse("wiki_settings", args=[s]): {"title": "Mine", "visibility": "public"},
        reverse("wiki_restore", args=[s, 1]): {},
        reverse("wiki_delete", args=[s]): {"confirm": s},
        reverse("wiki_new_file", args=[s]): {"path": "new.md", "content": "# New\n"},
        reverse("wiki_upload_into", args=[s]): {
            "files": [SimpleUploadedFile("x.md", b"# X\n")],
            "mode": "replace",
        },
    }
    expected = edit_status(role, visibility)
    for url, data in posts.items():
        assert client.post(url, data).status_code == expected, url
    wiki.refresh_from_db()
    assert wiki.current_version == 1
    assert wiki.title == "Handbook"
    assert wiki.files.filter(path="guide/setup.md").exists()


@pytest.mark.parametrize("role", ROLES)
def test_list_shows_only_readable_wikis(client_as, make_wiki, user, role):
    for visibility in VISIBILITIES:
        make_wiki(
            {"index.md": f"# Wiki {visibility}\n"}, owner=user, visibility=visibility
        )
    html = client_as(role).get(reverse("wiki_list")).content.decode()
    for visibility in VISIBILITIES:
        shown = f"Wiki {visibility}" in html
        assert shown == can_read(role, visibility), visibility


def test_unknown_wiki_and_unknown_path_are_404(client, user, wiki_of):
    wiki = wiki_of("internal")
    client.force_login(user)
    assert client.get("/wikis/no-such-wiki/").status_code == 404
    response = client.get(reverse("wiki_page", args=[wiki.slug, "missing.md"]))
    assert response.status_code == 404
    assert b"could not find" in response.content


def test_upload_page_needs_an_account(client, user):
    assert client.get(reverse("wiki_upload")).status_code == 302
    client.force_login(user)
    assert client.get(reverse("wiki_upload")).status_code == 200


# --- reading ------------------------------------------------------------------


def test_page_shows_the_html_stored_in_the_database_verbatim(client, user, wiki_of):
    from deepwiki.wikis.models import WikiFile

    wiki = wiki_of("internal")
    WikiFile.objects.filter(wiki=wiki, path="guide/setup.md").update(
        html='<p id="from-db">stored render 42</p>'
    )
    client.force_login(user)
    response = client.get(reverse("wiki_page", args=[wiki.slug, "guide/setup.md"]))
    assert '<p id="from-db">stored render 42</p>' in response.content.decode()


def test_page_view_never_calls_the_renderer(client, user, wiki_of, monkeypatch):
    import sys

    from deepwiki.content import render

    wiki = wiki_of("internal")

    def boom(*args, **kwargs):
        raise AssertionError("a page view must not render Markdown")

    # Wherever the renderer was imported, replace it.
    for module in list(sys.modules.values()):
        if getattr(module, "__name__", "").startswith("deepwiki") and (
            getattr(module, "render", None) is render
        ):
            monkeypatch.setattr(module, "render", boom)
    client.force_login(user)
    assert client.get(reverse("wiki_home", args=[wiki.slug])).status_code == 200
    url = reverse("wiki_page", args=[wiki.slug, "guide/setup.md"])
    assert client.get(url).status_code == 200


def test_page_has_tree_toc_breadcrumbs_and_actions(client, user, wiki_of):
    wiki = wiki_of("internal")
    client.force_login(user)
    html = client.get(reverse("wiki_page", args=[wiki.slug, "guide/setup.md"])).content
    html = html.decode()
    assert 'aria-label="Breadcrumb"' in html
    assert re.search(r'data-path="guide/setup.md" aria-current="page"', html)
    assert re.search(r'<details data-dir="guide" open>', html)
    assert 'class="highlight"' in html
    assert f'href="/wikis/{wiki.slug}/-/raw/guide/setup.md"' in html
    assert f'href="/wikis/{wiki.slug}/-/history"' in html
    assert f'href="/wikis/{wiki.slug}/-/download"' in html
    assert f'href="/wikis/{wiki.slug}/-/edit/guide/setup.md"' in html
    # People are named by display name, never by e-mail address.
    assert "Edited <time" in html and f"by {user.public_name}" in html
    assert "deepwiki/js/diagrams.js" in html and "deepwiki/css/content.css" in html
    home = client.get(reverse("wiki_home", args=[wiki.slug])).content.decode()
    assert 'data-toc-id="install"' in home and 'data-toc-id="linux"' in home
    # Entry page first in the tree, current there.
    assert home.index('data-path="index.md"') < home.index('data-dir="guide"')
    assert 'data-path="index.md" aria-current="page"' in home


def test_backlinks_list_the_pages_linking_here(client, user, wiki_of):
    wiki = wiki_of("internal")
    client.force_login(user)
    html = client.get(reverse("wiki_page", args=[wiki.slug, "guide/setup.md"]))
    backlinks = html.content.decode().split('id="backlinks-title"')[1]
    assert f'href="/wikis/{wiki.slug}/index.md"' in backlinks
    assert "Handbook" in backlinks


def test_readers_see_no_edit_links(client, other_user, wiki_of):
    wiki = wiki_of("internal")
    client.force_login(other_user)
    html = client.get(reverse("wiki_home", args=[wiki.slug])).content.decode()
    assert "/-/edit/" not in html and "/-/settings" not in html


def test_deleted_author_shows_as_deleted_user(client, admin_user, wiki_of, user):
    wiki = wiki_of("public")
    user.delete()
    client.force_login(admin_user)
    html = client.get(reverse("wiki_home", args=[wiki.slug])).content.decode()
    assert "by deleted user" in html


def test_image_and_text_files_are_previewed_escaped(client, user, wiki_of):
    wiki = wiki_of("internal")
    client.force_login(user)
    image = client.get(reverse("wiki_page", args=[wiki.slug, "img/logo.png"]))
    assert f'<img src="/wikis/{wiki.slug}/-/raw/img/logo.png"' in image.content.decode()
    text = client.get(reverse("wiki_page", args=[wiki.slug, "notes.txt"]))
    assert "plain &lt;b&gt;notes&lt;/b&gt;" in text.content.decode()


def test_page_view_is_counted_and_survives_analytics_failure(
    client, user, wiki_of, monkeypatch
):
    from django.db import DatabaseError

    from deepwiki.activity import services as analytics
    from deepwiki.activity.models import PageView

    wiki = wiki_of("internal")
    client.force_login(user)
    client.get(reverse("wiki_page", args=[wiki.slug, "guide/setup.md"]))
    analytics.pageviews_flush()
    assert PageView.objects.get(wiki=wiki, path="guide/setup.md").count == 1

    def down(**kwargs):
        raise DatabaseError("analytics table locked")

    monkeypatch.setattr(analytics, "pageview_record", down)
    response = client.get(reverse("wiki_page", args=[wiki.slug, "guide/setup.md"]))
    assert response.status_code == 200


def test_folder_url_leads_to_its_index(client, user, make_wiki):
    wiki = make_wiki({"index.md": "# Top\n", "docs/README.md": "# Docs\n"}, owner=user)
    client.force_login(user)
    response = client.get(reverse("wiki_page", args=[wiki.slug, "docs/"]))
    assert response.status_code == 302
    assert response["Location"] == f"/wikis/{wiki.slug}/docs/README.md"


def test_broken_links_page_lists_source_and_target(client, user, make_wiki):
    wiki = make_wiki({"index.md": "# Top\n\n[gone](missing.md)\n"}, owner=user)
    client.force_login(user)
    html = client.get(reverse("wiki_links", args=[wiki.slug])).content.decode()
    assert "<code>missing.md</code>" in html
    assert f'href="/wikis/{wiki.slug}/index.md"' in html


def test_paths_with_spaces_and_accents_have_working_urls(client, user, make_wiki):
    wiki = make_wiki(
        {
            "index.md": "# Top\n\n[Notes](Team%20notes/Café.md)\n",
            "Team notes/Café.md": "# Café\n",
        },
        owner=user,
    )
    client.force_login(user)
    home = client.get(reverse("wiki_home", args=[wiki.slug])).content.decode()
    url = f"/wikis/{wiki.slug}/Team%20notes/Caf%C3%A9.md"
    assert f'href="{url}"' in home
    page = client.get(url)
    assert page.status_code == 200 and "Café" in page.content.decode()


def test_a_path_in_other_case_redirects_to_the_real_one(client, user, wiki_of):
    wiki = wiki_of("internal")
    client.force_login(user)
    response = client.get(f"/wikis/{wiki.slug}/Guide/Setup.md")
    assert response.status_code == 302
    assert response["Location"] == f"/wikis/{wiki.slug}/guide/setup.md"


def test_tree_escapes_file_names(client, user, make_wiki):
    wiki = make_wiki({"index.md": "# Top\n", "a<b>&c.md": "# odd\n"}, owner=user)
    client.force_login(user)
    html = client.get(reverse("wiki_home", args=[wiki.slug])).content.decode()
    assert "<span>a&lt;b&gt;&amp;c.md</span>" in html
    assert "a<b>" not in html


def test_folder_without_index_lists_its_files(client, user, make_wiki):
    wiki = make_wiki(
        {"index.md": "# Top\n", "docs/a.md": "# A\n", "docs/deep/b.md": "# B\n"},
        owner=user,
    )
    client.force_login(user)
    html = client.get(f"/wikis/{wiki.slug}/docs/").content.decode()
    assert f'href="/wikis/{wiki.slug}/docs/a.md"' in html
    assert f'href="/wikis/{wiki.slug}/docs/deep/"' in html
    assert client.get(f"/wikis/{wiki.slug}/nothing/").status_code == 404


def test_big_trees_show_only_the_way_to_the_current_page(
    client, user, make_wiki, monkeypatch
):
    from deepwiki.web.wikis import tree

    monkeypatch.setattr(tree, "FULL_TREE_MAX", 3)
    wiki = make_wiki(
        {
            "index.md": "# Top\n",
            "a/one.md": "# One\n",
            "a/two.md": "# Two\n",
            "b/three.md": "# Three\n",
            "b/c/four.md": "# Four\n",
        },
        owner=user,
    )
    client.force_login(user)
    html = client.get(f"/wikis/{wiki.slug}/a/one.md").content.decode()
    sidebar = html.split('id="wiki-sidebar"')[1].split("</nav>")[0]
    assert 'data-path="a/one.md" aria-current="page"' in sidebar
    assert 'data-path="a/two.md"' in sidebar
    assert 'data-path="b/three.md"' not in sidebar
    # A closed folder is fetched when opened; without JavaScript it links its page.
    assert f'data-dir="b" data-tree-src="/wikis/{wiki.slug}/-/tree/b"' in sidebar
    assert f'href="/wikis/{wiki.slug}/b/">Open folder' in sidebar
    folder = client.get(f"/wikis/{wiki.slug}/b/").content.decode()
    assert f'href="/wikis/{wiki.slug}/b/three.md"' in folder
