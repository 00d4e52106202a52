from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import (
    SpectacularAPIView,
    SpectacularRedocView,
    SpectacularSwaggerSplitView,
)

from core.views import health

api_v1 = [
    path("", include("accounts.urls")),
    path("", include("relationships.urls")),
    path("", include("posts.urls")),
    path("", include("votes.urls")),
    path("", include("comments.urls")),
]

urlpatterns = [
    path("api/v1/", include(api_v1)),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    # The split view serves Swagger UI's start-up script as a file, not inline (CSP).
    path(
        "api/docs/",
        SpectacularSwaggerSplitView.as_view(
            url_name="schema", template_name="docs/swagger_ui.html"
        ),
        name="swagger-ui",
    ),
    path(
        "api/redoc/",
        SpectacularRedocView.as_view(url_name="schema", template_name="docs/redoc.html"),
        name="redoc",
    ),
    path("health/", health, name="health"),
    path("admin/", admin.site.urls),
]

# A bug answers JSON on every path (under /api/, ApiErrorsAsJsonMiddleware makes the rest JSON).
handler500 = "core.views.server_error"
