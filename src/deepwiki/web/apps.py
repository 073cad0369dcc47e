from django.apps import AppConfig


class WebConfig(AppConfig):
    """The HTML transport: views, forms, URL maps and template tags."""

    name = "deepwiki.web"
    label = "web"
    verbose_name = "Web pages"
