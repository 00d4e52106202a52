import pytest

pytestmark = pytest.mark.django_db


def test_paths_are_listed_once_with_the_slash(schema):
    paths = [p for p in schema["paths"] if p.startswith("/api/v1/")]

    assert paths
    assert all(p.endswith("/") for p in paths)
    assert "/api/v1/users/me/" in paths
    assert "/api/v1/users/me" not in paths


def test_login_is_an_oauth2_password_flow(schema):
    schemes = schema["components"]["securitySchemes"]

    (scheme,) = schemes.values()
    assert scheme["type"] == "oauth2"
    assert scheme["flows"]["password"]["tokenUrl"] == "/api/v1/auth/login/"


def test_login_accepts_form_and_json(schema):
    content = schema["paths"]["/api/v1/auth/login/"]["post"]["requestBody"]["content"]

    assert set(content) == {"application/x-www-form-urlencoded", "application/json"}


def test_error_responses_are_documented(schema):
    me = schema["paths"]["/api/v1/users/me/"]

    assert {"401", "429"} <= set(me["get"]["responses"])
    assert {"400", "401"} <= set(me["patch"]["responses"])
    assert {"200", "400", "401", "429"} <= set(
        schema["paths"]["/api/v1/auth/login/"]["post"]["responses"]
    )


def test_private_user_has_email_and_public_user_does_not(schema):
    components = schema["components"]["schemas"]

    assert "email" in components["PrivateUser"]["properties"]
    assert "email" not in components["PublicUser"]["properties"]


def test_docs_pages_are_served(client):
    assert client.get("/api/docs/").status_code == 200
    assert client.get("/api/redoc/").status_code == 200
    assert client.get("/api/schema/").status_code == 200
