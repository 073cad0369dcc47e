from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "deepwiki.search"
    label = "search"

    def ready(self) -> None:
        from deepwiki.search import checks  # noqa: F401  (registers the system check)
