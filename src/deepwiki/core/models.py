"""Site-wide settings an admin edits in the UI."""

from django.core.cache import cache
from django.db import models

from deepwiki.core.generation import SETTINGS, bump_generation, generation

VISIBILITY_CHOICES = [
    ("private", "Private — owner and admins"),
    ("internal", "Internal — every signed-in user"),
    ("public", "Public — also anonymous readers"),
]
CACHE_KEY = "site-settings:v1"
CACHE_SECONDS = 60


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
        """Save; once committed, every process reads the new row (new cache key)."""
        super().save(*args, **kwargs)
        bump_generation(SETTINGS, now=True)

    @classmethod
    def current(cls) -> "SiteSettings":
        """Return the settings row, cached, created with defaults on first use."""
        key = f"{CACHE_KEY}:{generation(SETTINGS)}"
        found = cache.get(key)
        if found is None:
            found, _ = cls.objects.get_or_create(pk=1)
            cache.set(key, found, CACHE_SECONDS)
        return found
