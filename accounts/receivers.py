from accounts.tokens import forget_token_state


def forget_token_state_of(sender, *, instance, **kwargs):
    forget_token_state(instance.pk)
