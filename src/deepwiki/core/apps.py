from pathlib import Path

from django.apps import AppConfig
from django.conf import settings


class CoreConfig(AppConfig):
    name = "deepwiki.core"
    label = "core"
    verbose_name = "Site"

    def ready(self) -> None:
        from deepwiki.core import checks  # noqa: F401  (registers system checks)

        _make_local_dirs()


def _make_local_dirs() -> None:
    """Create the data dir (SQLite lives there) and the static root on start-up.

    Done when Django starts rather than when settings are imported, so that
    reading the configuration never touches the file system.
    """
    database = settings.DATABASES["default"]
    if database["ENGINE"].endswith("sqlite3"):
        Path(database["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    if settings.WHITENOISE_USE_FINDERS:
        Path(settings.STATIC_ROOT).mkdir(parents=True, exist_ok=True)
