"""Admin pages under /admin/ (Django's own admin lives at /django-admin/)."""

from django.urls import path

from deepwiki.web import administration as admin_views

urlpatterns = [
    path("admin/", admin_views.admin_home, name="admin_home"),
    path("admin/users/", admin_views.user_list, name="user_list"),
    path("admin/users/<int:user_id>", admin_views.user_update, name="user_update"),
    path("admin/settings", admin_views.admin_settings, name="admin_settings"),
    path("admin/maintenance", admin_views.admin_maintenance, name="admin_maintenance"),
    path(
        "admin/maintenance/<int:run_id>",
        admin_views.admin_maintenance_run,
        name="admin_maintenance_run",
    ),
    path(
        "admin/users/<int:user_id>/delete",
        admin_views.admin_user_delete,
        name="admin_user_delete",
    ),
    path("admin/analytics", admin_views.admin_analytics, name="admin_analytics"),
    path("admin/analytics/<slug:key>", admin_views.admin_report, name="admin_report"),
]
