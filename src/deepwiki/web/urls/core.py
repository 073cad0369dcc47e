from django.urls import path

from deepwiki.web import dashboard as analytics_views
from deepwiki.web import pages

urlpatterns = [
    path("", pages.home, name="home"),
    path("dashboard", analytics_views.dashboard, name="dashboard"),
]
