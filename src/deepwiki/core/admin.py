from django.contrib import admin
from django.core.cache import cache

from deepwiki.core.models import CACHE_KEY, SiteSettings


@admin.register(SiteSettings)
class SiteSettingsAdmin(admin.ModelAdmin):
    list_display = ("site_name", "registration_open", "default_visibility", "updated_at")

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        cache.delete(CACHE_KEY)
