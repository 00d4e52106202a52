from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import RegexValidator
from drf_spectacular.utils import OpenApiExample, extend_schema_serializer
from rest_framework import serializers

from accounts.extensions import added_profile_fields
from accounts.identifiers import (
    BIO_MAX_LENGTH,
    DISPLAY_NAME_MAX_LENGTH,
    EMAIL_MAX_LENGTH,
    IDENTIFIER_MAX_LENGTH,
    LOOKS_TAKEN_MESSAGE,
    RESERVED_MESSAGE,
    USERNAME_MAX_LENGTH,
    USERNAME_MESSAGE,
    USERNAME_MIN_LENGTH,
    USERNAME_PATTERN,
    handle_skeleton,
    is_reserved,
    normalize_email,
    profile_text,
)
from accounts.models import User
from accounts.services import EmailTaken, UsernameTaken
from core.fields import (
    StrictBooleanField,
    StrictCharField,
    StrictEmailField,
    StrictModelSerializer,
)
from core.rows import RowShape

# The whole value, as the schema's pattern means it: in Python `$` also matches before a final
# newline, `\Z` does not (drf-spectacular writes `\A` and `\Z` as `^` and `$` in the schema).
username_validator = RegexValidator(
    rf"\A{USERNAME_PATTERN.removeprefix('^').removesuffix('$')}\Z", USERNAME_MESSAGE
)


def username_field(**kwargs):
    """A handle as sent: not trimmed (" ada" is outside the pattern, not "ada")."""
    return StrictCharField(
        trim_whitespace=False,
        min_length=USERNAME_MIN_LENGTH,
        max_length=USERNAME_MAX_LENGTH,
        validators=[username_validator],
        **kwargs,
    )


def _password_errors(password, user):
    try:
        password_validation.validate_password(password, user)
    except DjangoValidationError as exc:
        return list(exc.messages)
    return []


# A profile as the Swagger UI shows one (its flags: as its owner sees it).
PROFILE_EXAMPLE = {
    "id": 42,
    "username": "ada",
    "display_name": "Ada Lovelace",
    "bio": "Translator of Menabrea's notes, and author of the longer ones.",
    "created_at": "2025-01-31T12:00:00.123456Z",
    "followers_count": 1843,
    "following_count": 27,
    "following": False,
    "followed_by": False,
    "blocking": False,
}

PROFILE_FIELDS = [
    "id",
    "username",
    "display_name",
    "bio",
    "created_at",
    "followers_count",
    "following_count",
]


@extend_schema_serializer(
    examples=[
        OpenApiExample(
            "A profile",
            value={**PROFILE_EXAMPLE, "following": True},
            response_only=True,
        )
    ]
)
class PublicUserSerializer(StrictModelSerializer):
    """A user's profile, what anyone may see of a user: with what other apps add to it for the
    caller (accounts.extensions), each false where it was not read (a user just signed up)."""

    class Meta:
        model = User
        fields = PROFILE_FIELDS
        read_only_fields = fields
        extra_kwargs = {
            "followers_count": {"help_text": "How many users follow this one."},
            "following_count": {"help_text": "How many users this one follows."},
        }

    def get_fields(self):
        added = added_profile_fields.serializer_fields()
        for field in added.values():
            field.default = False
        return {**super().get_fields(), **added}


# A profile as rows (core.rows): what accounts.selectors.profile reads, and how it is shown.
PROFILE_ROWS = RowShape(PublicUserSerializer)


@extend_schema_serializer(
    examples=[
        OpenApiExample(
            "Your account",
            value={**PROFILE_EXAMPLE, "email": "ada@example.com"},
            response_only=True,
        )
    ]
)
class PrivateUserSerializer(PublicUserSerializer):
    """What a user sees of their own account: the profile, and the email."""

    class Meta(PublicUserSerializer.Meta):
        fields = [*PROFILE_FIELDS, "email"]
        read_only_fields = fields


def summary_of(attribute: str) -> type[serializers.BaseSerializer]:
    """A serializer that shows a row (a follow, a like) as the summary of its user at
    `attribute`: how every list of users shows them."""

    class Summary(serializers.BaseSerializer):
        def to_representation(self, instance):
            return UserSummarySerializer(getattr(instance, attribute)).data

    return Summary


@extend_schema_serializer(
    examples=[
        OpenApiExample(
            "A user in a list",
            value={"id": 42, "username": "ada", "display_name": "Ada Lovelace"},
            response_only=True,
        )
    ]
)
class UserSummarySerializer(StrictModelSerializer):
    """A user as lists show one."""

    class Meta:
        model = User
        fields = ["id", "username", "display_name"]
        read_only_fields = fields


class _UniqueIdentityMixin:
    """Case-insensitive uniqueness checks for email and handle, excluding the user edited."""

    def _others(self):
        users = User.objects.all()
        return users.exclude(pk=self.instance.pk) if self.instance is not None else users

    def validate_email(self, value):
        try:
            value = normalize_email(value)
        except ValueError as exc:
            raise serializers.ValidationError(str(exc)) from None
        if self._others().filter(email=value).exists():
            raise serializers.ValidationError(EmailTaken.message)
        return value

    def validate_username(self, value):
        if is_reserved(value):
            raise serializers.ValidationError(RESERVED_MESSAGE)
        if self._others().filter(username__iexact=value).exists():
            raise serializers.ValidationError(UsernameTaken.message)
        if self._others().filter(handle_skeleton=handle_skeleton(value)).exists():
            raise serializers.ValidationError(LOOKS_TAKEN_MESSAGE)
        return value


@extend_schema_serializer(
    examples=[
        OpenApiExample(
            "Sign up",
            value={
                "email": "ada@example.com",
                "password": "analytical-engine-1843",
                "username": "ada",
            },
            request_only=True,
        )
    ]
)
class SignUpSerializer(_UniqueIdentityMixin, serializers.Serializer):
    """A new account: an email, a password, and a handle (derived from the email if left
    out)."""

    email = StrictEmailField(max_length=EMAIL_MAX_LENGTH)
    password = StrictCharField(write_only=True, trim_whitespace=False, max_length=128)
    username = username_field(required=False)

    def validate(self, attrs):
        candidate = User(email=attrs["email"], username=attrs.get("username", ""))
        errors = _password_errors(attrs["password"], candidate)
        if errors:
            raise serializers.ValidationError({"password": errors})
        return attrs


@extend_schema_serializer(
    examples=[
        OpenApiExample("A new handle", value={"username": "ada_lovelace"}, request_only=True),
        OpenApiExample(
            "A profile's text",
            value={"display_name": "Ada Lovelace", "bio": "Poetical science.\nAnd engines."},
            request_only=True,
        ),
    ]
)
class ProfileUpdateSerializer(_UniqueIdentityMixin, serializers.Serializer):
    email = StrictEmailField(required=False, max_length=EMAIL_MAX_LENGTH)
    username = username_field(required=False)
    display_name = StrictCharField(
        required=False, allow_blank=True, trim_whitespace=False, max_length=DISPLAY_NAME_MAX_LENGTH
    )
    bio = StrictCharField(
        required=False, allow_blank=True, trim_whitespace=False, max_length=BIO_MAX_LENGTH
    )

    def validate_display_name(self, value):
        return _profile_text(value, line_breaks=False)

    def validate_bio(self, value):
        return _profile_text(value, line_breaks=True)


def _profile_text(value, *, line_breaks):
    try:
        return profile_text(value, line_breaks=line_breaks)
    except ValueError as exc:
        raise serializers.ValidationError(str(exc)) from None


@extend_schema_serializer(
    examples=[
        OpenApiExample(
            "Change the password",
            value={
                "current_password": "ada-lovelace-1815",
                "new_password": "notes-by-the-translator",
            },
            request_only=True,
        )
    ]
)
class PasswordChangeSerializer(serializers.Serializer):
    current_password = StrictCharField(write_only=True, trim_whitespace=False)
    new_password = StrictCharField(write_only=True, trim_whitespace=False, max_length=128)

    def validate_current_password(self, value):
        if not self.context["user"].check_password(value):
            raise serializers.ValidationError("Current password is incorrect.")
        return value

    def validate_new_password(self, value):
        errors = _password_errors(value, self.context["user"])
        if errors:
            raise serializers.ValidationError(errors)
        return value


@extend_schema_serializer(
    examples=[
        OpenApiExample(
            "A demo account (make run)",
            value={"username": "ada", "password": "ada-lovelace-1815"},
            request_only=True,
        )
    ]
)
class LoginSerializer(serializers.Serializer):
    """A JSON login: `username` (an email or a handle) or `email`, and `password`."""

    username = StrictCharField(
        required=False, max_length=IDENTIFIER_MAX_LENGTH, help_text="Email or handle."
    )
    email = StrictCharField(required=False, max_length=IDENTIFIER_MAX_LENGTH)
    password = StrictCharField(trim_whitespace=False)
    grant_type = StrictCharField(required=False, help_text='Only "password".')
    refresh_cookie = StrictBooleanField(
        required=False,
        default=False,
        help_text="JSON only. True: the refresh token is set in an HttpOnly cookie for the auth "
        "routes, not written in the answer (for browser front ends).",
    )

    def validate_grant_type(self, value):
        if value != "password":
            raise serializers.ValidationError('Only the "password" grant type is supported.')
        return value

    def validate(self, attrs):
        if ("username" in attrs) == ("email" in attrs):
            raise serializers.ValidationError("Give exactly one of username and email.")
        attrs["identifier"] = attrs.get("username", attrs.get("email"))
        return attrs


# The form's own schema component, so that generated clients tell the form from the JSON body
# by its type (openapi-python-client, given one type for both content types, encodes a body as
# a form and labels it JSON). The view reads both with LoginSerializer.
class LoginFormSerializer(LoginSerializer):
    """The OAuth2 password form (RFC 6749 section 4.3.2): `username` (email or handle) and
    `password`, and `grant_type` if sent."""

    username = StrictCharField(max_length=IDENTIFIER_MAX_LENGTH, help_text="Email or handle.")
    # DRF leaves out a declared field set to None; the stubs do not know it.
    email = None  # type: ignore[assignment]
    refresh_cookie = None  # type: ignore[assignment]


@extend_schema_serializer(
    examples=[
        OpenApiExample(
            "The refresh_token of a login answer",
            value={"refresh_token": "paste the refresh_token of a login or refresh answer"},
            request_only=True,
        )
    ]
)
class RefreshTokenSerializer(serializers.Serializer):
    """A refresh token in the body. A body without one is read from the refresh cookie instead,
    when the request carries it (docs/API.md): the schema describes the body mode."""

    refresh_token = StrictCharField()


class TokenPairSerializer(serializers.Serializer):
    """RFC 6749 section 5.1 token response."""

    access_token = serializers.CharField()
    refresh_token = serializers.CharField(
        required=False, help_text="Absent when the refresh token is in the refresh cookie."
    )
    token_type = serializers.ChoiceField(choices=["bearer"])
    expires_in = serializers.IntegerField(help_text="Seconds until the access token expires.")
