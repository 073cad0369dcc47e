from django.contrib import admin

from deepwiki.core.models import SiteSettings


@admin.register(SiteSettings)
class SiteSettingsAdmin(admin.ModelAdmin):
    list_display = (
        "site_name",
        "registration_open",
        "default_visibility",
        "updated_at",
    )
