"""Agora's admin site: its own name, and a login limited like the API's."""

from django.contrib import admin
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.hashers import make_password
from django.core.exceptions import ValidationError

from accounts.throttles import AccountLoginLimit, login_retry_after
from core.exceptions import Busy


class AdminLoginForm(AdminAuthenticationForm):
    """The admin login: by email or handle, counted against the API's login limits."""

    retry_after = None
    status = None

    def __init__(self, request=None, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        self.fields["username"].label = "Email or handle"

    def clean(self):
        # Counted before the password is checked: over a limit, even the right one is refused.
        self.retry_after = login_retry_after(self.request)
        if self.retry_after is not None:
            self.status = 429
            raise ValidationError(
                "Too many login attempts. Try again in %(seconds)d seconds.",
                code="throttled",
                params={"seconds": self.retry_after},
            )
        if AccountLoginLimit().reached(self.request):
            make_password(self.cleaned_data.get("password") or "")
            raise self.get_invalid_login_error()
        try:
            return super().clean()
        except Busy as busy:
            self.status, self.retry_after = 503, busy.retry_after
            raise ValidationError(busy.message, code="busy") from None


class AdminSite(admin.AdminSite):
    site_header = "Agora administration"
    site_title = "Agora admin"
    index_title = "Moderation"
    login_form = AdminLoginForm

    def login(self, request, extra_context=None):
        response = super().login(request, extra_context)
        form = getattr(response, "context_data", {}).get("form")
        if isinstance(form, AdminLoginForm) and form.status is not None:
            response.status_code = form.status
            response["Retry-After"] = str(form.retry_after)
        return response
