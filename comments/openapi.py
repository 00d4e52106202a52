"""The links to a post's comments from a post's answers, and from a comment's answers onward
(core.openapi collects them)."""

from core.openapi import link
from posts.openapi import post_link

# The id in an answer: the post's in a post's answers, the comment's in a comment's.
_ID = {"id": "$response.body#/id"}


def _comments_of_post(what: str) -> dict:
    return {
        "CommentOnPost": link("posts_comments_create", f"Comment on the post just {what}.", _ID),
        "ListComments": link("posts_comments_list", f"The comments of the post just {what}.", _ID),
    }


def _comment(what: str) -> dict:
    return {
        "GetComment": link("comments_retrieve", f"The comment just {what}.", _ID),
        "UpdateComment": link("comments_partial_update", f"Change the comment just {what}.", _ID),
        "DeleteComment": link("comments_destroy", f"Delete the comment just {what}.", _ID),
        "GetPost": post_link("The post it is on.", "$response.body#/post_id"),
    }


LINKS = {
    ("/api/v1/posts/", "post", "201"): _comments_of_post("written"),
    ("/api/v1/posts/{id}/", "get", "200"): _comments_of_post("read"),
    ("/api/v1/posts/{id}/comments/", "post", "201"): _comment("written"),
    ("/api/v1/comments/{id}/", "get", "200"): _comment("read"),
    ("/api/v1/comments/{id}/", "patch", "200"): _comment("changed"),
}
