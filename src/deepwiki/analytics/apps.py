from django.apps import AppConfig


class AnalyticsConfig(AppConfig):
    name = "deepwiki.analytics"
    label = "analytics"
