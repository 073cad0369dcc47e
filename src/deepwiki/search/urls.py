from django.urls import path

from deepwiki.search import views

urlpatterns: list = [
    path("search", views.search_page, name="search"),
]
