"""Site-wide settings an admin edits in the UI."""

from django.core.cache import cache
from django.db import models, transaction

VISIBILITY_CHOICES = [
    ("private", "Private — owner and admins"),
    ("internal", "Internal — every signed-in user"),
    ("public", "Public — also anonymous readers"),
]
CACHE_KEY = "site-settings:v1"


class SiteSettings(models.Model):
    """The single row of editable site settings (id=1)."""

    site_name = models.CharField(max_length=80, default="DeepWiki")
    welcome_message = models.TextField(
        blank=True,
        default="Upload a folder of Markdown and read it as a site.",
        max_length=2000,
    )
    registration_open = models.BooleanField(default=True)
    default_visibility = models.CharField(
        max_length=10, choices=VISIBILITY_CHOICES, default="internal"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "site settings"
        verbose_name_plural = "site settings"

    def __str__(self) -> str:
        return self.site_name

    def save(self, *args, **kwargs) -> None:
        """Save, and drop the cached copy now and again once the transaction commits."""
        super().save(*args, **kwargs)
        cache.delete(CACHE_KEY)
        transaction.on_commit(lambda: cache.delete(CACHE_KEY))

    @classmethod
    def current(cls) -> "SiteSettings":
        """Return the settings row, cached, created with defaults on first use."""
        found = cache.get(CACHE_KEY)
        if found is None:
            found, _ = cls.objects.get_or_create(pk=1)
            cache.set(CACHE_KEY, found, 60)
        return found
