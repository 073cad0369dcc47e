"""Views served by two real gunicorn workers add up once flushed."""

from live import from_every_worker

WIKI = "deepwiki-handbook"  # the seeded sample wiki, public

COUNT = (
    "from django.db.models import Sum;"
    "from deepwiki.activity.models import PageView;"
    "print(PageView.objects.aggregate(n=Sum('count'))['n'] or 0)"
)


def test_views_from_two_worker_processes_add_up(live_instance):
    live_instance.cli("flushviews")
    before = int(live_instance.cli("shell", "-c", COUNT).split()[-1])
    reader = live_instance.client()
    answers = from_every_worker(lambda: reader.get(f"/wikis/{WIKI}/"), each=5)
    assert {a.status for a in answers} == {200}
    assert len({a.pid for a in answers}) == 2

    live_instance.cli("flushviews")
    after = int(live_instance.cli("shell", "-c", COUNT).split()[-1])
    assert after - before == len(answers)
