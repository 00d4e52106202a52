import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from accounts.models import User
from accounts.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def create_superuser(monkeypatch, email, username):
    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", "a-long-admin-passphrase")
    call_command("createsuperuser", "--no-input", "--email", email, "--username", username)


def test_creates_a_staff_superuser_with_a_lower_case_email(monkeypatch):
    create_superuser(monkeypatch, "Boss@Example.com", "boss")

    user = User.objects.get(username="boss")
    assert (user.email, user.is_staff, user.is_superuser) == ("boss@example.com", True, True)
    assert user.check_password("a-long-admin-passphrase")


def test_a_handle_taken_in_another_case_is_a_clear_error(monkeypatch):
    UserFactory(username="Boss")

    with pytest.raises(CommandError, match="already taken"):
        create_superuser(monkeypatch, "boss@example.com", "boss")

    assert User.objects.count() == 1
