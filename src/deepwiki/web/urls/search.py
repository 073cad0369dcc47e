from django.urls import path

from deepwiki.web import search as views

urlpatterns: list = [
    path("search", views.search_page, name="search"),
]
