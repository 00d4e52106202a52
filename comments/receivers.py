from comments.services import comments_delete_all


def delete_comments_of_deleted_user(sender, *, user, **kwargs):
    """An account is being deleted: its comments go first, so other posts' counts stay exact."""
    comments_delete_all(user=user)
