from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "deepwiki.search"
    label = "search"

    def ready(self) -> None:
        from deepwiki.search import checks, indexer  # noqa: F401  (checks register)
        from deepwiki.wikis.indexing import plug_search_index

        plug_search_index(indexer)
