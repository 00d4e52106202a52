from votes.services import votes_withdraw_all


def withdraw_likes_of_deleted_user(sender, *, user, **kwargs):
    """An account is being deleted: its likes go first, so other posts' counts stay exact."""
    votes_withdraw_all(user=user)
