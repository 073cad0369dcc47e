from django.apps import AppConfig


class WikisConfig(AppConfig):
    name = "deepwiki.wikis"
    label = "wikis"
