import jsonschema_rs
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


def login_body_validator(schema, content_type):
    """A JSON Schema validator of the login body that the schema declares for `content_type`."""
    content = schema["paths"]["/api/v1/auth/login/"]["post"]["requestBody"]["content"]
    return jsonschema_rs.validator_for(
        {**content[content_type]["schema"], "components": schema["components"]}
    )


@pytest.mark.parametrize(
    ("body", "valid"),
    [
        ({"username": "ada", "password": "x"}, True),
        ({"email": "ada@example.com", "password": "x", "refresh_cookie": True}, True),
        ({"username": "ada", "email": "ada@example.com", "password": "x"}, False),
        ({"username": "ada", "email": 5, "password": "x"}, False),
        ({"password": "x"}, False),
        ({"username": "ada"}, False),
        ({"username": "ada", "password": "x", "grant_type": "client_credentials"}, False),
    ],
)
def test_json_login_schema_takes_exactly_one_identifier(schema, body, valid):
    assert login_body_validator(schema, "application/json").is_valid(body) is valid


def test_json_login_is_a_union_of_two_whole_bodies(schema):
    """Generated clients read a oneOf as a union of types, so each member is a whole body."""
    components = schema["components"]["schemas"]
    members = [
        components[member["$ref"].removeprefix("#/components/schemas/")]
        for member in components["LoginRequest"]["oneOf"]
    ]

    assert [member["required"] for member in members] == [
        ["username", "password"],
        ["email", "password"],
    ]
    assert [set(member["properties"]) for member in members] == [
        {"username", "password", "grant_type", "refresh_cookie"},
        {"email", "password", "grant_type", "refresh_cookie"},
    ]


def test_form_login_has_a_component_of_its_own(schema):
    """One component for both content types, and openapi-python-client cannot tell them apart."""
    content = schema["paths"]["/api/v1/auth/login/"]["post"]["requestBody"]["content"]
    form = schema["components"]["schemas"]["LoginFormRequest"]

    assert content["application/x-www-form-urlencoded"]["schema"] == {
        "$ref": "#/components/schemas/LoginFormRequest"
    }
    assert set(form["properties"]) == {"username", "password", "grant_type"}
    assert set(form["required"]) == {"username", "password"}
    assert form["properties"]["grant_type"]["enum"] == ["password"]


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
