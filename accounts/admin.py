from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import AdminPasswordChangeForm, BaseUserCreationForm, UserChangeForm

from accounts import services
from accounts.models import TokenFamily, User


class UserCreationAdminForm(BaseUserCreationForm):
    class Meta:
        model = User
        fields = ["email", "username"]


class UserChangeAdminForm(UserChangeForm):
    class Meta:
        model = User
        fields = "__all__"


class PasswordChangeAdminForm(AdminPasswordChangeForm):
    """A password set by staff revokes the user's tokens, as a change through the API does."""

    def save(self, commit=True):
        self.user.revoke_tokens()
        return super().save(commit)


def titled(list_filter, title):
    """`list_filter` shown under `title` instead of the field's verbose name."""

    class TitledListFilter(list_filter):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self.title = title

    return TitledListFilter


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    form = UserChangeAdminForm
    add_form = UserCreationAdminForm
    change_password_form = PasswordChangeAdminForm
    list_display = ["username", "email", "active", "staff", "joined"]
    list_filter = [
        ("is_active", titled(admin.BooleanFieldListFilter, "active")),
        ("is_staff", titled(admin.BooleanFieldListFilter, "staff")),
        ("created_at", titled(admin.DateFieldListFilter, "joined")),
    ]
    search_fields = ["email", "username"]
    search_help_text = "Search by email or handle."
    ordering = ["-created_at"]
    readonly_fields = ["created_at", "last_login"]
    fieldsets = [
        (None, {"fields": ["email", "username", "password"]}),
        (
            "Permissions",
            {"fields": ["is_active", "is_staff", "is_superuser", "groups", "user_permissions"]},
        ),
        ("Dates", {"fields": ["created_at", "last_login"]}),
    ]
    add_fieldsets = [
        (None, {"classes": ["wide"], "fields": ["email", "username", "password1", "password2"]})
    ]
    actions = ["deactivate", "reactivate"]

    def get_activity_fields(self):
        """Read-only figures of the user's doings; the apps above accounts add theirs."""
        return []

    def get_readonly_fields(self, request, obj=None):
        return [*super().get_readonly_fields(request, obj), *self.get_activity_fields()]

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        activity = self.get_activity_fields()
        if obj is None or not activity:
            return fieldsets
        return [*fieldsets, ("Activity", {"fields": activity})]

    def save_model(self, request, obj, form, change):
        if change and "is_active" in form.changed_data and not obj.is_active:
            obj.revoke_tokens()
        super().save_model(request, obj, form, change)

    def delete_model(self, request, obj):
        # The service, not a bare delete, so that the user's likes are taken back first and
        # the like counts of other users' posts stay exact.
        services.user_delete(user=obj)

    def delete_queryset(self, request, queryset):
        for user in queryset:
            services.user_delete(user=user)

    @admin.display(description="active", boolean=True, ordering="is_active")
    def active(self, user):
        return user.is_active

    @admin.display(description="staff", boolean=True, ordering="is_staff")
    def staff(self, user):
        return user.is_staff

    @admin.display(description="joined", ordering="created_at")
    def joined(self, user):
        return user.created_at

    def has_moderate_permission(self, request):
        return request.user.has_perm("accounts.moderate_user") or self.has_change_permission(
            request
        )

    @admin.action(
        description="Deactivate selected users (no login, tokens refused at once)",
        permissions=["moderate"],
    )
    def deactivate(self, request, queryset):
        # Every token the users hold stops working at once, and for good. Staff never lock
        # themselves out by accident.
        if queryset.filter(pk=request.user.pk).exists():
            self.message_user(request, "You cannot deactivate yourself.", messages.WARNING)
        count = services.users_deactivate(users=queryset.exclude(pk=request.user.pk))
        self.message_user(request, f"Deactivated {count} user(s).", messages.SUCCESS)

    @admin.action(description="Reactivate selected users", permissions=["moderate"])
    def reactivate(self, request, queryset):
        count = services.users_reactivate(users=queryset)
        self.message_user(request, f"Reactivated {count} user(s).", messages.SUCCESS)


@admin.register(TokenFamily)
class TokenFamilyAdmin(admin.ModelAdmin):
    """Logins and their refresh-token rotations, read-only; revoked ones were replayed."""

    list_display = ["id", "user", "created_at", "revoked_at"]
    list_select_related = ["user"]
    list_filter = ["revoked_at"]
    search_fields = ["user__username", "user__email"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
