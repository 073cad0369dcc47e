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
    path("", include("deepwiki.web.urls.accounts")),
    path("", include("deepwiki.web.urls.wikis")),
    path("", include("deepwiki.web.urls.search")),
    path("", include("deepwiki.web.urls.admin")),
    path("", include("deepwiki.web.urls.core")),
]

handler400 = "deepwiki.web.errors.bad_request"
handler403 = "deepwiki.web.errors.permission_denied"
handler404 = "deepwiki.web.errors.page_not_found"
handler500 = "deepwiki.web.errors.server_error"
