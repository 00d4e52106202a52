from rest_framework import permissions


class IsAuthor(permissions.BasePermission):
    """Only its author may change a comment."""

    message = "Only the author may change this comment."

    def has_object_permission(self, request, view, obj):
        return obj.author_id == request.user.id


class IsAuthorOrPostOwner(permissions.BasePermission):
    """Its author, or the owner of the post it is on, may delete a comment."""

    message = "Only the author, or the owner of the post, may delete this comment."

    def has_object_permission(self, request, view, obj):
        return request.user.id in (obj.author_id, obj.post_owner_id)
