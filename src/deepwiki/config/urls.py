"""URL map: pages, the JSON API, probes, Django admin."""

from django.contrib import admin
from django.urls import include, path

from deepwiki.api.main import api
from deepwiki.ops import views as ops_views
from deepwiki.ops.metrics import metrics_view

admin.site.site_header = "DeepWiki administration"
admin.site.site_title = "DeepWiki admin"

urlpatterns = [
    path("livez", ops_views.livez, name="livez"),
    path("readyz", ops_views.readyz, name="readyz"),
    path("metrics", metrics_view, name="metrics"),
    path("api/", api.urls),
    path("django-admin/", admin.site.urls),
    path("", include("deepwiki.accounts.urls")),
    path("", include("deepwiki.wikis.urls")),
    path("", include("deepwiki.search.urls")),
    path("", include("deepwiki.analytics.urls")),
    path("", include("deepwiki.core.urls")),
]

handler400 = "deepwiki.core.views.bad_request"
handler403 = "deepwiki.core.views.permission_denied"
handler404 = "deepwiki.core.views.page_not_found"
handler500 = "deepwiki.core.views.server_error"
