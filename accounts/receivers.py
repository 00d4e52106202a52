from accounts.revocation import USER_GONE, publish_users, user_state


def publish_token_state_of(sender, *, instance, **kwargs):
    """Whatever saved a user (a password set in the admin, a deactivation) tells every process
    the state of the user's tokens now."""
    state = user_state(token_version=instance.token_version, is_active=instance.is_active)
    publish_users({instance.pk: state})


def publish_deletion_of(sender, *, instance, **kwargs):
    publish_users({instance.pk: USER_GONE})
