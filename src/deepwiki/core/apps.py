from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "deepwiki.core"
    label = "core"
    verbose_name = "Site"

    def ready(self) -> None:
        from deepwiki.core import checks  # noqa: F401  (registers system checks)
