"""The links to a like from a post's answers, and from a like's answers onward (core.openapi
collects them).

A like leads back to its post, and from there to liking or unliking it again; not straight to
POST /votes/: Schemathesis' created-resource check (ST302) sees no parameter on that operation
(post_id is in the body) and would blame the API for an id its exploration drew.
"""

from core.openapi import link
from posts.openapi import post_link


def _vote(description: str, direction: int, *, replace_body: bool = False) -> dict:
    body = {"post_id": "$response.body#/id", "dir": direction}
    return link("votes_create", description, body=body, replace_body=replace_body)


LINKS = {
    ("/api/v1/posts/", "post", "201"): {"LikePost": _vote("Like the post just written.", 1)},
    ("/api/v1/posts/{id}/", "get", "200"): {
        "LikePost": _vote("Like the post just read.", 1, replace_body=True),
        "UnlikePost": _vote("Take back the like of the post just read.", 0, replace_body=True),
    },
    ("/api/v1/posts/{id}/", "patch", "200"): {
        "LikePost": _vote("Like the post just changed.", 1),
    },
    ("/api/v1/votes/", "post", "201"): {
        "GetPost": post_link("The post just liked.", "$response.body#/post_id"),
    },
    ("/api/v1/votes/", "post", "200"): {
        "GetPost": post_link("The post whose like was taken back.", "$response.body#/post_id"),
    },
}
