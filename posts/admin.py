from django.contrib import admin
from django.db.models.functions import Coalesce, Now

from accounts.models import User
from core.admin import extend_admin
from posts import services
from posts.models import Post


@admin.register(Post)
class PostAdmin(admin.ModelAdmin):
    """Moderation: find posts by title or author, publish or hide them, delete them."""

    list_display = ["title", "owner", "published", "like_count", "created_at"]
    list_filter = ["published", "created_at"]
    list_select_related = ["owner"]
    search_fields = ["title", "owner__username", "owner__email"]
    ordering = ["-created_at", "-id"]
    date_hierarchy = "created_at"
    fields = ["title", "content", "published", "owner", "like_count", "created_at", "updated_at"]
    readonly_fields = ["like_count", "created_at", "updated_at"]
    # A search box for the author, instead of a drop-down of every user.
    raw_id_fields = ["owner"]
    actions = ["publish", "unpublish"]

    @admin.display(description="likes", ordering="votes")
    def like_count(self, post):
        # The API's `votes`, named in the admin for what it counts.
        return post.votes

    @admin.action(description="Publish the selected posts")
    def publish(self, request, queryset):
        # First published now, as the API would date them; published before keeps its date.
        count = queryset.update(published=True, published_at=Coalesce("published_at", Now()))
        self.message_user(request, f"Published {count} post(s).")

    @admin.action(description="Unpublish the selected posts (make them drafts)")
    def unpublish(self, request, queryset):
        count = queryset.update(published=False)
        self.message_user(request, f"Unpublished {count} post(s).")

    def delete_model(self, request, obj):
        # The service locks the post first, so a like being cast meanwhile cannot fail the delete.
        services.post_delete(post=obj)

    def delete_queryset(self, request, queryset):
        for post in queryset:
            services.post_delete(post=post)


class UserPostsAdmin:
    """The user's change page counts their posts (one query, not on the changelist)."""

    def get_activity_fields(self):
        return [*super().get_activity_fields(), "posts_written"]

    @admin.display(description="posts (drafts included)")
    def posts_written(self, user):
        return user.posts.count()


extend_admin(User, UserPostsAdmin)
