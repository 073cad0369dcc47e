"""Bad input to the wiki endpoints gets a 4xx in the one error shape."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "method, url, body, status",
    [
        ("get", "/api/wiki/list?limit=0", None, 422),
        ("get", "/api/wiki/list?limit=abc", None, 422),
        ("get", "/api/wiki/list?sort=evil", None, 422),
        ("get", "/api/wiki/list?offset=-1", None, 422),
        ("get", "/api/wiki/list?q=" + "x" * 300, None, 422),
        ("get", "/api/wiki/{slug}/versions/0", None, 422),
        ("get", "/api/wiki/{slug}/versions/99", None, 404),
        ("get", "/api/wiki/{slug}/diff/1/abc", None, 422),
        ("get", "/api/wiki/{slug}/file/nope.md", None, 404),
        ("get", "/api/wiki/file/abc", None, 422),
        ("get", "/api/wiki/no-such-wiki", None, 404),
        ("put", "/api/wiki/{slug}", {"visibility": "secret"}, 422),
        ("put", "/api/wiki/{slug}", {"title": "x" * 201}, 422),
        ("put", "/api/wiki/{slug}", {"title": "   "}, 422),
        ("put", "/api/wiki/{slug}", {"title": "bad\u0000"}, 422),
        ("put", "/api/wiki/{slug}", {"tags": ["t" * 51]}, 422),
        ("put", "/api/wiki/{slug}", {"owner": "not an address"}, 422),
        ("put", "/api/wiki/{slug}", '"renamed"', 422),
        ("put", "/api/wiki/{slug}", "null", 422),
        ("put", "/api/wiki/{slug}", ["title"], 422),
        ("put", "/api/wiki/{slug}", 5, 422),
        ("put", "/api/wiki/{slug}", {"titel": "typo"}, 422),
        ("put", "/api/wiki/{slug}", "not json", 400),
        ("put", "/api/wiki/{slug}/file/index.md", {"content": 5}, 422),
        (
            "put",
            "/api/wiki/{slug}/file/index.md",
            {"content": "x", "baseVersion": "one"},
            422,
        ),
        ("put", "/api/wiki/{slug}/file/.hidden.md", {"content": "x"}, 422),
        ("put", "/api/wiki/{slug}/file/a/../../b.md", {"content": "x"}, 422),
        ("put", "/api/wiki/{slug}/file/tool.exe", {"content": "x"}, 422),
        ("put", "/api/wiki/{slug}/file/index.md/sub.md", {"content": "x"}, 422),
        ("post", "/api/wiki/{slug}/move", {"from": "index.md"}, 422),
        ("post", "/api/wiki/{slug}/move", {"from": "missing.md", "to": "b.md"}, 404),
        ("post", "/api/wiki/{slug}/move", {"from": "index.md", "to": "other.md"}, 409),
        ("post", "/api/wiki/{slug}/move", {"from": "index.md", "to": "x.png"}, 422),
        ("delete", "/api/wiki/{slug}/file/missing.md", None, 404),
        ("post", "/api/wiki/bulk-delete", {"wikiIds": "all"}, 422),
        ("post", "/api/wiki/bulk-delete", {"wikiIds": [True]}, 422),
        ("post", "/api/wiki/bulk-delete", {"wikiIds": list(range(1, 600))}, 422),
        ("post", "/api/wiki/{slug}/versions/99/restore", {}, 404),
        ("post", "/api/wiki/upload", {}, 400),
    ],
)
def test_bad_input_is_a_clear_4xx(make_wiki, api_as, user, method, url, body, status):
    wiki = make_wiki({"index.md": "# Home\n", "other.md": "# Other\n"})
    c = api_as(user)
    response = getattr(c, method)(url.format(slug=wiki.slug), body)
    assert response.status_code == status, response.content
    data = response.json()
    assert set(data) == {"error", "code", "details"} and data["error"]
    wiki.refresh_from_db()
    assert wiki.current_version == 1


def test_deleting_the_last_page_is_refused(make_wiki, api_as, user):
    wiki = make_wiki(
        {
            "index.md": "# Home\n",
            "pic.svg": b'<svg xmlns="http://www.w3.org/2000/svg"/>',
        }
    )
    response = api_as(user).delete(f"/api/wiki/{wiki.slug}/file/index.md")
    assert response.status_code == 422 and response.json()["details"]["rule"] == [
        "no-markdown"
    ]


def test_unicode_paths_and_titles_work(make_wiki, api_as, user):
    wiki = make_wiki({"index.md": "# Home\n"})
    c = api_as(user)
    r = c.put(
        f"/api/wiki/{wiki.slug}/file/ドキュメント/ページ.md",
        {"content": "# ページ 🚀\n"},
    )
    assert r.status_code == 200, r.content
    r = c.get(f"/api/wiki/{wiki.slug}/file/ドキュメント/ページ.md")
    assert r.json()["title"] == "ページ 🚀"
    assert (
        c.put(f"/api/wiki/{wiki.slug}", {"title": "Ünïcödé ✓"}).json()["title"]
        == "Ünïcödé ✓"
    )


@pytest.mark.parametrize("default", ["private", "public"])
def test_api_upload_without_visibility_uses_the_site_default(api_as, user, default):
    from deepwiki.core.models import SiteSettings
    from deepwiki.wikis.models import Wiki

    from .conftest import upload

    site = SiteSettings.current()
    site.default_visibility = default
    site.save()
    response = upload(api_as(user), {"index.md": "# Home\n"})
    assert response.status_code == 201, response.content
    assert Wiki.objects.get().visibility == default
    explicit = upload(api_as(user), {"index.md": "# Two\n"}, visibility="internal")
    assert explicit.status_code == 201, explicit.content
    assert Wiki.objects.get(slug=explicit.json()["slug"]).visibility == "internal"
