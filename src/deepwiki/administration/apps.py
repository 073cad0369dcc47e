from django.apps import AppConfig


class AdministrationConfig(AppConfig):
    """The admin area: users, site settings, maintenance (above the domain apps)."""

    name = "deepwiki.administration"
    label = "administration"
    verbose_name = "Administration"
