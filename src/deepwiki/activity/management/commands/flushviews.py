"""`deepwiki flushviews`: store the buffered page views now."""

from django.core.management.base import BaseCommand

from deepwiki.activity.services import pageviews_flush


class Command(BaseCommand):
    help = "Store buffered page views and recent views in the database."

    def handle(self, *args, **options):
        stored = pageviews_flush()
        self.stdout.write(f"{stored} page views stored.")
