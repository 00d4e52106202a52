"""Idempotent creates: an Idempotency-Key replays the first answer, refuses another body, and
is scoped to its caller and route (docs/API.md, Conventions)."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from conftest import client_for
from core.idempotency import fingerprint
from core.models import IdempotencyKey
from posts.models import Post

pytestmark = pytest.mark.django_db

POSTS = "/api/v1/posts/"
BODY = {"title": "Once", "content": "Only once."}


def create(client, body=BODY, key="key-1"):
    return client.post(POSTS, body, format="json", HTTP_IDEMPOTENCY_KEY=key)


def test_the_same_key_and_body_replays_the_first_answer_and_writes_once(auth_client):
    first = create(auth_client)
    second = create(auth_client)

    assert first.status_code == second.status_code == 201
    assert second.json() == first.json()
    assert second["Location"] == first["Location"]
    assert second["Idempotency-Replayed"] == "true"
    assert not first.has_header("Idempotency-Replayed")
    assert Post.objects.count() == 1


def test_the_same_key_with_another_body_is_422(auth_client):
    create(auth_client)

    response = create(auth_client, {**BODY, "title": "Twice"})

    assert response.status_code == 422
    assert response.json() == {"detail": "This Idempotency-Key was used with another request body."}
    assert Post.objects.count() == 1


def test_a_body_with_its_keys_in_another_order_is_the_same_body(auth_client):
    create(auth_client, {"title": "Once", "content": "Only once."})

    assert create(auth_client, {"content": "Only once.", "title": "Once"}).status_code == 201
    assert Post.objects.count() == 1


def test_keys_are_scoped_to_the_caller(auth_client, other_user):
    create(auth_client)

    assert create(client_for(other_user)).json()["owner"]["id"] == other_user.pk
    assert Post.objects.count() == 2


def test_a_failed_request_keeps_nothing(auth_client):
    assert create(auth_client, {"title": "", "content": "x"}).status_code == 400

    assert create(auth_client).status_code == 201
    assert Post.objects.count() == 1


def test_without_a_key_every_create_writes(auth_client):
    auth_client.post(POSTS, BODY, format="json")
    auth_client.post(POSTS, BODY, format="json")

    assert Post.objects.count() == 2


@pytest.mark.parametrize("key", ["", "a" * 256, "with space", "caf\u00e9"])
def test_a_malformed_key_is_400(auth_client, key):
    response = auth_client.post(POSTS, BODY, format="json", HTTP_IDEMPOTENCY_KEY=key)

    assert response.status_code == 400
    assert list(response.json()) == ["Idempotency-Key"]
    assert not Post.objects.exists()


def test_a_key_sent_while_its_first_request_is_under_way_is_409(auth_client, user):
    now = timezone.now()
    IdempotencyKey.objects.create(
        caller=f"user:{user.pk}",
        route="POST post-list",
        key="key-1",
        fingerprint=fingerprint(BODY),
        created_at=now,
        expires_at=now + timedelta(hours=24),
    )

    response = create(auth_client)

    assert response.status_code == 409
    assert "in progress" in response.json()["detail"]
    assert not Post.objects.exists()


def test_a_key_left_under_way_by_a_process_that_died_is_taken_over(auth_client, user):
    long_ago = timezone.now() - timedelta(minutes=5)
    IdempotencyKey.objects.create(
        caller=f"user:{user.pk}",
        route="POST post-list",
        key="key-1",
        fingerprint=fingerprint(BODY),
        created_at=long_ago,
        expires_at=long_ago + timedelta(hours=24),
    )

    assert create(auth_client).status_code == 201


def test_after_24_hours_a_key_is_new_again_and_pruned(auth_client, settings):
    create(auth_client)
    IdempotencyKey.objects.update(expires_at=timezone.now() - timedelta(seconds=1))

    assert create(auth_client).status_code == 201
    assert Post.objects.count() == 2
    IdempotencyKey.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    call_command("prune_expired")
    assert not IdempotencyKey.objects.exists()


def test_sign_up_takes_a_key_scoped_to_the_client_address(api_client, rates):
    rates(signup="1000/min")
    body = {"email": "once@example.com", "password": "a-long-passphrase"}

    first = api_client.post("/api/v1/users/", body, format="json", HTTP_IDEMPOTENCY_KEY="s-1")
    again = api_client.post("/api/v1/users/", body, format="json", HTTP_IDEMPOTENCY_KEY="s-1")

    assert (first.status_code, again.status_code) == (201, 201)
    assert again.json() == first.json()
    assert again["Location"] == first["Location"]


def test_a_comment_takes_a_key_too(auth_client):
    post = auth_client.post(POSTS, BODY, format="json").json()
    url = f"/api/v1/posts/{post['id']}/comments/"

    first = auth_client.post(url, {"content": "Once."}, format="json", HTTP_IDEMPOTENCY_KEY="c-1")
    again = auth_client.post(url, {"content": "Once."}, format="json", HTTP_IDEMPOTENCY_KEY="c-1")
    other = auth_client.post(url, {"content": "Twice."}, format="json", HTTP_IDEMPOTENCY_KEY="c-1")

    assert (first.status_code, again.status_code, other.status_code) == (201, 201, 422)
    assert again.json() == first.json()
    assert again["Location"] == first["Location"]
