"""Dashboard figures and trends, checked against a history built with the services."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from deepwiki.analytics.dashboard import dashboard_stats, wiki_stats
from deepwiki.wikis.services import file_save

pytestmark = pytest.mark.django_db

INDEX_A = "# Team handbook\n\nHow we work.\n"
GUIDE_A = "# Guide\n\nSteps.\n"
NEW_PAGE = "# Onboarding\n\nDay one: read this page and the guide.\n"


def by_key(stats):
    return {s.key: s for s in stats}


@pytest.fixture
def history(make_wiki, travel, user, other_user, admin_user):
    """alice: A (internal, 20 days ago; edited 3 days ago) and C (public, 2 days ago);
    bob: B (private, 10 days ago); admin: D (internal, 1 day ago)."""
    now = timezone.now()
    a = make_wiki(user, title="A", files={"index.md": INDEX_A, "guide.md": GUIDE_A})
    travel(a, when=now - timedelta(days=20))
    file_save(actor=user, wiki=a, path="onboarding.md", content=NEW_PAGE)
    travel(a, version=2, when=now - timedelta(days=3))
    b = make_wiki(
        other_user,
        title="B",
        visibility="private",
        files={"index.md": "# B\n\n" + "x" * 1000},
    )
    travel(b, when=now - timedelta(days=10))
    c = make_wiki(user, title="C", visibility="public", files={"index.md": "# C\n"})
    travel(c, when=now - timedelta(days=2))
    d = make_wiki(
        admin_user,
        title="D",
        files={
            "index.md": "# D\n",
            "img/logo.svg": b"<svg xmlns='http://www.w3.org/2000/svg'/>",
        },
    )
    travel(d, when=now - timedelta(days=1))
    return {"now": now, "a": a, "b": b, "c": c, "d": d}


def size(*texts) -> int:
    return sum(len(t.encode() if isinstance(t, str) else t) for t in texts)


def test_user_sees_counts_of_readable_wikis_only(history, user):
    stats = by_key(dashboard_stats(user=user, now=history["now"]))
    assert stats["wikis"].value == 3  # A, C, D; never bob's private B
    assert stats["files"].value == 3 + 1 + 2
    expected = size(INDEX_A, GUIDE_A, NEW_PAGE, "# C\n", "# D\n") + size(
        b"<svg xmlns='http://www.w3.org/2000/svg'/>"
    )
    assert stats["storage"].value == expected
    assert "users" not in stats


def test_admin_sees_every_wiki_and_the_users_card(history, admin_user):
    stats = by_key(dashboard_stats(user=admin_user, now=history["now"]))
    assert stats["wikis"].value == 4
    assert stats["files"].value == 3 + 1 + 1 + 2
    assert stats["users"].value == 3


def test_wiki_trend_compares_last_seven_days_with_the_seven_before(
    history, user, admin_user
):
    mine = by_key(dashboard_stats(user=user, now=history["now"]))["wikis"].trend
    assert (mine.current, mine.previous) == (2, 0)  # C, D vs nothing readable
    assert mine.percent is None and mine.direction == "up"
    everything = by_key(dashboard_stats(user=admin_user, now=history["now"]))[
        "wikis"
    ].trend
    assert (everything.current, everything.previous) == (2, 1)  # C, D vs B
    assert everything.percent == 100


def test_file_and_storage_trends_come_from_version_history(history, user):
    stats = by_key(dashboard_stats(user=user, now=history["now"]))
    # Seven days ago only A existed, at version 1 (index + guide).
    assert stats["files"].trend.previous == 2
    assert stats["files"].trend.change == 4
    assert stats["storage"].trend.previous == size(INDEX_A, GUIDE_A)


def test_uploads_count_new_wikis_and_uploads_but_not_edits(history, user, admin_user):
    mine = by_key(dashboard_stats(user=user, now=history["now"]))["uploads"]
    assert mine.value == 2  # C and D; A's page edit is not an upload
    assert mine.trend.previous == 0
    everything = by_key(dashboard_stats(user=admin_user, now=history["now"]))["uploads"]
    assert (everything.value, everything.trend.previous) == (2, 1)


def test_period_boundary_is_inclusive_at_the_start(make_wiki, travel, admin_user):
    now = timezone.now()
    on_edge = make_wiki(admin_user, title="Edge")
    travel(on_edge, when=now - timedelta(days=7))
    just_before = make_wiki(admin_user, title="Before")
    travel(just_before, when=now - timedelta(days=7, seconds=1))
    too_old = make_wiki(admin_user, title="Old")
    travel(too_old, when=now - timedelta(days=14, seconds=1))
    trend = by_key(dashboard_stats(user=admin_user, now=now))["wikis"].trend
    assert (trend.current, trend.previous) == (1, 1)


def test_users_trend_counts_people_who_joined(make_user, admin_user):
    from deepwiki.accounts.models import User

    now = timezone.now()
    User.objects.filter(pk=admin_user.pk).update(date_joined=now - timedelta(days=30))
    for i, days in enumerate([1, 2, 8, 9, 10]):
        u = make_user(f"p{i}@example.com")
        User.objects.filter(pk=u.pk).update(date_joined=now - timedelta(days=days))
    gone = make_user("gone@example.com", is_active=False)
    User.objects.filter(pk=gone.pk).update(date_joined=now - timedelta(days=1))
    users = by_key(dashboard_stats(user=admin_user, now=now))["users"]
    assert users.value == 6  # deactivated accounts are not counted
    assert (users.trend.current, users.trend.previous) == (2, 3)
    assert users.trend.percent == -33 and users.trend.direction == "down"


def test_empty_instance_is_all_zeros(user, admin_user):
    for who in (user, admin_user):
        for stat in dashboard_stats(user=who):
            if stat.key == "users":  # the two accounts of this test are real
                assert (stat.value, stat.trend.current) == (2, 2)
                continue
            assert stat.value == 0, stat.key
            assert stat.trend.previous == 0 and stat.trend.percent is None


def test_wiki_stats_counts_kinds_and_visibility_per_reader(history, user, admin_user):
    from django.contrib.auth.models import AnonymousUser

    assert wiki_stats(user=AnonymousUser()) == {
        "wikis": 1,
        "files": 1,
        "storage_bytes": size("# C\n"),
        "files_by_kind": {"markdown": 1, "image": 0, "attachment": 0},
        "wikis_by_visibility": {"private": 0, "internal": 0, "public": 1},
    }
    seen = wiki_stats(user=admin_user)
    assert seen["wikis"] == 4
    assert seen["files_by_kind"] == {"markdown": 6, "image": 1, "attachment": 0}
    assert seen["wikis_by_visibility"] == {"private": 1, "internal": 2, "public": 1}
    assert wiki_stats(user=user)["wikis_by_visibility"]["private"] == 0
