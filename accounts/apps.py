from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps


class AccountsConfig(AppConfig):
    """Users, sign-up, profiles and JWT authentication."""

    name = "accounts"

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        from accounts import receivers

        # Whatever changes a user (a password, a deactivation in the admin, a deletion) tells
        # every process what now stands of the user's tokens (accounts.revocation).
        user = self.get_model("User")
        post_save.connect(receivers.publish_token_state_of, sender=user)
        post_delete.connect(receivers.publish_deletion_of, sender=user)


class AdminConfig(admin_apps.AdminConfig):
    """Django's admin, on Agora's site (accounts.sites); in INSTALLED_APPS in its place."""

    default = False  # `accounts` alone in INSTALLED_APPS means AccountsConfig.
    default_site = "accounts.sites.AdminSite"
