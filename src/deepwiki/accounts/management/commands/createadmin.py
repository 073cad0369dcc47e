"""Create an admin account (or promote an existing one)."""

import getpass

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from deepwiki.accounts.services import user_create_admin


class Command(BaseCommand):
    help = "Create an ADMIN account, or promote an existing account to ADMIN."

    def add_arguments(self, parser):
        parser.add_argument("--email", required=True)
        parser.add_argument("--password", help="Prompted for when omitted.")

    def handle(self, *args, email, password=None, **options):
        if password is None:
            password = getpass.getpass("Password: ")
            if password != getpass.getpass("Password (again): "):
                raise CommandError("The two passwords do not match.")
        try:
            user = user_create_admin(email=email, password=password)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from None
        self.stdout.write(f"Admin ready: {user.email}")
