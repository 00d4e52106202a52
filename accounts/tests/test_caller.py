"""request.user is a Caller: what authentication loaded, and nothing read behind a route's back."""

import pytest
from rest_framework_simplejwt.tokens import AccessToken

from accounts.models import Caller, FieldNotLoaded
from accounts.services import token_pair_for
from accounts.tokens import user_for_token

pytestmark = pytest.mark.django_db


@pytest.fixture
def caller(user):
    return user_for_token(AccessToken(token_pair_for(user)["access_token"]))


def test_the_caller_carries_its_id_and_token_state(caller, user):
    assert isinstance(caller, Caller)
    assert (caller.pk, caller.is_active, caller.token_version) == (user.pk, True, 0)
    assert caller.is_authenticated


@pytest.mark.parametrize("field", ["username", "email", "password", "created_at", "is_staff"])
def test_reading_anything_else_raises_instead_of_querying(caller, field, django_assert_num_queries):
    with django_assert_num_queries(0), pytest.raises(FieldNotLoaded, match=field):
        getattr(caller, field)


def test_a_caller_still_owns_what_it_writes_and_compares_as_its_user(caller, user):
    assert caller == user
    assert str(caller) == f"user {user.pk}"
