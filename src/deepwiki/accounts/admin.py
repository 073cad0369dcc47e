"""Django admin (our "Prisma Studio") for accounts and tokens."""

from django.contrib import admin

from deepwiki.accounts.models import ApiToken, User
from deepwiki.accounts.services import tokens_revoke_all


@admin.register(User)
class UserAdmin(admin.ModelAdmin):
    list_display = ("email", "role", "is_active", "date_joined", "last_login")
    list_filter = ("role", "is_active")
    search_fields = ("email", "name")
    readonly_fields = ("password", "date_joined", "last_login")
    fields = (
        "email",
        "name",
        "role",
        "is_active",
        "password",
        "date_joined",
        "last_login",
    )
    ordering = ("email",)

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if change and "is_active" in form.changed_data and not obj.is_active:
            tokens_revoke_all(user=obj)  # a deactivation ends the API tokens too


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = (
        "name",
        "user",
        "prefix",
        "created_at",
        "last_used_at",
        "expires_at",
    )
    search_fields = ("name", "user__email", "prefix")
    readonly_fields = ("prefix", "token_hash", "created_at", "last_used_at")
