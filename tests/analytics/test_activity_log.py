"""The activity log: written by the services, filtered per reader, served by the API."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser

from deepwiki.accounts import services as accounts
from deepwiki.activity.models import Activity
from deepwiki.activity.services import (
    activity_record,
    pageview_record,
    pageviews_flush,
)
from deepwiki.administration import users as user_admin
from deepwiki.analytics.feed import activity_feed
from deepwiki.wikis.services import wiki_delete

pytestmark = pytest.mark.django_db
A = Activity.Action


def actions(qs) -> list[str]:
    return [a.action for a in qs]


def test_account_services_log_who_did_what(admin_user, user, password):
    new = accounts.user_register(
        email="New@Example.com", password=password, password_confirm=password
    )
    user_admin.user_set_role(actor=admin_user, user=user, role="ADMIN")
    user_admin.user_set_role(actor=admin_user, user=user, role="ADMIN")  # no change
    user_admin.user_set_active(actor=admin_user, user=new, active=False)
    user_admin.user_set_active(actor=admin_user, user=new, active=True)
    user_admin.user_delete(actor=admin_user, user=new)
    log = list(Activity.objects.order_by("id"))
    assert [a.action for a in log] == [
        A.USER_REGISTERED,
        A.USER_ROLE_CHANGED,
        A.USER_DEACTIVATED,
        A.USER_REACTIVATED,
        A.USER_DELETED,
    ]
    assert log[1].actor == admin_user
    assert log[1].details == {
        "user_id": user.pk,
        "email": "alice@example.com",
        "from": "USER",
        "to": "ADMIN",
    }
    assert log[0].actor is None  # the new account is gone; its event stays
    assert log[4].details["email"] == "new@example.com"


def test_refused_account_changes_log_nothing(admin_user, user):
    from django.core.exceptions import PermissionDenied, ValidationError

    with pytest.raises(PermissionDenied):
        user_admin.user_set_role(actor=user, user=admin_user, role="USER")
    with pytest.raises(ValidationError):
        user_admin.user_delete(actor=admin_user, user=admin_user)
    with pytest.raises(PermissionDenied):
        user_admin.user_delete(actor=user, user=admin_user)
    assert not Activity.objects.exists()


def test_unknown_action_is_refused():
    with pytest.raises(ValueError):
        activity_record(actor=None, action="wiki.teleported")


@pytest.fixture
def wikis(make_wiki, user, other_user):
    return {
        "internal": make_wiki(other_user, title="Shared"),
        "private": make_wiki(other_user, title="Secret", visibility="private"),
        "mine": make_wiki(user, title="Mine", visibility="private"),
    }


def test_feed_shows_only_events_on_readable_wikis(wikis, user, other_user, admin_user):
    seen = {a.wiki_title for a in activity_feed(user=user)}
    assert seen == {"Shared", "Mine"}
    assert {a.wiki_title for a in activity_feed(user=other_user)} == {
        "Shared",
        "Secret",
    }
    assert {a.wiki_title for a in activity_feed(user=admin_user)} == {
        "Shared",
        "Secret",
        "Mine",
    }
    assert not activity_feed(user=AnonymousUser()).exists()


def test_account_events_are_for_admins_only(user, admin_user, password):
    accounts.user_register(
        email="x@example.com", password=password, password_confirm=password
    )
    assert not activity_feed(user=user).exists()
    assert actions(activity_feed(user=admin_user)) == [A.USER_REGISTERED]


def test_events_of_a_deleted_wiki_keep_its_visibility(wikis, user, other_user):
    wiki_delete(actor=other_user, wiki=wikis["private"])
    wiki_delete(actor=other_user, wiki=wikis["internal"])
    feed = list(activity_feed(user=user))
    titles = {(a.action, a.wiki_title) for a in feed}
    assert (A.WIKI_DELETED, "Shared") in titles
    assert (A.WIKI_CREATED, "Shared") in titles
    assert not any(t == "Secret" for _, t in titles)
    # The owner still sees the history of their own deleted private wiki.
    owner_titles = {(a.action, a.wiki_title) for a in activity_feed(user=other_user)}
    assert (A.WIKI_DELETED, "Secret") in owner_titles
    assert (A.WIKI_CREATED, "Secret") in owner_titles


def test_feed_filters_by_type_wiki_and_person(wikis, user, other_user, admin_user):
    from deepwiki.wikis.services import file_save

    file_save(actor=user, wiki=wikis["mine"], path="notes.md", content="# Notes\n")
    assert actions(activity_feed(user=admin_user, type="updated")) == [A.FILE_EDITED]
    assert actions(activity_feed(user=admin_user, type="file.edited")) == [
        A.FILE_EDITED
    ]
    assert {
        a.wiki_slug for a in activity_feed(user=admin_user, wiki=wikis["mine"].slug)
    } == {wikis["mine"].slug}
    assert {
        a.actor_id for a in activity_feed(user=admin_user, actor=other_user.pk)
    } == {other_user.pk}


def test_unknown_or_forbidden_type_is_a_validation_error(user):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        activity_feed(user=user, type="nonsense")
    with pytest.raises(ValidationError):
        activity_feed(user=user, type="login_failed")  # an admin-only type


def test_first_view_of_the_day_is_logged_once(wikis, user):
    wiki = wikis["internal"]
    for _ in range(3):
        pageview_record(wiki=wiki, path="index.md", user=user, title="Shared")
    pageview_record(wiki=wiki, path="index.md", user=None)
    pageviews_flush()
    viewed = Activity.objects.filter(action=A.WIKI_VIEWED)
    assert viewed.count() == 1
    assert viewed.get().actor == user
    from deepwiki.activity.models import PageView, RecentView

    assert PageView.objects.get(wiki=wiki, path="index.md").count == 4
    assert RecentView.objects.get(user=user).title == "Shared"


def test_views_on_an_earlier_day_log_again(wikis, user):
    from datetime import timedelta

    from django.utils import timezone

    from deepwiki.activity.models import RecentView

    wiki = wikis["internal"]
    pageview_record(wiki=wiki, path="index.md", user=user)
    pageviews_flush()
    RecentView.objects.update(viewed_at=timezone.now() - timedelta(days=1))
    pageview_record(wiki=wiki, path="index.md", user=user)
    pageviews_flush()
    assert Activity.objects.filter(action=A.WIKI_VIEWED).count() == 2
    assert RecentView.objects.count() == 1


def test_failed_logins_are_logged_for_web_and_api(client, api, user):
    client.post(
        "/accounts/login/", {"username": "Alice@example.com", "password": "wrong"}
    )
    api.post("/api/auth/login", {"email": "nobody@example.com", "password": "wrong"})
    failures = list(Activity.objects.filter(action=A.LOGIN_FAILED).order_by("id"))
    assert [f.details["email"] for f in failures] == [
        "alice@example.com",
        "nobody@example.com",
    ]
    assert [f.details["via"] for f in failures] == ["web", "api"]
    assert all(f.details["ip"] == "127.0.0.1" for f in failures)
    assert all(f.actor is None for f in failures)
    assert "wrong" not in str([f.details for f in failures])  # never the password


def test_lockout_is_marked_on_the_failure(client, user):
    for _ in range(6):
        client.post("/accounts/login/", {"username": user.email, "password": "wrong"})
    last = Activity.objects.filter(action=A.LOGIN_FAILED).order_by("-id").first()
    assert last.details["locked_out"] is True


def test_activities_api_paginates_and_filters(api_as, wikis, user, admin_user):
    r = api_as(user).get("/api/dashboard/activities?limit=1")
    assert r.status_code == 200
    body = r.json()
    assert body["total"] == 2 and body["limit"] == 1 and len(body["items"]) == 1
    item = body["items"][0]
    assert item["type"] == A.WIKI_CREATED
    assert item["wiki"]["title"] in {"Shared", "Mine"}
    assert item["actor"]["email"] in {"alice@example.com", "bob@example.com"}
    page2 = api_as(user).get("/api/dashboard/activities?limit=1&offset=1").json()
    assert page2["items"][0]["id"] != item["id"]
    only = (
        api_as(user).get(f"/api/dashboard/activities?wiki={wikis['mine'].slug}").json()
    )
    assert [i["wiki"]["title"] for i in only["items"]] == ["Mine"]
    assert (
        api_as(admin_user).get("/api/dashboard/activities?type=nonsense").status_code
        == 422
    )
    assert api_as(user).get("/api/dashboard/activities?limit=1000").status_code == 422


def test_activities_api_requires_sign_in(api):
    assert api.get("/api/dashboard/activities").status_code == 401
    assert api.get("/api/dashboard/stats").status_code == 401


def test_read_endpoints_send_etags_and_answer_304(api_as, user):
    client = api_as(user)
    for path in (
        "/api/dashboard/stats",
        "/api/dashboard/activities",
        "/api/wiki/stats",
    ):
        first = client.get(path)
        assert first.status_code == 200 and first["ETag"], path
        assert "private" in first["Cache-Control"]
        again = client.get(path, HTTP_IF_NONE_MATCH=first["ETag"])
        assert again.status_code == 304, path


def test_wiki_stats_is_not_shadowed_by_the_wikis_router(api):
    body = api.get("/api/wiki/stats").json()
    assert set(body) == {
        "wikis",
        "files",
        "storage_bytes",
        "files_by_kind",
        "wikis_by_visibility",
    }
