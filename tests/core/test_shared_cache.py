"""The cache is shared by every worker; nothing correct depends on a per-process one."""

import pytest
from django.core.cache import cache

from deepwiki.core import checks
from deepwiki.core.generation import SETTINGS, generation
from deepwiki.core.models import CACHE_KEY, SiteSettings

LOCMEM = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
}


def test_default_cache_is_shared_by_every_process_of_the_instance(settings):
    backend = settings.CACHES["default"]["BACKEND"]
    assert backend not in checks.PER_PROCESS_CACHES
    assert backend.endswith(("FileBasedCache", "TolerantRedisCache"))


def test_sessions_do_not_depend_on_the_cache(settings):
    assert settings.SESSION_ENGINE == "django.contrib.sessions.backends.db"


def test_check_is_quiet_with_the_default_cache_and_two_workers(settings):
    assert checks.per_process_cache_problem(2) is None
    assert checks.check_shared_cache() == []


def test_check_warns_when_several_workers_share_no_cache(settings):
    settings.CACHES = LOCMEM
    problem = checks.per_process_cache_problem(2)
    assert "2 workers run with a per-process cache (LocMemCache)" in problem
    assert checks.per_process_cache_problem(1) is None


def test_deepwiki_check_reports_the_per_process_cache_warning(settings, monkeypatch):
    import dataclasses

    from django.core.checks import run_checks

    settings.CACHES = LOCMEM
    monkeypatch.setattr(
        settings, "CONFIG", dataclasses.replace(settings.CONFIG, web_concurrency=3)
    )
    found = [m for m in run_checks(tags=["caches"]) if m.id == "deepwiki.W001"]
    assert len(found) == 1 and "3 workers" in found[0].msg


@pytest.mark.django_db(transaction=True)
def test_settings_read_before_a_change_cannot_refill_the_cache_with_the_old_row():
    old = SiteSettings.current()
    assert old.registration_open
    stale_generation = generation(SETTINGS)
    row = SiteSettings.objects.get(pk=1)
    row.registration_open = False
    row.save()
    # A reader that loaded the row before the commit stores it late.
    cache.set(f"{CACHE_KEY}:{stale_generation}", old, 60)
    assert SiteSettings.current().registration_open is False
