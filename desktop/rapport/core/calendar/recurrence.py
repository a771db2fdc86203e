"""Expanding recurring events safely with recurring-ical-events, only inside a window.

A rule is checked before it reaches the rule engine: dateutil walks from DTSTART period by
period and never stops while a rule matches nothing (``FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30``
runs to the year 9999), so rules that cannot occur, repeat more than daily or would walk
too far are not expanded. A deadline guards whatever those checks miss.
"""

from __future__ import annotations

import ctypes
import math
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime

from rapport.core.calendar.ics_values import Moment

_PERIOD_DAYS = {"DAILY": 1, "WEEKLY": 7, "MONTHLY": 30.44, "YEARLY": 365.25}
# Relative cost of one period in dateutil (a year builds and filters 366 days).
_PERIOD_WEIGHT = {"DAILY": 1.0, "WEEKLY": 1.0, "MONTHLY": 2.0, "YEARLY": 8.0}
_SUB_DAILY = frozenset({"SECONDLY", "MINUTELY", "HOURLY"})
_KNOWN_PARTS = frozenset(
    {
        "FREQ",
        "INTERVAL",
        "COUNT",
        "UNTIL",
        "WKST",
        "BYDAY",
        "BYMONTH",
        "BYMONTHDAY",
        "BYSETPOS",
        "BYHOUR",
        "BYMINUTE",
        "BYSECOND",
        "BYYEARDAY",
        "BYWEEKNO",
    }
)
_WEEKDAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
_MONTH_DAYS = (31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)  # February can have 29


class RuleRefused(ValueError):
    """A rule that is not expanded; the message says why, for the user."""


def _ints(value: str, low: int, high: int, what: str) -> list[int]:
    out = []
    for item in value.split(","):
        n = int(item)
        if not low <= abs(n) <= high:
            raise RuleRefused(f"{what} {n} is out of range")
        out.append(n)
    return out


def check_rule(rule: str, start: Moment, window_end: date) -> float:
    """The estimated cost of expanding ``rule`` from ``start`` to ``window_end``.

    Raises RuleRefused for a rule that never occurs, repeats more often than daily or
    uses parts Rapport does not expand.
    """
    parts: dict[str, str] = {}
    for item in rule.upper().split(";"):
        key, _, value = item.partition("=")
        if key.strip():
            parts[key.strip()] = value.strip()
    freq = parts.get("FREQ", "")
    if freq in _SUB_DAILY:
        raise RuleRefused("it repeats more often than daily")
    if freq not in _PERIOD_DAYS:
        raise RuleRefused("its RRULE has no valid FREQ")
    unknown = set(parts) - _KNOWN_PARTS
    if unknown:
        raise RuleRefused(f"its RRULE uses {', '.join(sorted(unknown))[:40]}")
    try:
        interval = int(parts.get("INTERVAL", "1") or "1")
        if not 1 <= interval <= 100_000:
            raise RuleRefused("its INTERVAL is out of range")
        months = _ints(parts["BYMONTH"], 1, 12, "BYMONTH") if "BYMONTH" in parts else []
        monthdays = _ints(parts["BYMONTHDAY"], 1, 31, "BYMONTHDAY") if "BYMONTHDAY" in parts else []
        for name, high in (("BYHOUR", 23), ("BYMINUTE", 59), ("BYSECOND", 60)):
            if name in parts:
                hits = _ints(parts[name], 0, high, name)
                if any(n < 0 for n in hits):
                    raise RuleRefused(f"{name} is negative")
        if "BYSETPOS" in parts:
            _ints(parts["BYSETPOS"], 1, 366, "BYSETPOS")
        if "BYYEARDAY" in parts or "BYWEEKNO" in parts:
            if months or monthdays or (freq != "YEARLY" and "BYWEEKNO" in parts):
                raise RuleRefused("its RRULE combines day-of-year or week rules")
            if "BYYEARDAY" in parts:
                _ints(parts["BYYEARDAY"], 1, 366, "BYYEARDAY")
            if "BYWEEKNO" in parts:
                _ints(parts["BYWEEKNO"], 1, 53, "BYWEEKNO")
        weekdays = _weekdays(parts.get("BYDAY", ""), freq, bool(months))
    except ValueError as err:
        if isinstance(err, RuleRefused):
            raise
        raise RuleRefused("its RRULE has a bad value") from None
    _check_occurs(freq, interval, start, months, monthdays, weekdays)
    first = start.date() if isinstance(start, datetime) else start
    span = (window_end - first).days
    if span <= 0:
        return 0.0
    periods = span / (_PERIOD_DAYS[freq] * interval)
    return math.ceil(periods * _PERIOD_WEIGHT[freq])


def _weekdays(value: str, freq: str, by_month: bool) -> set[int]:
    out: set[int] = set()
    if not value:
        return out
    for item in value.split(","):
        item = item.strip()
        day = item[-2:]
        if day not in _WEEKDAYS:
            raise RuleRefused(f"BYDAY {item[:12]} is not a weekday")
        nth = item[:-2]
        if nth:
            n = int(nth)
            limit = 5 if freq == "MONTHLY" or by_month else 53
            if freq not in ("MONTHLY", "YEARLY") or not 1 <= abs(n) <= limit:
                raise RuleRefused(f"BYDAY {item[:12]} cannot occur")
        out.add(_WEEKDAYS.index(day))
    return out


def _check_occurs(
    freq: str,
    interval: int,
    start: Moment,
    months: list[int],
    monthdays: list[int],
    weekdays: set[int],
) -> None:
    """Refuse the combinations that never produce a date (the rule engine would not stop)."""
    if freq == "DAILY" and interval % 7 == 0 and weekdays and start.weekday() not in weekdays:
        raise RuleRefused("it never falls on the weekdays it names")
    allowed = set(months) or set(range(1, 13))
    if freq == "MONTHLY" and interval > 1:
        reachable = {(start.month - 1 + k * interval) % 12 + 1 for k in range(12)}
        allowed &= reachable
        if not allowed:
            raise RuleRefused("it never reaches the months it names")
    if freq == "YEARLY" and not months and not monthdays and not weekdays:
        allowed = {start.month}
    if monthdays and not any(abs(d) <= _MONTH_DAYS[m - 1] for m in allowed for d in monthdays):
        raise RuleRefused("it names a day its months do not have")
    leap_only = allowed == {2} and (
        (monthdays and all(abs(d) == 29 for d in monthdays))
        or (freq == "YEARLY" and not monthdays and not weekdays and start.day == 29)
    )
    step_years = interval if freq == "YEARLY" else interval // 12 if interval % 12 == 0 else 0
    if leap_only and step_years and start.year % math.gcd(step_years, 4) != 0:
        raise RuleRefused("it only falls on 29 February in years that are not leap years")


class ExpansionTimeout(BaseException):
    """Expanding recurrences ran past the deadline.

    A BaseException, like KeyboardInterrupt, so no ``except Exception`` in a library
    swallows it on its way out.
    """


_set_async_exc = ctypes.pythonapi.PyThreadState_SetAsyncExc


@contextmanager
def deadline(seconds: float) -> Iterator[None]:
    """Raise ExpansionTimeout in this thread if the code inside runs past ``seconds``.

    A watchdog timer asks the interpreter to raise in this thread (the C API behind
    thread interruption), which stops even a rule engine stuck in its own loop and costs
    nothing while the code inside is quick.
    """
    target = ctypes.c_ulong(threading.get_ident())
    fired = threading.Event()

    def fire() -> None:
        fired.set()
        _set_async_exc(target, ctypes.py_object(ExpansionTimeout))

    timer = threading.Timer(max(seconds, 0.0), fire)
    timer.daemon = True
    timer.start()
    try:
        yield
    finally:
        timer.cancel()
        timer.join()
        if fired.is_set():
            _set_async_exc(target, None)  # withdraw it if it was not delivered yet
    if fired.is_set():
        raise ExpansionTimeout()
