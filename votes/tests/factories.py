import factory

from accounts.tests.factories import UserFactory
from posts.tests.factories import PostFactory
from votes.models import Vote
from votes.services import vote_cast


class VoteFactory(factory.django.DjangoModelFactory):
    """A like, cast through the service so that the post's counter counts it."""

    class Meta:
        model = Vote

    user = factory.SubFactory(UserFactory)
    post = factory.SubFactory(PostFactory)

    @classmethod
    def _create(cls, model_class, *, user, post, **kwargs):
        vote_cast(user=user, post_id=post.pk)
        return model_class.objects.get(user=user, post=post)
