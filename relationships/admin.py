from django.contrib import admin

from relationships import services
from relationships.models import Block, Follow


class RelationshipAdmin(admin.ModelAdmin):
    """Moderation of what users do to each other: found by either user's handle, newest first,
    deleted here, never written here. A write has rules the API's services keep (the follow
    counts, the follows a block ends) that a form would skip."""

    list_filter = ["created_at"]
    ordering = ["-id"]
    search_help_text = "Search by either user's handle."

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Follow)
class FollowAdmin(RelationshipAdmin):
    """Follows, ended through relationships.services so that both users' counts stay exact."""

    list_display = ["follower", "followee", "created_at"]
    list_select_related = ["follower", "followee"]
    search_fields = ["follower__username", "followee__username"]

    def delete_model(self, request, obj):
        services.follows_delete(follows=Follow.objects.filter(pk=obj.pk))

    def delete_queryset(self, request, queryset):
        services.follows_delete(follows=queryset)


@admin.register(Block)
class BlockAdmin(RelationshipAdmin):
    """Blocks; deleting one is the blocker's unblock, which changes nothing else."""

    list_display = ["blocker", "blocked", "created_at"]
    list_select_related = ["blocker", "blocked"]
    search_fields = ["blocker__username", "blocked__username"]
