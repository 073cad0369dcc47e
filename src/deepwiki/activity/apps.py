from django.apps import AppConfig


class ActivityConfig(AppConfig):
    """The event log: activity, page views, searches, maintenance runs.

    The label stays "analytics" (this app's name before the layers were drawn)
    so the tables and migrations of earlier releases remain valid.
    """

    name = "deepwiki.activity"
    label = "analytics"
    verbose_name = "Activity"
