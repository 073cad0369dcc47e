"""Page-view counting under concurrent requests loses no counts (PostgreSQL)."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]
THREADS, CALLS = 8, 50


def hammer(wiki, users) -> list[BaseException]:
    from deepwiki.activity.services import pageview_record

    errors: list[BaseException] = []
    start = threading.Barrier(THREADS)

    def work(n: int) -> None:
        try:
            start.wait()
            for _ in range(CALLS):
                pageview_record(wiki=wiki, path="index.md", user=users[n % len(users)])
        except BaseException as exc:  # reported by the test below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=work, args=(n,)) for n in range(THREADS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return errors


def test_concurrent_page_views_are_all_counted(make_wiki, user, other_user):
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only: run with DATABASE_URL=postgres://…")
    from django.contrib.auth.models import AnonymousUser

    from deepwiki.activity.models import Activity, PageView, RecentView

    wiki = make_wiki(user, title="Busy")
    errors = hammer(wiki, [AnonymousUser(), user, other_user, None])
    assert errors == []
    from deepwiki.activity.services import pageviews_flush

    # A request may already have flushed part of the buffer (every 30 s one
    # does); whoever flushed, every view is counted exactly once.
    pageviews_flush()
    assert PageView.objects.get(wiki=wiki, path="index.md").count == THREADS * CALLS
    assert RecentView.objects.filter(wiki=wiki).count() == 2
    # The first view of the day per person is logged; a race may log it twice, never more.
    viewed = Activity.objects.filter(action=Activity.Action.WIKI_VIEWED, wiki=wiki)
    assert 2 <= viewed.count() <= 2 * THREADS
