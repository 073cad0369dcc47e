"""`deepwiki token create EMAIL [--name N] [--expires-days D]`: print a new token."""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from deepwiki.accounts.models import User
from deepwiki.accounts.services import normalize_email, token_create


class Command(BaseCommand):
    help = "Manage personal API tokens."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create", help="Create a token and print it once.")
        create.add_argument("email")
        create.add_argument("--name", default="CLI token")
        create.add_argument(
            "--expires-days",
            type=int,
            default=None,
            help="Days until the token stops working (default: no expiry).",
        )

    def handle(self, *args, action, email, name, expires_days=None, **options):
        user = User.objects.filter(email__iexact=normalize_email(email)).first()
        if user is None:
            raise CommandError(f"No account with e-mail {email}.")
        try:
            _, raw = token_create(user=user, name=name, expires_days=expires_days)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from None
        self.stdout.write(raw)
