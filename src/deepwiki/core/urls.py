from django.urls import path

from deepwiki.core import pages

urlpatterns = [
    path("", pages.home, name="home"),
    path("dashboard", pages.dashboard, name="dashboard"),
]
