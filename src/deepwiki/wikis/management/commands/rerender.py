"""deepwiki rerender: re-render pages rendered by an older renderer."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from deepwiki.content import RENDER_VERSION
from deepwiki.wikis.models import Wiki
from deepwiki.wikis.services import rerender_stale


class Command(BaseCommand):
    help = "Re-render (and reindex) Markdown pages whose render version is outdated."

    def add_arguments(self, parser):
        parser.add_argument("--all", action="store_true", help="Re-render every page")
        parser.add_argument("--wiki", help="Only this wiki (slug)")

    def handle(self, *args, all=False, wiki=None, **opts):  # noqa: A002
        target = None
        if wiki:
            target = Wiki.objects.filter(slug=wiki).first()
            if target is None:
                raise CommandError(f"No wiki with slug “{wiki}”.")
        result = rerender_stale(force=all, wiki=target)
        self.stdout.write(
            f"Re-rendered {result['files']} pages in {result['wikis']} wikis "
            f"(renderer version {RENDER_VERSION}) in {result['seconds']} s."
        )
