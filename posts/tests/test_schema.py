"""The OpenAPI schema documents the posts routes as the contract describes them."""

import pytest

pytestmark = pytest.mark.django_db


def test_posts_paths_are_listed_once_with_the_slash(schema):
    paths = set(schema["paths"])

    assert {"/api/v1/posts/", "/api/v1/posts/{id}/"} <= paths
    assert "/api/v1/posts" not in paths
    assert "/api/v1/posts/{id}" not in paths


def test_listing_parameters_are_documented_with_their_constraints(schema):
    parameters = {p["name"]: p for p in schema["paths"]["/api/v1/posts/"]["get"]["parameters"]}

    assert set(parameters) == {
        "limit",
        "offset",
        "skip",
        "cursor",
        "q",
        "search",
        "owner",
        "published",
        "ordering",
    }
    assert parameters["limit"]["schema"]["minimum"] == 1
    assert parameters["offset"]["schema"]["minimum"] == 0
    assert parameters["skip"]["schema"]["minimum"] == 0
    assert parameters["owner"]["schema"]["type"] == "integer"
    assert parameters["search"]["schema"]["type"] == "string"
    assert set(parameters["published"]["schema"]["enum"]) == {"true", "false"}
    assert set(parameters["ordering"]["schema"]["items"]["enum"]) == {
        "published_at",
        "-published_at",
        "created_at",
        "-created_at",
        "votes",
        "-votes",
    }


def test_every_status_is_documented(schema):
    operations = {
        ("/api/v1/posts/", "get"): {"200", "400", "401", "429"},
        ("/api/v1/posts/", "post"): {"201", "400", "401", "415", "429"},
        ("/api/v1/posts/{id}/", "get"): {"200", "401", "404", "429"},
        ("/api/v1/posts/{id}/", "put"): {"200", "400", "401", "403", "404", "415", "429"},
        ("/api/v1/posts/{id}/", "patch"): {"200", "400", "401", "403", "404", "415", "429"},
        ("/api/v1/posts/{id}/", "delete"): {"204", "401", "403", "404", "429"},
    }

    for (path, method), statuses in operations.items():
        assert statuses <= set(schema["paths"][path][method]["responses"]), (path, method)


def test_list_answers_a_page_of_posts(schema):
    ok = schema["paths"]["/api/v1/posts/"]["get"]["responses"]["200"]
    page = schema["components"]["schemas"][
        ok["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[1]
    ]

    assert set(page["properties"]) == {"count", "next", "previous", "results"}


def test_post_representation(schema):
    post = schema["components"]["schemas"]["Post"]
    request = schema["components"]["schemas"]["PostRequest"]

    assert set(post["properties"]) == {
        "id",
        "title",
        "content",
        "published",
        "created_at",
        "updated_at",
        "published_at",
        "owner",
        "votes",
        "voted",
        "comments_count",
    }
    assert set(request["properties"]) == {"title", "content", "published"}
    assert set(request["required"]) == {"title", "content"}
    assert request["properties"]["title"]["maxLength"] == 255
    assert request["properties"]["content"]["maxLength"] == 20000


def test_reading_is_open_and_writing_needs_a_token(schema):
    posts = schema["paths"]["/api/v1/posts/"]

    assert {} in posts["get"]["security"]
    assert {} not in posts["post"]["security"]
