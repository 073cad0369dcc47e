from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "deepwiki.api"
    label = "api"
