"""Create the demo accounts and a sample wiki; safe to run twice."""

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from deepwiki.accounts.models import Role, User
from deepwiki.wikis.sample import seed_sample_wiki

DEMO_USERS = [
    ("admin@deepwiki.com", "Admin123!", Role.ADMIN),
    ("user@deepwiki.com", "User123!", Role.USER),
]


class Command(BaseCommand):
    help = "Create demo accounts (admin@deepwiki.com, user@deepwiki.com) and a sample wiki."

    def add_arguments(self, parser):
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Only seed when the database has no users yet.",
        )

    def handle(self, *args, if_empty=False, **options):
        from django.conf import settings

        if settings.CONFIG.production and not options.get("force_production"):
            if not _demo_allowed():
                raise CommandError(
                    "Refusing to create demo accounts with known passwords in "
                    "production. Set DEEPWIKI_SEED_DEMO=1 to do it anyway."
                )
        if if_empty and User.objects.exists():
            self.stdout.write("Database already has users; nothing seeded.")
            return
        with transaction.atomic():
            for email, password, role in DEMO_USERS:
                user, created = User.objects.get_or_create(
                    email=email, defaults={"role": role}
                )
                if created:
                    user.set_password(password)
                    user.save()
                self.stdout.write(
                    f"{'created' if created else 'exists '} {email} ({role})"
                )
        if apps.is_installed("deepwiki.wikis"):
            slug = seed_sample_wiki(owner=User.objects.get(email=DEMO_USERS[0][0]))
            self.stdout.write(f"sample wiki: /wikis/{slug}/")


def _demo_allowed() -> bool:
    return settings.DEEPWIKI_SEED_DEMO
