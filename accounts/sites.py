"""Agora's admin site: its own name, and a login limited like the API's."""

from django.contrib import admin
from django.contrib.admin.forms import AdminAuthenticationForm
from django.core.exceptions import ValidationError

from accounts.throttles import login_retry_after


class AdminLoginForm(AdminAuthenticationForm):
    """The admin login: by email or handle, counted against the API's login limits."""

    retry_after = None

    def __init__(self, request=None, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        self.fields["username"].label = "Email or handle"

    def clean(self):
        # Counted before the password is checked: over a limit, even the right one is refused.
        self.retry_after = login_retry_after(self.request)
        if self.retry_after is not None:
            raise ValidationError(
                "Too many login attempts. Try again in %(seconds)d seconds.",
                code="throttled",
                params={"seconds": self.retry_after},
            )
        return super().clean()


class AdminSite(admin.AdminSite):
    site_header = "Agora administration"
    site_title = "Agora admin"
    index_title = "Moderation"
    login_form = AdminLoginForm

    def login(self, request, extra_context=None):
        response = super().login(request, extra_context)
        form = getattr(response, "context_data", {}).get("form")
        if isinstance(form, AdminLoginForm) and form.retry_after is not None:
            response.status_code = 429
            response["Retry-After"] = str(form.retry_after)
        return response
