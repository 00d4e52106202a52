import factory

from accounts.tests.factories import UserFactory
from relationships.models import Block, Follow


class FollowFactory(factory.django.DjangoModelFactory):
    """A follow written as the API writes one: with both users' counts moved."""

    class Meta:
        model = Follow

    follower = factory.SubFactory(UserFactory)
    followee = factory.SubFactory(UserFactory)

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        from relationships.services import follow

        follow(user=kwargs["follower"], followee_id=kwargs["followee"].pk)
        return Follow.objects.get(follower=kwargs["follower"], followee=kwargs["followee"])


class BlockFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Block

    blocker = factory.SubFactory(UserFactory)
    blocked = factory.SubFactory(UserFactory)
