import factory

from accounts.tests.factories import UserFactory
from comments.models import Comment
from comments.services import comment_create, comments_hide
from posts.tests.factories import PostFactory


class CommentFactory(factory.django.DjangoModelFactory):
    """A comment written as the API writes one: counted on its post."""

    class Meta:
        model = Comment

    post = factory.SubFactory(PostFactory)
    author = factory.SubFactory(UserFactory)
    content = factory.Faker("sentence")

    @classmethod
    def _create(cls, model_class, *, post, author, content, **kwargs):
        comment = comment_create(author=author, post_id=post.pk, content=content)
        if kwargs:
            # Timestamps set by a test, written past the service (which stamps its own); a new
            # comment's updated_at equals its created_at.
            if "created_at" in kwargs:
                kwargs.setdefault("updated_at", kwargs["created_at"])
            model_class.objects.filter(pk=comment.pk).update(**kwargs)
            comment.refresh_from_db()
        return comment


class HiddenCommentFactory(CommentFactory):
    """A comment a moderator hid: taken off its post's count."""

    class Meta:
        skip_postgeneration_save = True

    @factory.post_generation
    def hide(comment, create, extracted, **kwargs):
        comments_hide(comments=Comment.objects.filter(pk=comment.pk))
        comment.refresh_from_db()
