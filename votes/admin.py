from django.contrib import admin

from votes.models import Vote


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
