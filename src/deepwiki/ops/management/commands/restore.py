"""`deepwiki restore IN`: put back a backup made by `deepwiki backup`."""

from django.core.management.base import BaseCommand, CommandError

from deepwiki.ops.backup import BackupError, backup_restore


class Command(BaseCommand):
    help = (
        "Restore the database and blobs from an archive made by `deepwiki backup`. "
        "Refuses to overwrite a non-empty database unless --force is given."
    )

    def add_arguments(self, parser):
        parser.add_argument("archive", help="a .tar.gz made by `deepwiki backup`")
        parser.add_argument("--database", default="default")
        parser.add_argument(
            "--force", action="store_true", help="overwrite a database that holds data"
        )

    def handle(self, *args, archive, database, force, **options):
        try:
            result = backup_restore(archive, force=force, database=database)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        except FileNotFoundError as exc:
            raise CommandError(f"no such archive: {archive}") from exc
        self.stdout.write(
            f"restored {result.vendor} database via {result.method}; "
            f"{result.blob_count} blobs written, {result.blobs_skipped} already identical"
        )
