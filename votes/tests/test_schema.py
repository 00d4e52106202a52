"""The OpenAPI schema documents POST /api/v1/votes/ as the contract describes it."""

import pytest

pytestmark = pytest.mark.django_db


def component(schema, reference):
    return schema["components"]["schemas"][reference["$ref"].rsplit("/", 1)[1]]


def test_votes_path_is_listed_once_with_the_slash(schema):
    assert "/api/v1/votes/" in schema["paths"]
    assert "/api/v1/votes" not in schema["paths"]
    assert set(schema["paths"]["/api/v1/votes/"]) == {"post"}


def test_every_status_is_documented(schema):
    responses = schema["paths"]["/api/v1/votes/"]["post"]["responses"]

    assert {"200", "201", "400", "401", "404", "409", "415", "429"} <= set(responses)
    result = component(schema, responses["201"]["content"]["application/json"]["schema"])
    assert set(result["properties"]) == {"post_id", "votes", "voted"}


def test_request_body_is_post_id_and_dir(schema):
    body = schema["paths"]["/api/v1/votes/"]["post"]["requestBody"]["content"]
    request = component(schema, body["application/json"]["schema"])

    assert set(body) == {"application/json"}
    assert set(request["required"]) == {"post_id", "dir"}
    assert request["properties"]["post_id"]["type"] == "integer"
    assert request["properties"]["dir"]["type"] == "integer"
    assert (request["properties"]["dir"]["minimum"], request["properties"]["dir"]["maximum"]) == (
        0,
        1,
    )


def test_voting_needs_a_token(schema):
    assert {} not in schema["paths"]["/api/v1/votes/"]["post"]["security"]
