import factory

from accounts.tests.factories import UserFactory
from posts.models import Post


class PostFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Post

    title = factory.Sequence(lambda n: f"Post number {n}")
    content = factory.Faker("paragraph")
    owner = factory.SubFactory(UserFactory)


class DraftFactory(PostFactory):
    published = False
