from django.apps import AppConfig


class CommentsConfig(AppConfig):
    """Comments on posts, with each post's comments_count kept exact."""

    name = "comments"

    def ready(self):
        from accounts.signals import user_deleting
        from comments import receivers

        user_deleting.connect(receivers.delete_comments_of_deleted_user, dispatch_uid="comments")
