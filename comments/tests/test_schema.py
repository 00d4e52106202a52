"""The OpenAPI schema documents the comments routes as the contract describes them."""

import pytest

pytestmark = pytest.mark.django_db

POST_COMMENTS = "/api/v1/posts/{id}/comments/"
COMMENT = "/api/v1/comments/{id}/"


def component(schema, reference):
    return schema["components"]["schemas"][reference["$ref"].rsplit("/", 1)[1]]


def test_comment_paths_are_listed_once_with_the_slash(schema):
    paths = set(schema["paths"])

    assert {POST_COMMENTS, COMMENT} <= paths
    assert "/api/v1/posts/{id}/comments" not in paths
    assert "/api/v1/comments/{id}" not in paths
    assert set(schema["paths"][POST_COMMENTS]) == {"get", "post"}
    assert set(schema["paths"][COMMENT]) == {"get", "patch", "delete"}


def test_every_status_is_documented(schema):
    operations = {
        (POST_COMMENTS, "get"): {"200", "400", "401", "404", "429", "503"},
        (POST_COMMENTS, "post"): {"201", "400", "401", "403", "404", "413", "415", "429", "503"},
        (COMMENT, "get"): {"200", "401", "404", "429", "503"},
        (COMMENT, "patch"): {"200", "400", "401", "403", "404", "413", "415", "429", "503"},
        (COMMENT, "delete"): {"204", "401", "403", "404", "429", "503"},
    }

    for (path, method), statuses in operations.items():
        operation = schema["paths"][path][method]
        assert statuses <= set(operation["responses"]), (path, method)
        assert operation["tags"] == ["comments"]


def test_a_new_comment_s_location_is_documented(schema):
    created = schema["paths"][POST_COMMENTS]["post"]["responses"]["201"]

    assert created["headers"]["Location"]["required"] is True


def test_the_list_is_a_cursor_page_of_comments(schema):
    listing = schema["paths"][POST_COMMENTS]["get"]
    ok = listing["responses"]["200"]["content"]["application/json"]["schema"]
    page = component(schema, ok)
    parameters = {p["name"]: p for p in listing["parameters"]}

    assert set(page["properties"]) == {"next", "previous", "results"}
    assert page["properties"]["results"]["items"] == {"$ref": "#/components/schemas/Comment"}
    assert set(parameters) == {"id", "cursor", "limit"}
    assert parameters["limit"]["schema"]["minimum"] == 1
    assert parameters["id"]["schema"]["pattern"] == "^[0-9]+$"


def test_comment_representation(schema):
    comment = schema["components"]["schemas"]["Comment"]
    request = schema["components"]["schemas"]["CommentRequest"]
    author = component(schema, comment["properties"]["author"]["allOf"][0])

    assert set(comment["properties"]) == {
        "id",
        "post_id",
        "content",
        "created_at",
        "updated_at",
        "author",
    }
    assert set(author["properties"]) == {"id", "username"}
    assert set(request["properties"]) == {"content"}
    assert request["required"] == ["content"]
    assert request["properties"]["content"]["maxLength"] == 2000
    assert request["properties"]["content"]["minLength"] == 1


def test_answers_carry_a_realistic_example(schema):
    example = schema["paths"][COMMENT]["get"]["responses"]["200"]["content"]["application/json"][
        "examples"
    ]

    value = next(iter(example.values()))["value"]
    assert set(value) == {"id", "post_id", "content", "created_at", "updated_at", "author"}


def test_reading_is_open_and_writing_needs_a_token(schema):
    assert {} in schema["paths"][POST_COMMENTS]["get"]["security"]
    assert {} in schema["paths"][COMMENT]["get"]["security"]
    assert {} not in schema["paths"][POST_COMMENTS]["post"]["security"]
    assert {} not in schema["paths"][COMMENT]["patch"]["security"]
    assert {} not in schema["paths"][COMMENT]["delete"]["security"]


def test_posts_and_comments_link_to_each_other(schema):
    written = schema["paths"]["/api/v1/posts/"]["post"]["responses"]["201"]["links"]
    commented = schema["paths"][POST_COMMENTS]["post"]["responses"]["201"]["links"]

    assert written["CommentOnPost"]["operationId"] == "posts_comments_create"
    assert commented["GetComment"]["operationId"] == "comments_retrieve"
    assert commented["GetPost"]["parameters"] == {"id": "$response.body#/post_id"}
