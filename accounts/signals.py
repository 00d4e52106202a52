from django.dispatch import Signal

# Sent inside the deletion's transaction, before an account and what it owns are deleted, with
# `user`: apps above accounts settle what they keep about the user's doings elsewhere.
user_deleting = Signal()
