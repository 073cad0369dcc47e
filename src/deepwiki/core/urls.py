from django.urls import path

from deepwiki.analytics import views as analytics_views
from deepwiki.core import pages

urlpatterns = [
    path("", pages.home, name="home"),
    path("dashboard", analytics_views.dashboard, name="dashboard"),
]
