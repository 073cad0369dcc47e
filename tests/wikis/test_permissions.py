"""Permission matrix: every endpoint × who × visibility."""

from __future__ import annotations

import pytest

from .conftest import upload

pytestmark = pytest.mark.django_db
WHO = ["anonymous", "other", "owner", "admin"]
VIS = ["private", "internal", "public"]


def may_read(who: str, vis: str) -> bool:
    return (
        who in ("owner", "admin")
        or vis == "public"
        or (vis == "internal" and who == "other")
    )


def may_edit(who: str) -> bool:
    return who in ("owner", "admin")


READS = [
    "/api/wiki/{slug}",
    "/api/wiki/slug/{slug}",
    "/api/wiki/{slug}/files",
    "/api/wiki/{slug}/file/guide/a.md",
    "/api/wiki/file/{file_id}",
    "/api/wiki/{slug}/versions",
    "/api/wiki/{slug}/versions/1",
    "/api/wiki/{slug}/versions/1/file/index.md",
    "/api/wiki/{slug}/diff/1/1",
    "/api/wiki/{slug}/export",
    "/wikis/{slug}/-/raw/index.md",
    "/wikis/{slug}/-/download",
]
WRITES = [
    ("put", "/api/wiki/{slug}", {"description": "changed"}),
    ("put", "/api/wiki/{slug}/file/index.md", {"content": "# Changed\n"}),
    ("delete", "/api/wiki/{slug}/file/guide/a.md", None),
    ("post", "/api/wiki/{slug}/move", {"from": "guide/a.md", "to": "b.md"}),
    ("post", "/api/wiki/{slug}/versions/1/restore", {}),
    ("post", "/api/wiki/{slug}/preview", {"content": "# x"}),
    ("delete", "/api/wiki/{slug}", None),
]


@pytest.fixture
def setup(make_wiki, user, other_user, admin_user, api_as, api):
    def build(vis: str, who: str):
        wiki = make_wiki(
            {"index.md": "# Home\n", "guide/a.md": "# A\n"}, owner=user, visibility=vis
        )
        client = {
            "anonymous": api,
            "other": api_as(other_user),
            "owner": api_as(user),
            "admin": api_as(admin_user),
        }[who]
        file_id = wiki.files.get(path="index.md").pk
        return wiki, client, file_id

    return build


@pytest.mark.parametrize("vis", VIS)
@pytest.mark.parametrize("who", WHO)
@pytest.mark.parametrize("url", READS)
def test_read_endpoints_follow_visibility(setup, vis, who, url):
    wiki, client, file_id = setup(vis, who)
    response = client.get(url.format(slug=wiki.slug, file_id=file_id))
    assert response.status_code == (200 if may_read(who, vis) else 404), (
        response.content
    )


@pytest.mark.parametrize("vis", VIS)
@pytest.mark.parametrize("who", WHO)
@pytest.mark.parametrize("method, url, body", WRITES)
def test_write_endpoints_need_owner_or_admin(setup, vis, who, method, url, body):
    from deepwiki.wikis.models import Wiki

    wiki, client, _ = setup(vis, who)
    response = getattr(client, method)(
        url.format(slug=wiki.slug), body if body is not None else None
    )
    if who == "anonymous":
        expected = 401
    elif not may_read(who, vis):
        expected = 404
    elif not may_edit(who):
        expected = 403
    else:
        expected = 200
    assert response.status_code == expected, response.content
    if expected != 200:
        wiki_after = Wiki.objects.get(pk=wiki.pk)
        assert wiki_after.current_version == 1 and wiki_after.description == ""


@pytest.mark.parametrize("vis", VIS)
@pytest.mark.parametrize("who", ["other", "owner", "admin"])
def test_upload_into_a_wiki_needs_owner_or_admin(setup, vis, who):
    wiki, client, _ = setup(vis, who)
    response = upload(
        client, {"new.md": "# New"}, url=f"/api/wiki/{wiki.slug}/upload", mode="merge"
    )
    expected = 200 if may_edit(who) else (403 if may_read(who, vis) else 404)
    assert response.status_code == expected, response.content


def test_anonymous_cannot_create_wikis(api):
    response = upload(api, {"index.md": "# x"})
    assert response.status_code == 401


@pytest.mark.parametrize(
    "who, expected",
    [("owner", "deleted"), ("admin", "deleted"), ("other", "forbidden")],
)
def test_bulk_delete_reports_per_item(setup, make_wiki, user, who, expected):
    wiki, client, _ = setup("internal", who)
    private = make_wiki({"index.md": "# P"}, owner=user, visibility="private")
    response = client.post(
        "/api/wiki/bulk-delete", {"wikiIds": [wiki.pk, private.pk, 10**9]}
    )
    assert response.status_code == 200
    results = response.json()["results"]
    hidden = "deleted" if who != "other" else "not_found"
    assert results == [
        {"id": wiki.pk, "status": expected},
        {"id": private.pk, "status": hidden},
        {"id": 10**9, "status": "not_found"},
    ]


@pytest.mark.parametrize(
    "who, count", [("anonymous", 1), ("other", 2), ("owner", 3), ("admin", 3)]
)
def test_list_shows_only_readable_wikis(
    make_wiki, user, other_user, admin_user, api_as, api, who, count
):
    for vis in VIS:
        make_wiki({"index.md": f"# {vis}"}, owner=user, visibility=vis)
    client = {
        "anonymous": api,
        "other": api_as(other_user),
        "owner": api_as(user),
        "admin": api_as(admin_user),
    }[who]
    body = client.get("/api/wiki/list").json()
    assert body["total"] == count == len(body["items"])
