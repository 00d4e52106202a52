"""What names an account: its email, in one normal form per mailbox, and its public handle, which
must not pass for a reserved name or for someone else's handle."""

import re
import unicodedata
from collections.abc import Iterator
from functools import cache

from confusable_homoglyphs.confusables import confusables_data
from email_validator import EmailNotValidError, validate_email

EMAIL_MAX_LENGTH = 254
# What a login may name an account by: an email or a handle, so never longer than an email.
IDENTIFIER_MAX_LENGTH = EMAIL_MAX_LENGTH

# A profile's free text: its display name and its bio.
DISPLAY_NAME_MAX_LENGTH = 50
BIO_MAX_LENGTH = 500
INVISIBLE_MESSAGE = "Remove the control or invisible characters."
USERNAME_MIN_LENGTH = 3
USERNAME_MAX_LENGTH = 30
# Letters, digits, underscores and dots, at least one of them a letter or a digit ("..." names
# nobody). The length is checked on its own (minLength and maxLength in the schema).
USERNAME_PATTERN = r"^[_.]*[A-Za-z0-9][A-Za-z0-9_.]*$"
USERNAME_MESSAGE = (
    f"Use {USERNAME_MIN_LENGTH} to {USERNAME_MAX_LENGTH} characters: letters, digits, underscore "
    "or dot, with at least one letter or digit."
)
RESERVED_MESSAGE = "This handle is reserved; choose another."
LOOKS_TAKEN_MESSAGE = "This handle looks too much like an existing one; choose another."
# Derived handles leave room for a suffix of four digits.
_DERIVED_BASE_MAX = 26

# Handles that would pass for the service or its staff. Staff may still be given one by an
# operator (createsuperuser, the admin); sign-up and handle changes refuse them, and anything
# that looks like them.
RESERVED_HANDLES = frozenset(
    [
        "abuse",
        "account",
        "accounts",
        "admin",
        "administrator",
        "agora",
        "api",
        "auth",
        "billing",
        "bot",
        "help",
        "hostmaster",
        "info",
        "login",
        "logout",
        "mail",
        "moderation",
        "moderator",
        "moderators",
        "noreply",
        "null",
        "official",
        "postmaster",
        "root",
        "security",
        "settings",
        "signup",
        "staff",
        "support",
        "sysadmin",
        "system",
        "team",
        "undefined",
        "webmaster",
        "www",
    ]
)


def normalize_email(value: str) -> str:
    """The one form of a mailbox's address: its domain in Unicode (an IDNA `xn--` name and its
    Unicode spelling are one domain), lower-cased whole. Raises ValueError, saying why, for
    what is not a plain mailbox address (quoted local parts and address literals included)."""
    try:
        address = validate_email(value, check_deliverability=False, allow_smtputf8=False)
    except EmailNotValidError as exc:
        raise ValueError(str(exc)) from None
    normalized: str = address.normalized
    return normalized.lower()


def profile_text(value: str, *, line_breaks: bool) -> str:
    """A display name or a bio as stored: NFC, its ends' whitespace stripped. Raises ValueError
    (INVISIBLE_MESSAGE) for a control or format character (a bidirectional override, a
    zero-width joiner, a NUL), a private-use or unassigned one, or a lone surrogate; a bio may
    hold line breaks."""
    allowed = {"\n"} if line_breaks else set()
    for character in value:
        if character not in allowed and unicodedata.category(character)[0] == "C":
            raise ValueError(INVISIBLE_MESSAGE)
    return unicodedata.normalize("NFC", value).strip()


def normalize_identifier(value: str) -> str:
    """An email or a handle as Agora stores and compares it: an email in its normal form, a
    handle trimmed and lower-cased (what is not a valid email is compared as it is, trimmed and
    lower-cased: it names no account)."""
    value = value.strip()
    if "@" in value:
        try:
            return normalize_email(value)
        except ValueError:
            pass
    return value.lower()


@cache
def _prototypes() -> dict[str, str]:
    """Each character of the handle alphabet mapped to the string it passes for: Unicode's
    confusables data (UTS #39, as confusable_homoglyphs ships it) cut down to that alphabet,
    where it says `0` looks like `O`, `1` and `I` like `l`, and `rn` like `m`. Each group of
    look-alikes maps to one member: the longest, lower-cased."""
    alphabet = re.compile(r"[A-Za-z0-9_.]+")
    groups: dict[str, set[str]] = {}
    for source, homoglyphs in confusables_data.items():
        if not alphabet.fullmatch(source):
            continue
        for homoglyph in homoglyphs:
            if alphabet.fullmatch(homoglyph["c"]):
                group = groups.get(source, {source}) | groups.get(homoglyph["c"], {homoglyph["c"]})
                for member in group:
                    groups[member] = group
    prototypes = {}
    for member, group in groups.items():
        if len(member) == 1:
            prototypes[member] = max(group, key=lambda s: (len(s), s.lower())).lower()
    return prototypes


def handle_skeleton(handle: str) -> str:
    """What a handle looks like (UTS #39's skeleton, and letter case ignored): two handles with
    the same skeleton pass for each other. Mapped before lower-casing, so that a capital I
    still reads as a small L, and again after it, so that `M` reads as `rn` as `m` does."""
    prototypes = _prototypes()

    def mapped(text: str) -> str:
        return "".join(prototypes.get(char, char) for char in text)

    return mapped(mapped(handle).lower())


@cache
def _reserved_skeletons() -> frozenset[str]:
    return frozenset(handle_skeleton(handle) for handle in RESERVED_HANDLES)


def is_reserved(handle: str) -> bool:
    """Whether a handle is, or passes for, one of RESERVED_HANDLES."""
    return handle_skeleton(handle) in _reserved_skeletons()


def username_base_from_email(email: str) -> str:
    """The handle an email suggests: its local part, lower-cased, allowed characters only."""
    base = re.sub(r"[^a-z0-9_.]", "", email.split("@", 1)[0].lower())[:_DERIVED_BASE_MAX]
    return base if re.fullmatch(USERNAME_PATTERN, base) and len(base) >= 3 else "user"


def derived_handles(base: str) -> Iterator[str]:
    """The handles a sign-up without one may get, in order of preference: `base`, `base1`,
    `base2`, ..., the base cut short whenever the suffix would not fit (so each fits the column),
    and never a reserved one."""
    suffix = 0
    while True:
        tail = str(suffix) if suffix else ""
        candidate = base[: USERNAME_MAX_LENGTH - len(tail)] + tail
        if not is_reserved(candidate):
            yield candidate
        suffix += 1
