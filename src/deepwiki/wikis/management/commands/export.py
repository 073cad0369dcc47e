"""deepwiki export SLUG OUT.zip: write a wiki version as a zip."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError
from django.http import Http404

from deepwiki.wikis.exporter import wiki_export_zip
from deepwiki.wikis.models import Wiki


class Command(BaseCommand):
    help = "Export a wiki (current or --version N) as a .zip of its original files."

    def add_arguments(self, parser):
        parser.add_argument("slug")
        parser.add_argument("out", help="Output .zip path ('-' for standard output)")
        # Django's own --version (print Django's version) gives way to ours.
        parser.conflict_handler = parser._optionals.conflict_handler = "resolve"
        parser.add_argument(
            "--version", type=int, dest="number", default=None, help="Version number"
        )

    def handle(self, *args, slug, out, number=None, **opts):
        wiki = Wiki.objects.filter(slug=slug).first()
        if wiki is None:
            raise CommandError(f"No wiki with slug “{slug}”.")
        try:
            with open(out, "wb") as fh:
                wiki_export_zip(wiki, version=number, out=fh)
        except Http404 as exc:
            raise CommandError(f"{slug} has no version {number}.") from exc
        self.stdout.write(
            f"Exported {wiki.slug} version {number or wiki.current_version} to {out}"
        )
