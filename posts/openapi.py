"""The links from a post's answers onward, for clients and Schemathesis' stateful tests
(core.openapi collects them)."""

from core.openapi import link

_POST_ID = {"id": "$response.body#/id"}


def post_link(description: str, id_at: str = "$response.body#/id") -> dict:
    """A link to the post an answer names, at `id_at` of the answer."""
    return link("posts_retrieve", description, {"id": id_at})


LINKS = {
    ("/api/v1/posts/", "post", "201"): {
        "GetPost": post_link("The post just written."),
        "ReplacePost": link("posts_update", "Replace the post just written.", _POST_ID),
        "UpdatePost": link("posts_partial_update", "Change the post just written.", _POST_ID),
        "DeletePost": link("posts_destroy", "Delete the post just written.", _POST_ID),
        "ListOwnerPosts": link(
            "posts_list", "The feed of the post's owner.", {"owner": "$response.body#/owner/id"}
        ),
    },
    ("/api/v1/posts/{id}/", "get", "200"): {
        "UpdatePost": link("posts_partial_update", "Change the post just read.", _POST_ID),
    },
    ("/api/v1/posts/{id}/", "patch", "200"): {
        "GetPost": post_link("The post just changed."),
    },
}
