"""deepwiki cleanup: remove orphaned blobs (rows and stored objects)."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from deepwiki.wikis.services import blobs_cleanup
from deepwiki.wikis.services.maintenance import DEFAULT_MIN_AGE


class Command(BaseCommand):
    help = "Remove stored blobs no version and no current file references."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Only report")
        parser.add_argument(
            "--min-age",
            type=int,
            default=DEFAULT_MIN_AGE,
            help="Keep objects without a row younger than this many seconds "
            "(they may belong to an upload in progress)",
        )

    def handle(self, *args, dry_run=False, min_age=DEFAULT_MIN_AGE, **opts):
        result = blobs_cleanup(dry_run=dry_run, min_age_seconds=min_age)
        verb = "Would remove" if dry_run else "Removed"
        for name in result["removed"]:
            self.stdout.write(f"{verb.lower()} {name}")
        self.stdout.write(
            f"{verb} {result['orphan_rows']} unreferenced blob rows and "
            f"{result['orphan_objects']} stored objects without a row; "
            f"kept {result['kept_recent']} recent objects."
        )
