"""The read side of posts: what a caller may see, and the feed."""

from core.exceptions import NotFound


class PostNotFound(NotFound):
    """No post with this id, or not one the caller may see (someone else's draft)."""
