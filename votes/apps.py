from django.apps import AppConfig


class VotesConfig(AppConfig):
    """Likes, with each post's like count kept exact."""

    name = "votes"
    # The admin's heading for the likes below; the app and its routes keep the design's name.
    verbose_name = "Likes"

    def ready(self):
        from accounts.signals import user_deleting
        from posts.extensions import add_post_field
        from votes import receivers
        from votes.reads import VOTED

        user_deleting.connect(receivers.withdraw_likes_of_deleted_user, dispatch_uid="votes")
        add_post_field(VOTED)
