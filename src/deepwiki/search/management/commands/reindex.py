"""`deepwiki reindex [--wiki SLUG]`: rebuild the search index from stored files."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from deepwiki.search.indexer import rebuild
from deepwiki.wikis.models import Wiki


class Command(BaseCommand):
    help = "Rebuild the search index of every wiki, or of one wiki with --wiki SLUG."

    def add_arguments(self, parser):
        parser.add_argument("--wiki", metavar="SLUG", help="only this wiki")

    def handle(self, *args, wiki=None, **options):

        target = None
        if wiki:
            target = Wiki.objects.filter(slug=wiki).first()
            if target is None:
                raise CommandError(f"No wiki with the slug {wiki!r}.")
        counts = rebuild(wiki=target)
        self.stdout.write(
            self.style.SUCCESS(
                f"Reindexed {counts['wikis']} wiki(s), {counts['files']} file(s):"
                f" {counts['entries']} index entries."
            )
        )
