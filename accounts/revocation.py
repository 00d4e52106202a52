"""Whether a token is revoked, known by every process of every server as soon as it is.

A token stands while its user's state is the one it was issued under (its `ver` claim is the
user's `token_version`, which every revocation bumps, and the user is active) and while its
login (its `fam` claim, a TokenFamily) is not revoked. The database holds both. Each request
reads them from Redis (core.shared) in one round trip, where whoever revokes writes the new
state as it writes the database, before the revoking request answers. A value in Redis only
ever replaces a smaller one: a user's state grows with `token_version`, a login goes from live
to revoked and never back. So a request that read the database just before a revocation cannot
write what it read over the revocation; and Redis can be ahead of the database, never behind
it: a revocation rolled back would leave the tokens refused until its copy expires.

Without Redis, or while it cannot be reached, each request reads the database instead (one
query): exact, everywhere. Should the revoking process alone lose Redis while others still
reach it, those others learn of the revocation when their copy expires (STATE_SECONDS).
"""

import logging
import uuid

from django.db.models import Exists, OuterRef

from accounts.models import TokenFamily, User
from core.shared import Script, Unreachable, shared_redis

logger = logging.getLogger("agora.tokens")

# How long Redis keeps a state it was given: its copy of the database's.
STATE_SECONDS = 60
# A login's state: live, or revoked (also: never existed, or expired and deleted).
LIVE, REVOKED = 0, 1
# The state of a user who was deleted: larger than any other.
USER_GONE = 2**50

# Each key takes its value only if that value is larger than the one it has (or it has none);
# the last argument is the expiry.
_RAISE = Script(
    """
for i, key in ipairs(KEYS) do
    local given = tonumber(ARGV[i])
    local held = tonumber(redis.call('GET', key))
    if held == nil or held < given then
        redis.call('SET', key, given, 'EX', ARGV[#ARGV])
    end
end
return 0
"""
)


def user_state(*, token_version: int, is_active: bool) -> int:
    """A user's tokens' state as one number that every change makes larger (a deactivation or a
    reactivation bumps `token_version` too)."""
    return 2 * token_version + int(is_active)


def valid_state(version_claim: int) -> int:
    """The user state under which a token carrying `version_claim` stands."""
    return user_state(token_version=version_claim, is_active=True)


def _user_key(user_id: int) -> str:
    return f"tokens:user:{user_id}"


def _login_key(family: uuid.UUID) -> str:
    return f"tokens:login:{family}"


def _from_database(user_id: int, family: uuid.UUID) -> tuple[int, int]:
    live = TokenFamily.objects.filter(pk=family, user=OuterRef("pk"), revoked_at=None)
    row = (
        User.objects.filter(pk=user_id)
        .values_list("token_version", "is_active", Exists(live))
        .first()
    )
    if row is None:
        return USER_GONE, REVOKED
    version, is_active, login_live = row
    return user_state(token_version=version, is_active=is_active), LIVE if login_live else REVOKED


def token_states(user_id: int, family: uuid.UUID) -> tuple[int, int]:
    """(the user's state, the login's state), as they stand now everywhere."""
    shared = shared_redis()
    if shared is not None:
        keys = [_user_key(user_id), _login_key(family)]
        try:
            user_state, login_state = shared.get_many(keys)
            if user_state is not None and login_state is not None:
                return int(user_state), int(login_state)
            states = _from_database(user_id, family)
            shared.run(_RAISE, keys, [*states, STATE_SECONDS])
            return states
        except Unreachable:
            pass
    return _from_database(user_id, family)


def _publish(keys: list[str], values: list[int]) -> None:
    shared = shared_redis()
    if shared is None or not keys:
        return
    try:
        shared.run(_RAISE, keys, [*values, STATE_SECONDS])
    except Unreachable:
        logger.warning(
            "A revocation could not reach Redis: processes that still reach it learn of it "
            "within %d s.",
            STATE_SECONDS,
        )


def publish_users(states: dict[int, int]) -> None:
    """Tell every process the new states of these users ({id: state})."""
    _publish([_user_key(user_id) for user_id in states], list(states.values()))


def publish_revoked_logins(*families: uuid.UUID) -> None:
    """Tell every process these logins are revoked."""
    _publish([_login_key(family) for family in families], [REVOKED] * len(families))
