from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "deepwiki.accounts"
    label = "accounts"
