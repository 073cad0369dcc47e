"""deepwiki import PATH: create a wiki from a directory or a .zip."""

from __future__ import annotations

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from deepwiki.core.errors import DomainError
from deepwiki.wikis import services
from deepwiki.wikis.intake import read_directory
from deepwiki.wikis.models import Visibility


class Command(BaseCommand):
    help = (
        "Import a folder or .zip as a new wiki; prints the new slug on the last line."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="A directory or a .zip file")
        parser.add_argument("--title", help="Wiki title (default: from the entry page)")
        parser.add_argument("--owner", help="Owner e-mail (default: the first admin)")
        parser.add_argument("--visibility", choices=Visibility.values, default=None)
        parser.add_argument("--tags", help="Comma-separated tags")

    def handle(
        self, *args, path, title=None, owner=None, visibility=None, tags=None, **opts
    ):
        source = Path(path)
        user = _owner(owner)
        meta = {"title": title, "visibility": visibility, "tags": tags}
        try:
            if source.is_dir():
                wiki = services.wiki_import(
                    owner=user,
                    files=read_directory(source),
                    source_name=source.resolve().name,
                    **meta,
                )
            elif source.is_file():
                wiki = services.wiki_import_archive(
                    owner=user, archive=source, name=source.name, **meta
                )
            else:
                raise CommandError(f"{path}: no such file or directory")
        except DomainError as exc:
            raise CommandError(
                f"{exc.message} (rule: {exc.details.get('rule', ['-'])[0]})"
            ) from exc
        self.stdout.write(
            f"Imported {wiki.file_count} files into “{wiki.title}” "
            f"(owner {user.email}, {wiki.visibility})"
        )
        self.stdout.write(wiki.slug)


def _owner(email: str | None):
    users = get_user_model().objects.filter(is_active=True)
    if email:
        user = users.filter(email__iexact=email.strip()).first()
        if user is None:
            raise CommandError(f"No active user with e-mail {email}.")
        return user
    user = users.filter(role="ADMIN").order_by("pk").first()
    if user is None:
        raise CommandError("No admin account exists; pass --owner EMAIL.")
    return user
