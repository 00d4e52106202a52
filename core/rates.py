"""Rate strings, as the settings and the throttles read them: `<count>/<period>`.

DRF's own reading takes the first letter of the period only (`5/min`, `20/hour`); here the period
may also carry a number of its units, as services state their limits (`5/30m`: five per half an
hour). The settings check their rates as they load (`configured_rate`), not on a first request.
"""

import re

from django.core.exceptions import ImproperlyConfigured

_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
_RATE = re.compile(
    r"(?P<count>[0-9]+)/(?P<number>[0-9]*)(?P<unit>s|sec|second|m|min|minute|h|hour|d|day)s?"
)


def parse_rate(rate: str) -> tuple[int, int]:
    """(requests allowed, seconds of the window) of a rate string; ValueError if it is not one."""
    match = _RATE.fullmatch(rate)
    number = int(match["number"] or 1) if match else 0
    if not match or number == 0:
        raise ValueError(
            f"{rate!r} is not a rate: write <count>/<period>, the period in s, m, h or d, "
            "optionally with a number of them (20/min, 5/30m)."
        )
    return int(match["count"]), number * _UNITS[match["unit"][0]]


def configured_rate(name: str, rate: str) -> str:
    """`rate`, the value of the setting `name`, if it is a rate; the settings stop otherwise."""
    try:
        parse_rate(rate)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name}: {exc}") from None
    return rate
