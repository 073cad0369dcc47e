"""`deepwiki backup OUT`: database + blobs into one .tar.gz archive."""

from django.core.management.base import BaseCommand, CommandError

from deepwiki.ops.backup import BackupError, backup_create


class Command(BaseCommand):
    help = (
        "Write the database and every stored blob into one .tar.gz archive with a "
        "manifest.json. SQLite: online backup API; PostgreSQL: pg_dump when on PATH, "
        "else Django dumpdata."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "out", help="archive to write, e.g. backups/deepwiki.tar.gz"
        )
        parser.add_argument("--database", default="default")
        parser.add_argument(
            "--method",
            choices=["auto", "native", "dumpdata"],
            default="auto",
            help="auto: native when possible; dumpdata: portable JSON (moves between vendors)",
        )
        parser.add_argument("--no-blobs", action="store_true", help="database only")

    def handle(self, *args, out, database, method, no_blobs, **options):
        try:
            result = backup_create(
                out, database=database, method=method, include_blobs=not no_blobs
            )
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            f"backup written: {result.path} ({result.size} bytes; database "
            f"{result.vendor} via {result.method}; {result.blob_count} blobs)"
        )
