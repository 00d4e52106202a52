"""Follows and blocks, with each user's follow counts kept equal to their Follow rows.

Every write locks the rows of the two users it concerns, in id order, before anything else: two
writes about the same pair (fifty copies of one follow, a follow racing a block) take turns,
and the second sees what the first did. The deletion of an account takes the same locks
(`follows_end_all`), so that no follow of the user can commit while their counts are settled,
and so does a moderator's deletion of follows in the admin (`follows_delete`).
"""

from collections.abc import Set as AbstractSet

from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet

from accounts.models import User
from accounts.selectors import MAX_ID
from accounts.tokens import UserGone
from core.exceptions import Conflict, Forbidden, Invalid, NotFound
from core.locks import lock
from relationships import sql
from relationships.models import Block, Follow

BLOCKED = "You cannot do this while a block stands between you and this user."


class AlreadyFollowing(Conflict):
    message = "You already follow this user."


class NotFollowing(NotFound):
    message = "You do not follow this user."


class AlreadyBlocking(Conflict):
    message = "You already block this user."


class NotBlocking(NotFound):
    message = "You do not block this user."


class BlockStands(Forbidden):
    message = BLOCKED


def _lock_pair(user: User, other_id: int, *, self_message: str) -> None:
    """Lock both users' rows, in id order; NotFound if `other_id` names no active user, Invalid
    if it names the caller, UserGone if the caller was deleted meanwhile."""
    if not 0 < other_id <= MAX_ID:
        raise NotFound
    locked = set(
        User.objects.filter(pk__in=[user.pk, other_id], is_active=True)
        .order_by("pk")
        .select_for_update()
        .values_list("pk", flat=True)
    )
    if user.pk not in locked:
        raise UserGone
    if other_id not in locked:
        raise NotFound
    if other_id == user.pk:
        raise Invalid(self_message)


def follow(*, user: User, followee_id: int) -> None:
    """`user` follows `followee_id`. Twice is a conflict, even at once."""
    with transaction.atomic():
        _lock_pair(user, followee_id, self_message="You cannot follow yourself.")
        blocked, followed = sql.follow(follower=user.pk, followee=followee_id)
        if blocked:
            raise BlockStands
        if not followed:
            raise AlreadyFollowing


def unfollow(*, user: User, followee_id: int) -> None:
    """`user` stops following `followee_id`; NotFollowing if they did not."""
    with transaction.atomic():
        _lock_pair(user, followee_id, self_message="You cannot follow yourself.")
        _, unfollowed = sql.unfollow(follower=user.pk, followee=followee_id)
        if not unfollowed:
            raise NotFollowing


def block(*, user: User, blocked_id: int) -> None:
    """`user` blocks `blocked_id`, ending any follow between the two, both ways."""
    with transaction.atomic():
        _lock_pair(user, blocked_id, self_message="You cannot block yourself.")
        try:
            with transaction.atomic():
                Block.objects.create(blocker_id=user.pk, blocked_id=blocked_id)
        except IntegrityError:
            raise AlreadyBlocking from None
        between = Follow.objects.filter(
            Q(follower_id=user.pk, followee_id=blocked_id)
            | Q(follower_id=blocked_id, followee_id=user.pk)
        )
        pairs = list(between.values_list("follower_id", "followee_id"))
        between.delete()
        sql.count_follows(pairs, by=-1)


def unblock(*, user: User, blocked_id: int) -> None:
    """`user` no longer blocks `blocked_id`; nothing else is restored."""
    with transaction.atomic():
        _lock_pair(user, blocked_id, self_message="You cannot block yourself.")
        deleted, _ = Block.objects.filter(blocker_id=user.pk, blocked_id=blocked_id).delete()
        if not deleted:
            raise NotBlocking


def follows_end_all(*, user: User) -> None:
    """End every follow to and from `user`, ahead of deleting the account, keeping the other
    users' counts exact."""
    _end_follows(
        Follow.objects.filter(Q(follower_id=user.pk) | Q(followee_id=user.pk)), also_lock={user.pk}
    )


def follows_delete(*, follows: QuerySet[Follow]) -> int:
    """Delete `follows` (a moderator's choice, in the admin), lowering both users' counts of
    each; how many of them were still there."""
    # The follows as chosen now, by id: one that a user writes meanwhile is not among them,
    # even where it would match the same filter.
    chosen = Follow.objects.filter(pk__in=list(follows.values_list("pk", flat=True)))
    return _end_follows(chosen)


def _end_follows(follows: QuerySet[Follow], *, also_lock: AbstractSet[int] = frozenset()) -> int:
    """Delete `follows` and lower the counts they hold up; how many there were. No write may
    add to `follows` while the users they concern are locked (every follow of a user needs that
    user's lock; follows named by id gain no others).

    Locks every user the follows concern (and `also_lock`), in id order, as each follow does;
    then reads the follows again. A follow that committed in between involves a user not yet
    locked: the locks taken are let go (a savepoint rolled back releases them) and the round
    starts again, so that the locks are always taken in id order.
    """
    with transaction.atomic():
        while True:
            pairs = list(follows.values_list("follower_id", "followee_id"))
            users = set(also_lock) | {pk for pair in pairs for pk in pair}
            with transaction.atomic():
                lock(User.objects.filter(pk__in=users))
                pairs = list(follows.values_list("follower_id", "followee_id"))
                if {pk for pair in pairs for pk in pair} <= users:
                    break
                transaction.set_rollback(True)
        follows.delete()
        sql.count_follows(pairs, by=-1)
    return len(pairs)
