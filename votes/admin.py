from django.contrib import admin
from django.db.models import Sum

from accounts.models import User
from core.admin import extend_admin
from posts.models import Post
from votes.models import Vote


class DeletesLikesMixin:
    """For the admins of what likes belong to (users, posts).

    Django checks the delete permission of every object a deletion cascades to, so the
    read-only likes below would block deleting any liked post or any user who liked something.
    The likes go with their post or user as in the API; only deleting a like alone stays
    refused.
    """

    def get_deleted_objects(self, objs, request):
        deleted, counts, perms_needed, protected = super().get_deleted_objects(objs, request)
        perms_needed.discard(Vote._meta.verbose_name)
        return deleted, counts, perms_needed, protected


@admin.register(Vote)
class VoteAdmin(admin.ModelAdmin):
    """Likes, read-only: they change only through the API, which keeps each post's count."""

    list_display = ["user", "post", "created_at"]
    list_select_related = ["user", "post"]
    list_filter = ["created_at"]
    search_fields = ["user__username", "user__email", "post__title"]
    ordering = ["-created_at", "-id"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class UserLikesAdmin(DeletesLikesMixin):
    """The user's change page counts the likes they gave and received (one query each)."""

    def get_activity_fields(self):
        return [*super().get_activity_fields(), "likes_given", "likes_received"]

    @admin.display(description="likes given")
    def likes_given(self, user):
        return user.votes.count()

    @admin.display(description="likes received")
    def likes_received(self, user):
        return user.posts.aggregate(total=Sum("votes"))["total"] or 0


extend_admin(User, UserLikesAdmin)
extend_admin(Post, DeletesLikesMixin)
