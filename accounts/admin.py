from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import BaseUserCreationForm, UserChangeForm
from django.db.models import Sum

from accounts import services
from accounts.models import User
from votes.admin import DeletesLikesMixin


class UserCreationAdminForm(BaseUserCreationForm):
    class Meta:
        model = User
        fields = ["email", "username"]


class UserChangeAdminForm(UserChangeForm):
    class Meta:
        model = User
        fields = "__all__"


def titled(list_filter, title):
    """`list_filter` shown under `title` instead of the field's verbose name."""

    class TitledListFilter(list_filter):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self.title = title

    return TitledListFilter


@admin.register(User)
class UserAdmin(DeletesLikesMixin, DjangoUserAdmin):
    form = UserChangeAdminForm
    add_form = UserCreationAdminForm
    list_display = ["username", "email", "active", "staff", "joined"]
    list_filter = [
        ("is_active", titled(admin.BooleanFieldListFilter, "active")),
        ("is_staff", titled(admin.BooleanFieldListFilter, "staff")),
        ("created_at", titled(admin.DateFieldListFilter, "joined")),
    ]
    search_fields = ["email", "username"]
    search_help_text = "Search by email or handle."
    ordering = ["-created_at"]
    readonly_fields = ["created_at", "last_login", "posts_written", "likes_given", "likes_received"]
    fieldsets = [
        (None, {"fields": ["email", "username", "password"]}),
        (
            "Permissions",
            {"fields": ["is_active", "is_staff", "is_superuser", "groups", "user_permissions"]},
        ),
        ("Dates", {"fields": ["created_at", "last_login"]}),
        ("Activity", {"fields": ["posts_written", "likes_given", "likes_received"]}),
    ]
    add_fieldsets = [
        (None, {"classes": ["wide"], "fields": ["email", "username", "password1", "password2"]})
    ]
    actions = ["deactivate", "reactivate"]

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

    # Shown on the change page only, one query each; the changelist counts nothing per row.
    @admin.display(description="posts (drafts included)")
    def posts_written(self, user):
        return user.posts.count()

    @admin.display(description="likes given")
    def likes_given(self, user):
        return user.votes.count()

    @admin.display(description="likes received")
    def likes_received(self, user):
        return user.posts.aggregate(total=Sum("votes"))["total"] or 0

    @admin.action(
        description="Deactivate selected users (no login, tokens refused at once)",
        permissions=["change"],
    )
    def deactivate(self, request, queryset):
        # Bearer auth, refresh and logout all check is_active on every request, so this alone
        # cuts off every token the users hold. Staff never lock themselves out by accident.
        if queryset.filter(pk=request.user.pk).exists():
            self.message_user(request, "You cannot deactivate yourself.", messages.WARNING)
        count = queryset.exclude(pk=request.user.pk).filter(is_active=True).update(is_active=False)
        self.message_user(request, f"Deactivated {count} user(s).", messages.SUCCESS)

    @admin.action(description="Reactivate selected users", permissions=["change"])
    def reactivate(self, request, queryset):
        count = queryset.filter(is_active=False).update(is_active=True)
        self.message_user(request, f"Reactivated {count} user(s).", messages.SUCCESS)
