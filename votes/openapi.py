"""The links from a like's answers onward (core.openapi collects them).

A like leads back to its post, and from there to liking or unliking it again; not straight to
POST /votes/: Schemathesis' created-resource check (ST302) sees no parameter on that operation
(post_id is in the body) and would blame the API for an id its exploration drew.
"""

from core.openapi import link

LINKS = {
    ("/api/v1/votes/", "post", "201"): {
        "GetPost": link(
            "posts_retrieve", "The post just liked.", {"id": "$response.body#/post_id"}
        ),
    },
    ("/api/v1/votes/", "post", "200"): {
        "GetPost": link(
            "posts_retrieve",
            "The post whose like was taken back.",
            {"id": "$response.body#/post_id"},
        ),
    },
}
