"""Passwords are stored as OWASP's password storage cheat sheet asks: Argon2id with its
parameters, and a hash made before (PBKDF2) is remade at its user's next login."""

import pytest
from django.contrib.auth.hashers import check_password, make_password

import config.settings as production_settings
from accounts.models import User
from accounts.tests.factories import DEFAULT_PASSWORD


@pytest.fixture
def production_hashers(settings):
    """The hashers of config/settings.py, which the suite's settings replace with a fast one."""
    settings.PASSWORD_HASHERS = production_settings.PASSWORD_HASHERS


def test_passwords_are_hashed_with_argon2id_at_owasps_parameters(production_hashers):
    encoded = make_password("a-passphrase")

    # OWASP's password storage cheat sheet: Argon2id, 19 MiB of memory, 2 passes, 1 lane.
    assert encoded.startswith("argon2$argon2id$v=19$m=19456,t=2,p=1$")
    assert check_password("a-passphrase", encoded)
    assert not check_password("another-passphrase", encoded)


@pytest.mark.django_db
def test_a_login_upgrades_an_older_hash_to_argon2id(api_client, user, production_hashers):
    User.objects.filter(pk=user.pk).update(
        password=make_password(DEFAULT_PASSWORD, hasher="pbkdf2_sha256")
    )
    login = {"username": user.email, "password": DEFAULT_PASSWORD}

    assert api_client.post("/api/v1/auth/login/", login, format="json").status_code == 200

    user.refresh_from_db()
    assert user.password.startswith("argon2$argon2id$")
    assert api_client.post("/api/v1/auth/login/", login, format="json").status_code == 200
