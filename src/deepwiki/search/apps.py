from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "deepwiki.search"
    label = "search"
