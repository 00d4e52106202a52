from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps


class AccountsConfig(AppConfig):
    """Users, sign-up, profiles and JWT authentication."""

    name = "accounts"


class AdminConfig(admin_apps.AdminConfig):
    """Django's admin, on Agora's site (accounts.sites); in INSTALLED_APPS in its place."""

    default = False  # `accounts` alone in INSTALLED_APPS means AccountsConfig.
    default_site = "accounts.sites.AdminSite"
