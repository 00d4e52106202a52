import pytest

from accounts.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

ME = "/api/v1/users/me/"


def test_public_profile_hides_email(api_client, user):
    response = api_client.get(f"/api/v1/users/{user.id}/")

    assert response.status_code == 200
    assert response.json() == {
        "id": user.id,
        "username": user.username,
        "display_name": "",
        "bio": "",
        "created_at": user.created_at.isoformat().replace("+00:00", "Z"),
        "followers_count": 0,
        "following_count": 0,
        "following": False,
        "followed_by": False,
        "blocking": False,
    }


def test_public_profile_hides_email_from_other_signed_in_users(other_client, user):
    body = other_client.get(f"/api/v1/users/{user.id}/").json()

    assert "email" not in body
    assert user.email not in str(body)


def test_unknown_user_is_404(api_client):
    response = api_client.get("/api/v1/users/987654/")

    assert response.status_code == 404
    assert "detail" in response.json()


def test_deactivated_user_profile_is_404(api_client):
    gone = UserFactory(is_active=False)

    assert api_client.get(f"/api/v1/users/{gone.id}/").status_code == 404


def test_me_returns_the_private_user(auth_client, user):
    response = auth_client.get(ME)

    assert response.status_code == 200
    assert response.json()["email"] == user.email
    assert set(response.json()) == {
        "id",
        "username",
        "display_name",
        "bio",
        "created_at",
        "followers_count",
        "following_count",
        "following",
        "followed_by",
        "blocking",
        "email",
    }


def test_me_without_token_is_401_with_bearer_challenge(api_client):
    response = api_client.get(ME)

    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"].startswith("Bearer")
    assert "detail" in response.json()


def test_patch_me_changes_handle_and_email(auth_client, user):
    response = auth_client.patch(
        ME, {"username": "new.handle", "email": "New@Example.com"}, format="json"
    )

    assert response.status_code == 200
    assert response.json()["username"] == "new.handle"
    assert response.json()["email"] == "new@example.com"
    user.refresh_from_db()
    assert (user.username, user.email) == ("new.handle", "new@example.com")


def test_patch_me_keeps_omitted_fields(auth_client, user):
    response = auth_client.patch(ME, {"username": "only_handle"}, format="json")

    assert response.json()["email"] == user.email


def test_patch_me_to_a_taken_email_is_400(auth_client, other_user):
    response = auth_client.patch(ME, {"email": other_user.email.upper()}, format="json")

    assert response.status_code == 400
    assert list(response.json()) == ["email"]


def test_patch_me_to_a_taken_handle_is_400(auth_client, other_user):
    response = auth_client.patch(ME, {"username": other_user.username.upper()}, format="json")

    assert response.status_code == 400
    assert list(response.json()) == ["username"]


def test_patch_me_to_own_handle_in_other_case_is_allowed(auth_client, user):
    response = auth_client.patch(ME, {"username": user.username.upper()}, format="json")

    assert response.status_code == 200


@pytest.mark.parametrize("username", [" padded", "padded ", "padded\n"])
def test_patch_me_with_a_padded_handle_is_400(auth_client, user, username):
    response = auth_client.patch(ME, {"username": username}, format="json")

    assert response.status_code == 400
    assert list(response.json()) == ["username"]
    user.refresh_from_db()
    assert user.username != "padded"


def test_patch_me_with_invalid_values_is_400(auth_client):
    response = auth_client.patch(ME, {"username": "no", "email": "nope"}, format="json")

    assert response.status_code == 400
    assert set(response.json()) == {"username", "email"}


def test_patch_me_ignores_privileged_fields(auth_client, user):
    response = auth_client.patch(ME, {"is_staff": True, "id": 1234}, format="json")

    assert response.status_code == 200
    user.refresh_from_db()
    assert not user.is_staff
    assert response.json()["id"] == user.id


def test_delete_me_removes_the_account_and_its_token_stops_working(auth_client, user):
    response = auth_client.delete(ME)

    assert response.status_code == 204
    assert not type(user).objects.filter(pk=user.pk).exists()
    assert auth_client.get(ME).status_code == 401


@pytest.mark.parametrize("written", ["1_0", "\u0661", "\uff11"])
def test_a_user_id_is_ascii_digits_only(api_client, user, written):
    response = api_client.get(f"/api/v1/users/{written}/")

    assert response.status_code == 404
    assert response.json() == {"detail": "Not found."}


def test_a_display_name_and_a_bio_are_set_and_shown_on_the_profile(auth_client, api_client, user):
    response = auth_client.patch(
        "/api/v1/users/me/",
        {"display_name": "  Ada Lovelace ", "bio": "Notes on\nthe Engine."},
        format="json",
    )

    assert response.status_code == 200
    assert (response.json()["display_name"], response.json()["bio"]) == (
        "Ada Lovelace",
        "Notes on\nthe Engine.",
    )
    shown = api_client.get(f"/api/v1/users/by-handle/{user.username}/").json()
    assert (shown["display_name"], shown["bio"]) == ("Ada Lovelace", "Notes on\nthe Engine.")


def test_profile_text_is_stored_in_nfc(auth_client):
    body = auth_client.patch(
        "/api/v1/users/me/", {"display_name": "Zoe\u0301"}, format="json"
    ).json()

    assert body["display_name"] == "Zo\u00e9"


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("display_name", "evil\u202etxt"),  # a right-to-left override
        ("display_name", "zero\u200dwidth"),
        ("display_name", "two\nlines"),
        ("bio", "bell\u0007"),
        ("bio", "private\ue000use"),
    ],
)
def test_control_and_invisible_characters_are_400(auth_client, field, value):
    response = auth_client.patch("/api/v1/users/me/", {field: value}, format="json")

    assert response.status_code == 400
    assert response.json() == {field: ["Remove the control or invisible characters."]}


@pytest.mark.parametrize(("field", "limit"), [("display_name", 50), ("bio", 500)])
def test_profile_text_past_its_limit_is_400_saying_it(auth_client, field, limit):
    assert (
        auth_client.patch("/api/v1/users/me/", {field: "a" * limit}, format="json").status_code
        == 200
    )

    response = auth_client.patch("/api/v1/users/me/", {field: "a" * (limit + 1)}, format="json")

    assert response.status_code == 400
    assert str(limit) in response.json()[field][0]


@pytest.mark.parametrize("value", [5, None, True, ["a"]])
def test_profile_text_must_be_a_string(auth_client, value):
    response = auth_client.patch("/api/v1/users/me/", {"bio": value}, format="json")

    assert response.status_code == 400


def test_a_profile_by_an_unknown_handle_is_404(api_client):
    assert api_client.get("/api/v1/users/by-handle/nobody_here/").status_code == 404
