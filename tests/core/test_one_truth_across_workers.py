"""What one gunicorn worker writes, the very next requests on every worker see.

Each test runs against `deepwiki serve` with two real worker processes on the
embedded defaults (SQLite, no Redis): it first makes both workers answer (and
cache what they cache), changes something through one request, then repeats
the next request until each worker answered at least twice (`X-Worker-Pid`).
"""

import pytest
from live import from_every_worker

ADMIN = ("admin@deepwiki.com", "Admin123!")
USER = ("user@deepwiki.com", "User123!")
WIKI = "deepwiki-handbook"  # the seeded sample wiki, public, owned by ADMIN


@pytest.fixture(scope="module")
def admin(live_instance):
    token = live_instance.cli("token", "create", ADMIN[0]).strip()
    return live_instance.client(token=token)


def _slugs(answer) -> list[str]:
    assert answer.status == 200, answer.text
    return [item["slug"] for item in answer.json()["items"]]


def test_logout_on_one_worker_ends_the_session_on_every_worker(live_instance):
    browser = live_instance.client()
    browser.login(*USER)
    warm = from_every_worker(lambda: browser.get("/api/auth/me"))
    assert {a.status for a in warm} == {200}
    session, csrf = browser.cookie("sessionid"), browser.cookie("csrftoken")

    assert browser.post("/api/auth/logout").status == 200

    stolen = {"Cookie": f"sessionid={session}; csrftoken={csrf}", "X-CSRFToken": csrf}
    stale = live_instance.client()
    me = from_every_worker(lambda: stale.get("/api/auth/me", headers=stolen))
    assert [a.status for a in me] == [401] * len(me)
    mint = from_every_worker(
        lambda: stale.post("/api/auth/tokens", json={"name": "x"}, headers=stolen)
    )
    assert all(a.status in (401, 403) for a in mint), [a.status for a in mint]


def test_wiki_made_private_leaves_every_workers_anonymous_list(live_instance, admin):
    anonymous = live_instance.client()
    warm = from_every_worker(lambda: anonymous.get("/api/wiki/list"))
    assert all(WIKI in _slugs(a) for a in warm)
    try:
        made_private = admin.put(f"/api/wiki/{WIKI}", json={"visibility": "private"})
        assert made_private.status == 200, made_private.text

        after = from_every_worker(lambda: anonymous.get("/api/wiki/list"))
        assert [WIKI in _slugs(a) for a in after] == [False] * len(after)
        direct = from_every_worker(lambda: anonymous.get(f"/api/wiki/{WIKI}"))
        assert {a.status for a in direct} == {404}
    finally:
        admin.put(f"/api/wiki/{WIKI}", json={"visibility": "public"})


def test_restore_on_one_worker_changes_search_on_every_worker(live_instance, admin):
    before = admin.get(f"/api/wiki/{WIKI}").json()["current_version"]
    added = admin.put(
        f"/api/wiki/{WIKI}/file/zoo.md",
        json={"content": "# Zoo\n\nThe quokkazebra lives here.\n"},
    )
    assert added.status == 200, added.text

    def search():
        return admin.get("/api/wiki/search?q=quokkazebra")

    found = from_every_worker(search)
    assert all(a.status == 200 and a.json()["total"] >= 1 for a in found), [
        a.text for a in found
    ]

    restored = admin.post(f"/api/wiki/{WIKI}/versions/{before}/restore", json={})
    assert restored.status == 200, restored.text

    after = from_every_worker(search)
    assert [a.json()["total"] for a in after] == [0] * len(after)


def test_closing_registration_on_one_worker_closes_it_on_every_worker(
    live_instance, admin
):
    anonymous = live_instance.client()
    warm = from_every_worker(lambda: anonymous.get("/accounts/register/"))
    assert {a.status for a in warm} == {200}
    settings = admin.get("/api/admin/settings").json()
    try:
        closed = admin.put(
            "/api/admin/settings", json={**settings, "registration_open": False}
        )
        assert closed.status == 200, closed.text

        after = from_every_worker(lambda: anonymous.get("/accounts/register/"))
        assert [a.status for a in after] == [403] * len(after)
        attempt = anonymous.post(
            "/api/auth/register",
            json={
                "email": "late@example.com",
                "password": "Corr3ct-Horse-Battery",
                "password_confirm": "Corr3ct-Horse-Battery",
            },
        )
        assert attempt.status != 201, attempt.text
    finally:
        admin.put("/api/admin/settings", json={**settings, "registration_open": True})
