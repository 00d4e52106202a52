from relationships.services import follows_end_all


def settle_follows_of_deleted_user(sender, *, user, **kwargs):
    """An account is being deleted: its follows go first, so other users' counts stay exact."""
    follows_end_all(user=user)
