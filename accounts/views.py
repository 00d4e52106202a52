from collections.abc import Mapping

from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, parsers, permissions, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from accounts import selectors, services
from accounts.authentication import BearerAuthentication
from accounts.cookies import clear_refresh_cookie, refresh_token_from_cookie, set_refresh_cookie
from accounts.models import User
from accounts.serializers import (
    PROFILE_ROWS,
    LoginFormSerializer,
    LoginSerializer,
    PasswordChangeSerializer,
    PrivateUserSerializer,
    ProfileUpdateSerializer,
    PublicUserSerializer,
    RefreshTokenSerializer,
    SignUpSerializer,
    TokenPairSerializer,
)
from accounts.throttles import (
    AccountLoginLimit,
    LoginIdentifierThrottle,
    LoginIPThrottle,
    PasswordChangeThrottle,
    SignUpThrottle,
)
from accounts.tokens import UserGone
from core.idempotency import idempotent
from core.openapi import IDEMPOTENCY_KEY, error_responses, idempotent_responses
from core.params import ID_PATTERN
from core.parsers import JSONParser
from core.responses import created
from core.throttling import UserRateThrottle

NO_STORE = {"Cache-Control": "no-store", "Pragma": "no-cache"}


@extend_schema_view(
    create=extend_schema(
        summary="Sign up",
        request=SignUpSerializer,
        parameters=[IDEMPOTENCY_KEY],
        responses={
            201: PrivateUserSerializer,
            **error_responses(400, 401, 415, 429),
            **idempotent_responses(),
        },
    ),
    retrieve=extend_schema(
        summary="A user's profile",
        responses={200: PublicUserSerializer, **error_responses(401, 404, 429)},
    ),
    by_handle=extend_schema(
        summary="A user's profile, found by handle",
        responses={200: PublicUserSerializer, **error_responses(401, 404, 429)},
    ),
)
@extend_schema(tags=["users"])
class UserViewSet(mixins.CreateModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    queryset = User.objects.filter(is_active=True)
    serializer_class = PublicUserSerializer
    lookup_value_regex = ID_PATTERN

    def get_permissions(self):
        if self.action in ("me", "password"):
            return [permissions.IsAuthenticated()]
        return [permissions.AllowAny()]

    def get_throttles(self):
        throttles = super().get_throttles()
        if self.action in ("create", "me"):
            throttles.append(SignUpThrottle())
        return throttles

    def retrieve(self, request, pk):
        row = selectors.profile(reader=request.user, user_id=int(pk))
        return Response(PROFILE_ROWS.render(row))

    @action(detail=False, methods=["get"], url_path=r"by-handle/(?P<username>[^/]+)")
    def by_handle(self, request, username):
        row = selectors.profile(reader=request.user, username=username)
        return Response(PROFILE_ROWS.render(row))

    @idempotent
    def create(self, request, *args, **kwargs):
        serializer = SignUpSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        user = services.user_create(**serializer.validated_data)
        return created(request, PrivateUserSerializer(user).data, f"/api/v1/users/{user.pk}/")

    def get_account(self):
        """The caller's whole row: authentication loads only what it checks (accounts.tokens).
        Gone since (a deletion committed while this request was under way): a 401."""
        user = User.objects.filter(pk=self.request.user.pk).first()
        if user is None:
            raise UserGone
        return user

    @extend_schema(
        methods=["GET"],
        summary="Your own account",
        responses={200: PrivateUserSerializer, **error_responses(401, 429)},
    )
    @extend_schema(
        methods=["PATCH"],
        summary="Change your handle, email, display name or bio",
        request=ProfileUpdateSerializer,
        responses={200: PrivateUserSerializer, **error_responses(400, 401, 415, 429)},
    )
    @extend_schema(
        methods=["DELETE"],
        summary="Delete your account, with its posts, likes, comments, follows and blocks",
        responses={204: None, **error_responses(401, 429)},
    )
    @action(detail=False, methods=["get", "patch", "delete"])
    def me(self, request):
        user = self.get_account()
        if request.method == "DELETE":
            services.user_delete(user=user)
            return Response(status=status.HTTP_204_NO_CONTENT)
        if request.method == "PATCH":
            serializer = ProfileUpdateSerializer(instance=user, data=request.data, partial=True)
            serializer.is_valid(raise_exception=True)
            user = services.user_update(user=user, **serializer.validated_data)
        return Response(PrivateUserSerializer(user).data)

    @extend_schema(
        summary="Change your password (revokes every token issued before)",
        request=PasswordChangeSerializer,
        responses={204: None, **error_responses(400, 401, 415, 429)},
    )
    @action(
        detail=False,
        methods=["post"],
        url_path="me/password",
        throttle_classes=[UserRateThrottle, PasswordChangeThrottle],
    )
    def password(self, request):
        user = self.get_account()
        serializer = PasswordChangeSerializer(data=request.data, context={"user": user})
        serializer.is_valid(raise_exception=True)
        services.user_change_password(
            user=user, new_password=serializer.validated_data["new_password"]
        )
        return Response(status=status.HTTP_204_NO_CONTENT)


@extend_schema(tags=["auth"], auth=[])
class AuthViewSet(viewsets.ViewSet):
    """Login, refresh and logout. Any `Authorization` header is ignored here (Swagger UI sends
    HTTP Basic client credentials with its password flow)."""

    authentication_classes = []
    permission_classes = [permissions.AllowAny]

    def get_authenticate_header(self, request):
        # Answer bad credentials and bad refresh tokens with 401, not DRF's 403.
        return BearerAuthentication().authenticate_header(request)

    @extend_schema(
        summary="Log in (OAuth2 password form or JSON)",
        request={
            "application/x-www-form-urlencoded": LoginFormSerializer,
            "application/json": LoginSerializer,
        },
        responses={200: TokenPairSerializer, **error_responses(400, 401, 415, 429)},
    )
    @action(
        detail=False,
        methods=["post"],
        parser_classes=[JSONParser, parsers.FormParser],
        throttle_classes=[LoginIPThrottle, LoginIdentifierThrottle],
    )
    def login(self, request):
        serializer = LoginSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        pair = services.user_log_in(
            identifier=serializer.validated_data["identifier"],
            password=serializer.validated_data["password"],
            account_limit_reached=AccountLoginLimit().reached(request),
        )
        return _token_answer(request, pair, cookie=serializer.validated_data["refresh_cookie"])

    @extend_schema(
        summary="Rotate a refresh token for a new pair",
        request=RefreshTokenSerializer,
        responses={200: TokenPairSerializer, **error_responses(400, 401, 403, 415, 429)},
    )
    @action(detail=False, methods=["post"])
    def refresh(self, request):
        raw_token, from_cookie = _sent_refresh_token(request)
        pair = services.token_refresh(raw_token=raw_token)
        return _token_answer(request, pair, cookie=from_cookie)

    @extend_schema(
        summary="Log out: revoke a refresh token",
        request=RefreshTokenSerializer,
        responses={
            204: OpenApiResponse(description="Revoked."),
            **error_responses(400, 401, 403, 415, 429),
        },
    )
    @action(detail=False, methods=["post"])
    def logout(self, request):
        raw_token, from_cookie = _sent_refresh_token(request)
        services.token_revoke(raw_token=raw_token)
        response = Response(status=status.HTTP_204_NO_CONTENT)
        if from_cookie:
            clear_refresh_cookie(response)
        return response


def _sent_refresh_token(request) -> tuple[str, bool]:
    """The refresh token of the body, else of the refresh cookie (CSRF-checked): the token,
    and whether it came from the cookie."""
    body = request.data
    if isinstance(body, Mapping) and "refresh_token" not in body:
        from_cookie = refresh_token_from_cookie(request._request)
        if from_cookie is not None:
            return from_cookie, True
    serializer = RefreshTokenSerializer(data=body)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data["refresh_token"], False


def _token_answer(request, pair, *, cookie: bool) -> Response:
    """The token pair, or with `cookie` the pair less its refresh token, which goes in the
    refresh cookie."""
    if not cookie:
        return Response(pair, headers=NO_STORE)
    body = {name: value for name, value in pair.items() if name != "refresh_token"}
    response = Response(body, headers=NO_STORE)
    set_refresh_cookie(request._request, response, pair["refresh_token"])
    return response
