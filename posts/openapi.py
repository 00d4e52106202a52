"""The links from a post's answers onward, for clients and Schemathesis' stateful tests
(core.openapi collects them)."""

from core.openapi import link

_POST_ID = {"id": "$response.body#/id"}
_POST_ID_BODY = {"post_id": "$response.body#/id", "dir": 1}

LINKS = {
    ("/api/v1/posts/", "post", "201"): {
        "GetPost": link("posts_retrieve", "The post just written.", _POST_ID),
        "ReplacePost": link("posts_update", "Replace the post just written.", _POST_ID),
        "UpdatePost": link("posts_partial_update", "Change the post just written.", _POST_ID),
        "DeletePost": link("posts_destroy", "Delete the post just written.", _POST_ID),
        "LikePost": link("votes_create", "Like the post just written.", body=_POST_ID_BODY),
        "ListOwnerPosts": link(
            "posts_list", "The feed of the post's owner.", {"owner": "$response.body#/owner/id"}
        ),
    },
    ("/api/v1/posts/{id}/", "get", "200"): {
        "LikePost": link(
            "votes_create",
            "Like the post just read.",
            body={"post_id": "$response.body#/id", "dir": 1},
            replace_body=True,
        ),
        "UnlikePost": link(
            "votes_create",
            "Take back the like of the post just read.",
            body={"post_id": "$response.body#/id", "dir": 0},
            replace_body=True,
        ),
        "UpdatePost": link("posts_partial_update", "Change the post just read.", _POST_ID),
    },
    ("/api/v1/posts/{id}/", "patch", "200"): {
        "GetPost": link("posts_retrieve", "The post just changed.", _POST_ID),
        "LikePost": link("votes_create", "Like the post just changed.", body=_POST_ID_BODY),
    },
}
