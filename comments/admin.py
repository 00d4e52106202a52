from django.contrib import admin
from django.utils.text import Truncator

from accounts.models import User
from comments import services
from comments.models import Comment
from core.admin import extend_admin


@admin.register(Comment)
class CommentAdmin(admin.ModelAdmin):
    """Moderation: find comments by content, author or post; hide them, show them again, delete
    them. Each of these goes through comments.services, which keeps the posts' counts exact."""

    list_display = ["excerpt", "author", "post", "hidden", "created_at"]
    list_select_related = ["author", "post"]
    list_filter = ["hidden", "created_at"]
    search_fields = ["content", "author__username", "author__email", "post__title"]
    search_help_text = "Search by content, author (handle or email) or post title."
    ordering = ["-created_at", "-id"]
    date_hierarchy = "created_at"
    fields = ["post", "author", "content", "hidden", "created_at", "updated_at"]
    # Whether a comment is hidden changes through the actions, which move the post's count with
    # it; its post and author never change.
    readonly_fields = ["post", "author", "hidden", "created_at", "updated_at"]
    actions = ["hide", "show_again"]

    def has_add_permission(self, request):
        # Comments are written through the API, which checks visibility and blocks and counts
        # them.
        return False

    @admin.display(description="comment")
    def excerpt(self, comment):
        return Truncator(comment.content).chars(80)

    @admin.action(description="Hide the selected comments", permissions=["change"])
    def hide(self, request, queryset):
        count = services.comments_hide(comments=queryset)
        self.message_user(request, f"Hid {count} comment(s).")

    @admin.action(description="Show the selected comments again", permissions=["change"])
    def show_again(self, request, queryset):
        count = services.comments_show(comments=queryset)
        self.message_user(request, f"Showed {count} comment(s) again.")

    def delete_model(self, request, obj):
        services.comments_delete(comments=Comment.objects.filter(pk=obj.pk))

    def delete_queryset(self, request, queryset):
        services.comments_delete(comments=queryset)


class UserCommentsAdmin:
    """The user's change page counts the comments they wrote (one query)."""

    def get_activity_fields(self):
        return [*super().get_activity_fields(), "comments_written"]

    @admin.display(description="comments (hidden included)")
    def comments_written(self, user):
        return user.comments.count()


extend_admin(User, UserCommentsAdmin)
