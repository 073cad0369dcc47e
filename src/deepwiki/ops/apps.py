from django.apps import AppConfig


class OpsConfig(AppConfig):
    name = "deepwiki.ops"
    label = "ops"
    verbose_name = "Operations"
