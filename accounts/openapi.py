"""What the schema says of accounts beyond what its serializers declare: the rules of a new
password and of the login body, and the links from sign-up and login answers onward
(core.openapi collects them)."""

from copy import deepcopy

from django.contrib.auth.password_validation import (
    MinimumLengthValidator,
    get_default_password_validators,
)

from core.openapi import link

# Request components whose fields carry a new password.
_NEW_PASSWORDS = {"SignUpRequest": "password", "PasswordChangeRequest": "new_password"}


def _password_schema(schema):
    """A new password as Django's validators see it: at least the minimum length, not digits
    only. Similarity to the email and the list of common passwords cannot be said in a schema."""
    for validator in get_default_password_validators():
        if isinstance(validator, MinimumLengthValidator):
            schema["minLength"] = max(schema.get("minLength", 0), validator.min_length)
    schema["pattern"] = r"^[^\x00]*[^\d\x00][^\x00]*$"
    schema["description"] = (
        "At least {min} characters, not only digits, not a common password and not too "
        "similar to the email or handle."
    ).format(min=schema.get("minLength", 1))


# The JSON login's two bodies: (component, the identifier it carries, the one it leaves out).
_LOGIN_BODIES = [
    ("LoginWithUsernameRequest", "username", "email"),
    ("LoginWithEmailRequest", "email", "username"),
]


def _grant_type_schema(schema):
    """`grant_type`, when sent, is `password`."""
    schema["properties"]["grant_type"]["enum"] = ["password"]
    schema["properties"]["grant_type"].pop("pattern", None)


def _login_schemas(schemas):
    """The JSON login takes exactly one of `username` and `email`: its oneOf has two whole
    bodies, one per identifier, and it keeps its own properties, so that it accepts exactly what
    it did. (A oneOf of bare `required` lists says the same to a validator, but generated
    clients read a oneOf as a union of types: openapi-python-client typed the login body `Any`,
    in a module that failed to import.)"""
    login = schemas["LoginRequest"]
    _grant_type_schema(login)
    for name, identifier, other in _LOGIN_BODIES:
        schemas[name] = {
            "type": "object",
            "description": f"A login by `{identifier}` and `password`.",
            "properties": {
                field: deepcopy(schema)
                for field, schema in login["properties"].items()
                if field != other
            },
            "required": [identifier, "password"],
        }
    login["oneOf"] = [{"$ref": f"#/components/schemas/{name}"} for name, _, _ in _LOGIN_BODIES]


def components(schemas):
    """Adds to the generated component schemas what their serializers cannot say."""
    for name, field in _NEW_PASSWORDS.items():
        if name in schemas:
            _password_schema(schemas[name]["properties"][field])
    if "LoginRequest" in schemas:
        _login_schemas(schemas)
    if "LoginFormRequest" in schemas:
        _grant_type_schema(schemas["LoginFormRequest"])


_REFRESH_TOKEN_BODY = {"refresh_token": "$response.body#/refresh_token"}
# Login and refresh answer the same token pair, which leads on to the same operations.
_TOKEN_PAIR_LINKS = {
    "Refresh": link(
        "auth_refresh_create", "Rotate the refresh token just issued.", body=_REFRESH_TOKEN_BODY
    ),
    "LogOut": link(
        "auth_logout_create", "Revoke the refresh token just issued.", body=_REFRESH_TOKEN_BODY
    ),
}

LINKS = {
    ("/api/v1/users/", "post", "201"): {
        "LogIn": link(
            "auth_login_create",
            "Log in with the email and password just signed up with.",
            body={"email": "$request.body#/email", "password": "$request.body#/password"},
            replace_body=True,
        ),
        "GetUser": link(
            "users_retrieve", "The new user's public profile.", {"id": "$response.body#/id"}
        ),
        "ListPosts": link("posts_list", "The new user's posts.", {"owner": "$response.body#/id"}),
    },
    ("/api/v1/auth/login/", "post", "200"): _TOKEN_PAIR_LINKS,
    ("/api/v1/auth/refresh/", "post", "200"): _TOKEN_PAIR_LINKS,
}
