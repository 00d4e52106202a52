from django.apps import AppConfig


class RelationshipsConfig(AppConfig):
    """Follows and blocks between users, with each user's follow counts kept exact."""

    name = "relationships"

    def ready(self):
        from accounts.extensions import add_profile_field
        from accounts.signals import user_deleting
        from relationships import receivers
        from relationships.selectors import PROFILE_FLAGS

        user_deleting.connect(receivers.settle_follows_of_deleted_user, dispatch_uid="follows")
        for flag in PROFILE_FLAGS:
            add_profile_field(flag)
