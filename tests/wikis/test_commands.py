"""The import, export, cleanup and rerender commands and the sample wiki."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from deepwiki.wikis.models import Wiki, WikiFile

pytestmark = pytest.mark.django_db


def run(*args) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_import_export_round_trip_via_commands(tmp_path, admin_user):
    src = tmp_path / "docs"
    (src / "guide").mkdir(parents=True)
    (src / "index.md").write_text("# Docs\n")
    (src / "guide" / "a.md").write_text("# A\n")
    out = run("import", str(src), "--visibility", "private")
    slug = out.strip().splitlines()[-1]
    wiki = Wiki.objects.get(slug=slug)
    assert wiki.owner == admin_user and wiki.visibility == "private"
    run("export", slug, str(tmp_path / "out.zip"), "--version", "1")
    again = (
        run("import", str(tmp_path / "out.zip"), "--owner", admin_user.email)
        .strip()
        .splitlines()[-1]
    )
    copy = Wiki.objects.get(slug=again)
    assert sorted(copy.files.values_list("path", "blob_id")) == sorted(
        wiki.files.values_list("path", "blob_id")
    )


def test_rerender_redoes_stale_pages(make_wiki):
    wiki = make_wiki({"index.md": "# Home\n", "a.md": "# A\n"})
    WikiFile.objects.filter(wiki=wiki, path="a.md").update(render_version=0, html="")
    assert "Re-rendered 1 pages" in run("rerender")
    assert WikiFile.objects.get(wiki=wiki, path="a.md").html
    assert "Re-rendered 2 pages" in run("rerender", "--all")


def test_cleanup_reports(make_wiki):
    make_wiki()
    assert "Removed 0 unreferenced blob rows" in run("cleanup", "--min-age", "0")


def test_sample_wiki_is_seeded_once_without_broken_links(admin_user):
    from deepwiki.wikis.sample import seed_sample_wiki
    from deepwiki.wikis.selectors import broken_links

    slug = seed_sample_wiki(admin_user)
    assert seed_sample_wiki(admin_user) == slug and Wiki.objects.count() == 1
    wiki = Wiki.objects.get(slug=slug)
    assert 5 <= wiki.files.filter(kind="markdown").count() <= 8
    assert wiki.files.filter(kind="image").exists()
    assert not broken_links(wiki).exists()
