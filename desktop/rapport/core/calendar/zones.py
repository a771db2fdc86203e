"""Time zones as calendar files name them: IANA ids, Outlook's Windows names, custom VTIMEZONEs.

A TZID resolves, in this order, to a zone the system knows by that IANA id, to the IANA zone
icalendar's Windows mapping gives for an Outlook name ("W. Europe Standard Time" ->
Europe/Berlin), to the file's own VTIMEZONE, or to the IANA id at the end of a "globally
unique" TZID ("/mozilla.org/20050126_1/Europe/Berlin"). A TZID none of these explain is
read as floating time, with a warning.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from datetime import UTC, datetime, tzinfo
from zoneinfo import ZoneInfo, available_timezones

import icalendar
from icalendar.timezone.windows_to_olson import WINDOWS_TO_OLSON

UTC_NAMES = frozenset(
    {"UTC", "Etc/UTC", "Etc/UCT", "UCT", "Etc/Zulu", "Zulu", "Universal", "Etc/Universal"}
)
_NOT_ZONES = frozenset({"localtime", "Factory", "posixrules"})


_UTC = ZoneInfo("UTC")


@functools.lru_cache(maxsize=1024)
def iana_zone(name: str) -> ZoneInfo | None:
    """The zone with IANA id ``name``, or None (never raises, whatever the file says)."""
    if not name or len(name) > 80 or name in _NOT_ZONES:
        return None
    try:
        return ZoneInfo(name)
    except Exception:  # ZoneInfo raises ValueError, OSError or KeyError for odd names
        return None


def zone_or_utc(name: str) -> ZoneInfo:
    """The IANA zone ``name``, or UTC for an empty or unknown one (never raises)."""
    return iana_zone(name) or _UTC


@functools.lru_cache(maxsize=1024)
def iana_name(tzid: str) -> str:
    """The IANA id a TZID stands for without a VTIMEZONE, or "" if it names no known zone."""
    clean = tzid.strip().strip("/")
    if iana_zone(clean) is not None:
        return clean
    mapped = WINDOWS_TO_OLSON.get(clean)
    if mapped and iana_zone(mapped) is not None:
        return mapped
    return ""


def guessed_iana_name(tzid: str) -> str:
    """The IANA id at the end of a "globally unique" TZID, or ""."""
    parts = tzid.strip().strip("/").split("/")
    for first in range(1, len(parts)):
        candidate = "/".join(parts[first:])
        if iana_zone(candidate) is not None:
            return candidate
    return ""


_SAMPLES = tuple(
    datetime(year, month, day, 12)
    for year in (2026, 2027, 2028)
    for month in range(1, 13)
    for day in (1, 8, 15, 22)
)


@functools.lru_cache(maxsize=64)
def _zone_by_offsets(offsets: tuple[object, ...], hint: str) -> str:
    names = sorted(available_timezones() - _NOT_ZONES)
    # Prefer zones whose city the TZID names ("(UTC+01:00) Amsterdam, Berlin, ..."), then
    # the main zone of each Windows zone (Europe/Berlin rather than Africa/Ceuta).
    hinted = [n for n in names if n.rsplit("/", 1)[-1].replace("_", " ") in hint]
    main = sorted(set(WINDOWS_TO_OLSON.values()))
    for name in (*hinted, *main, *names):
        if "/" not in name:
            continue
        zone = iana_zone(name)
        if zone is not None and tuple(zone.utcoffset(t) for t in _SAMPLES) == offsets:
            return name
    return ""


@functools.lru_cache(maxsize=64)
def equivalent_iana_name(zone: tzinfo, tzid: str) -> str:
    """An IANA zone with the same offsets as a custom VTIMEZONE in 2026-2028, or "".

    Records carry IANA names so later code can rebuild the zone; for a custom zone any
    zone with the same rules gives the same local times.
    """
    try:
        offsets = tuple(zone.utcoffset(t) for t in _SAMPLES)
    except Exception:
        return ""
    return _zone_by_offsets(offsets, tzid)


def label(name: str) -> str:
    """The ``tzid`` stored on a record: the IANA id, or "" for UTC."""
    return "" if name in UTC_NAMES else name


def floating_zone(name: str) -> ZoneInfo:
    """The zone for floating times; ``name`` comes from the caller, so a bad one raises."""
    zone = iana_zone(iana_name(name) or name)
    if zone is None:
        raise ValueError(f"unknown time zone {name!r}")
    return zone


_RRULE_IN_ZONE = re.compile(r"\nRRULE[^:\n]*:([^\n]*)", re.IGNORECASE)
_DTSTART_IN_ZONE = re.compile(r"\nDTSTART[^:\n]*:\s*([0-9]{4})", re.IGNORECASE)
_MONTH = r"(?:[1-9]|1[0-2])"
_WEEKDAY = r"[+-]?[1-5]?(?:MO|TU|WE|TH|FR|SA|SU)"
_SAFE_MONTHDAY = r"[+-]?(?:[1-9]|1[0-9]|2[0-8])"  # days every month has
_ZONE_RULE_PART = re.compile(
    rf"FREQ=YEARLY|INTERVAL=1|WKST=[A-Z]{{2}}|BYMONTH={_MONTH}(?:,{_MONTH})*|"
    rf"BYDAY={_WEEKDAY}(?:,{_WEEKDAY})*|BYMONTHDAY={_SAFE_MONTHDAY}(?:,{_SAFE_MONTHDAY})*|"
    r"BYHOUR=(?:1?[0-9]|2[0-3])|BYMINUTE=[0-5]?[0-9]|BYSECOND=[0-5]?[0-9]|"
    r"UNTIL=[0-9]{8}(?:T[0-9]{6}Z?)?|COUNT=[0-9]{1,3}"
)


def vtimezone_is_plain(text: str) -> bool:
    """Whether a VTIMEZONE only uses the yearly rules real zones need.

    dateutil walks a zone's rules from their DTSTART on every conversion, so a rule that
    never matches, repeats more than yearly or starts in antiquity would stall the import.
    """
    if text.upper().count("BEGIN:") > 400:
        return False
    for year in _DTSTART_IN_ZONE.findall(text):
        if int(year) < 1583:
            return False
    for rule in _RRULE_IN_ZONE.findall(text):
        for part in rule.strip().upper().split(";"):
            if not _ZONE_RULE_PART.fullmatch(part):
                return False
    return True


class ZoneResolver:
    """Resolves the TZIDs of one VCALENDAR, building its VTIMEZONEs only when used."""

    def __init__(
        self,
        vtimezones: dict[str, tuple[str, int]],
        floating: tzinfo,
        floating_name: str,
        warn: Callable[[str], None],
    ) -> None:
        self._vtimezones = vtimezones  # TZID -> (component text, line)
        self.floating = floating
        self.floating_name = floating_name
        self._warn = warn
        self._cache: dict[str, tuple[tzinfo, str, bool]] = {}

    def resolve(self, tzid: str, line: int = 0) -> tuple[tzinfo, str, bool]:
        """The zone for ``tzid``, the name stored on records, and whether it is known.

        An unknown TZID gives the floating zone (and a warning naming ``line``, once).
        """
        found = self._cache.get(tzid)
        if found is None:
            found = self._resolve(tzid, line)
            self._cache[tzid] = found
        return found

    def _resolve(self, tzid: str, line: int) -> tuple[tzinfo, str, bool]:
        name = iana_name(tzid)
        if name:
            zone = iana_zone(name)
            assert zone is not None
            return zone, label(name), True
        key = tzid.strip()
        guess = guessed_iana_name(key)
        custom = self._build(key)
        if custom is not None:
            return custom, label(guess or equivalent_iana_name(custom, key) or key), True
        if guess:
            zone = iana_zone(guess)
            assert zone is not None
            return zone, label(guess), True
        where = f"line {line}: " if line else ""
        self._warn(
            f"{where}unknown time zone {tzid[:60]!r}: its times were read as "
            f"{self.floating_name or 'UTC'} time"
        )
        return self.floating, label(self.floating_name), False

    def _build(self, key: str) -> tzinfo | None:
        entry = self._vtimezones.get(key) or self._vtimezones.get(key.strip("/"))
        if entry is None:
            return None
        text, line = entry
        if not vtimezone_is_plain(text):
            self._warn(f"line {line}: time zone {key[:60]!r} has rules Rapport does not read")
            return None
        try:
            component = icalendar.Timezone.from_ical(text.strip("\n"))
            if not isinstance(component, icalendar.Timezone):
                raise ValueError("not a VTIMEZONE")
            zone: tzinfo = component.to_tz(lookup_tzid=False)
            datetime(2027, 1, 1, tzinfo=zone).astimezone(UTC)  # fail here, not per event
        except Exception as err:  # a broken VTIMEZONE is reported, never fatal
            self._warn(f"line {line}: time zone {key[:60]!r} could not be read ({err!s:.80})")
            return None
        return zone
