from django.apps import AppConfig


class AccountsConfig(AppConfig):
    """Users, sign-up, profiles and JWT authentication."""

    name = "accounts"
