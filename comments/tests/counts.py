"""What the comments tests check of the posts' counts."""

from django.db.models import Count, F, Q

from posts.models import Post


def assert_counts_exact():
    """Every post's comments_count equals its comments that are not hidden."""
    shown = Count("comments", filter=Q(comments__hidden=False))
    wrong = Post.objects.annotate(shown=shown).exclude(comments_count=F("shown"))
    assert list(wrong.values("id", "comments_count", "shown")) == []


def count_of(post):
    post.refresh_from_db()
    return post.comments_count
