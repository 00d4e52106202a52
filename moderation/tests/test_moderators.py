"""The Moderators group: made by a migration, it sees in the admin only what moderation needs,
and can moderate it, and nothing else."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from accounts.models import User
from accounts.tests.factories import UserFactory
from comments.models import Comment
from comments.tests.factories import CommentFactory
from moderation.permissions import GROUP, PERMISSIONS
from posts.tests.factories import PostFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def moderator(client):
    user = UserFactory(is_staff=True)
    user.groups.add(Group.objects.get(name=GROUP))
    client.force_login(user)
    return client


def test_the_migration_made_the_group_with_exactly_its_permissions():
    granted = {
        (p.content_type.app_label, p.codename)
        for p in Group.objects.get(name=GROUP).permissions.select_related("content_type")
    }

    assert granted == set(PERMISSIONS)


def test_the_admin_index_shows_moderation_only(moderator):
    page = moderator.get(reverse("admin:index")).content.decode()

    for shown in (
        "/admin/posts/post/",
        "/admin/comments/comment/",
        "/admin/votes/vote/",
        "/admin/relationships/follow/",
        "/admin/relationships/block/",
        "/admin/accounts/user/",
    ):
        assert shown in page
    for hidden in ("tokenfamily", "outstandingtoken", "blacklistedtoken", "/admin/auth/group/"):
        assert hidden not in page


@pytest.mark.parametrize(
    "url",
    [
        "/admin/auth/group/",
        "/admin/accounts/tokenfamily/",
        "/admin/token_blacklist/outstandingtoken/",
        "/admin/token_blacklist/blacklistedtoken/",
        "/admin/accounts/user/add/",
    ],
)
def test_token_tables_and_permission_editors_are_403(moderator, url):
    assert moderator.get(url).status_code == 403


def test_a_moderator_hides_a_comment_and_its_count_follows(moderator):
    comment = CommentFactory()

    response = moderator.post(
        reverse("admin:comments_comment_changelist"),
        {"action": "hide", "_selected_action": [comment.pk]},
    )

    assert response.status_code == 302
    comment.refresh_from_db()
    assert comment.hidden
    comment.post.refresh_from_db()
    assert comment.post.comments_count == 0


def test_a_moderator_deactivates_a_user_but_cannot_edit_one(moderator):
    target = UserFactory()
    change = reverse("admin:accounts_user_change", args=[target.pk])

    deactivated = moderator.post(
        reverse("admin:accounts_user_changelist"),
        {"action": "deactivate", "_selected_action": [target.pk]},
    )
    edited = moderator.post(
        change, {"email": target.email, "username": target.username, "is_staff": "on"}
    )
    password = moderator.get(reverse("admin:auth_user_password_change", args=[target.pk]))

    assert deactivated.status_code == 302
    target.refresh_from_db()
    assert not target.is_active
    assert edited.status_code == 403
    assert not User.objects.get(pk=target.pk).is_staff
    assert password.status_code in (403, 404)


def test_a_moderator_may_delete_a_post_with_its_likes_and_comments(moderator):
    post = PostFactory()
    CommentFactory(post=post)

    response = moderator.post(reverse("admin:posts_post_delete", args=[post.pk]), {"post": "yes"})

    assert response.status_code == 302
    assert not Comment.objects.filter(post=post).exists()
