"""Reading events through icalendar's own objects: recurring series, and the reference reader.

The fast reader hands each calendar's recurring series here (icalendar parses them and
recurring-ical-events expands them). ``parse_ics_full`` reads a whole file this slow way —
``Calendar.from_ical``, x-wr-timezone, recurring-ical-events — and exists so tests can
check that the fast reader and the libraries agree on every event.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, tzinfo
from pathlib import Path
from typing import Any

import icalendar
import recurring_ical_events
import x_wr_timezone

from rapport.core.calendar.ics_text import decode, unescape
from rapport.core.calendar.ics_values import (
    EventValues,
    Moment,
    build_record,
    format_organizer,
)
from rapport.core.calendar.limits import DEFAULT_LIMITS, Limits
from rapport.core.calendar.records import EventRecord, ParsedCalendar
from rapport.core.calendar.zones import (
    equivalent_iana_name,
    floating_zone,
    guessed_iana_name,
    iana_name,
    iana_zone,
    label,
)


def zone_label(zone: tzinfo | None) -> str:
    """The record ``tzid`` for a tzinfo icalendar produced."""
    if zone is None:
        return ""
    key = getattr(zone, "key", None)  # zoneinfo
    if isinstance(key, str):
        return label(iana_name(key) or key)
    tzid = getattr(zone, "_tzid", None)  # dateutil's zone built from a VTIMEZONE
    if isinstance(tzid, str):
        tzid = unescape(tzid).strip()  # icalendar re-escapes the TZID it hands dateutil
        return label(
            iana_name(tzid) or guessed_iana_name(tzid) or equivalent_iana_name(zone, tzid) or tzid
        )
    if zone is UTC:
        return ""
    return label(str(zone))


def _first(component: icalendar.cal.Component, name: str) -> Any:
    value = component.get(name)
    if isinstance(value, list):
        return value[0] if value else None
    return value


def occurrence_moment(component: icalendar.cal.Component, name: str) -> Moment | None:
    """A date or datetime property as icalendar parsed it (None if absent or broken)."""
    value = getattr(_first(component, name), "dt", None)
    return value if isinstance(value, date) else None


def occurrence_duration(component: icalendar.cal.Component) -> timedelta | None:
    value = getattr(_first(component, "DURATION"), "dt", None)
    return value if isinstance(value, timedelta) else None


def _text(component: icalendar.cal.Component, name: str) -> str:
    value = _first(component, name)
    return "" if value is None else str(value)


def values_from_component(
    component: icalendar.cal.Component, *, line: int, content_hash: str
) -> EventValues:
    """An icalendar VEVENT (or occurrence) as the values :func:`build_record` takes."""
    start = occurrence_moment(component, "DTSTART")
    organizer = _first(component, "ORGANIZER")
    name = ""
    if organizer is not None:
        params = getattr(organizer, "params", {})
        name = str(params.get("CN", ""))
    return EventValues(
        uid=_text(component, "UID"),
        recurrence_id=occurrence_moment(component, "RECURRENCE-ID"),
        start=start,
        end=occurrence_moment(component, "DTEND"),
        duration=occurrence_duration(component),
        start_label=zone_label(start.tzinfo) if isinstance(start, datetime) else "",
        summary=_text(component, "SUMMARY"),
        description=_text(component, "DESCRIPTION"),
        location=_text(component, "LOCATION"),
        status=_text(component, "STATUS"),
        url=_text(component, "URL"),
        organizer=format_organizer("" if organizer is None else str(organizer), name),
        line=line,
        content_hash=content_hash,
    )


@dataclass(slots=True)
class SeriesOccurrence:
    """One occurrence of a recurring event, as recurring-ical-events computed it."""

    start: Moment
    end: Moment | None
    recurrence_id: Moment  # the original start, which identifies it
    source: int  # X-RAPPORT-ITEM of the component it comes from (master or moved one)


def _utc_key(value: Moment) -> Moment:
    """How recurring-ical-events identifies an occurrence: UTC without tzinfo."""
    if isinstance(value, datetime) and value.tzinfo is not None:
        return value.astimezone(UTC).replace(tzinfo=None)
    return value if isinstance(value, datetime) else datetime(value.year, value.month, value.day)


class SeriesSet:
    """The recurring series of a small calendar whose VEVENTs carry X-RAPPORT-ITEM tags.

    Building it parses the calendar (icalendar) and prepares every series
    (recurring-ical-events); :meth:`occurrences` then expands one series at a time, so a
    caller can stop, cap or skip a series that fails.
    """

    def __init__(self, calendar_text: str) -> None:
        calendar = icalendar.Calendar.from_ical(calendar_text)
        calendar = x_wr_timezone.to_standard(calendar)
        self._moved: dict[tuple[str, Moment], int] = {}
        self._rids: dict[int, Moment] = {}
        self._masters: dict[str, tuple[int, int]] = {}  # uid -> (sequence, tag)
        for event in calendar.walk("VEVENT"):
            uid, tag = _text(event, "UID"), int(str(event["X-RAPPORT-ITEM"]))
            rid = occurrence_moment(event, "RECURRENCE-ID")
            if rid is not None:
                self._moved[uid, _utc_key(rid)] = tag
                self._rids[tag] = rid
            else:
                sequence = int(str(event.get("SEQUENCE", 0)))
                if uid not in self._masters or sequence > self._masters[uid][0]:
                    self._masters[uid] = (sequence, tag)
        self.series: list[tuple[str, Any]] = [
            (str(series.uid), series) for series in recurring_ical_events.of(calendar).series
        ]

    def occurrences(
        self, series: Any, window: tuple[date, date], limit: int
    ) -> list[SeriesOccurrence]:
        """The occurrences of one series that touch ``window``, at most ``limit`` of them.

        The rule engine yields them roughly in order, so stopping early keeps a series
        that repeats every minute from being computed in full. May raise for a bad rule.
        """
        start = datetime(window[0].year, window[0].month, window[0].day)
        stop = datetime(window[1].year, window[1].month, window[1].day) + timedelta(days=1)
        uid = str(series.uid)
        out: list[SeriesOccurrence] = []
        for occurrence in series.between(start, stop):
            moved = occurrence.id.recurrence_id
            begin, end = occurrence.start, occurrence.end
            if isinstance(end, timedelta):
                end = begin + end
            source = self._moved.get((uid, moved)) if moved is not None else None
            if source is not None:
                rid = self._rids[source]
            else:
                source, rid = self._masters[uid][1], begin
            out.append(SeriesOccurrence(begin, end, rid, source))
            if len(out) >= limit:
                break
        return out


def _has_recurrence(component: icalendar.cal.Component) -> bool:
    return any(name in component for name in ("RRULE", "RDATE", "EXDATE"))


def parse_ics_full(
    data: bytes,
    path: str | Path,
    *,
    window: tuple[date, date],
    default_tz: str = "UTC",
    limits: Limits = DEFAULT_LIMITS,
) -> ParsedCalendar:
    """The reference reader: the same records as ``parse_ics``, through icalendar alone.

    Slow (icalendar parses every property of every component) and not hardened: it may
    raise on files the fast reader refuses or reads. ``line`` is 0 and ``content_hash``
    "" on its records, since icalendar keeps neither.
    """
    text, warnings = decode(data, path, limits)
    result = ParsedCalendar(warnings=warnings)
    components = icalendar.Calendar.from_ical(text, multiple=True)
    fallback = floating_zone(default_tz)
    for component in components:
        if component.name == "VCALENDAR":
            calendar = component
        elif component.name == "VEVENT":
            calendar = icalendar.Calendar()
            calendar.add_component(component)
        else:
            continue
        floating, floating_name = fallback, default_tz
        xwr = iana_name(str(calendar.get("X-WR-TIMEZONE", "")))
        if "X-WR-TIMEZONE" in calendar:
            del calendar["X-WR-TIMEZONE"]
        if xwr:
            zone = iana_zone(xwr)
            assert zone is not None
            floating, floating_name = zone, xwr
            calendar = x_wr_timezone.to_standard(calendar, timezone=zone)
        if not result.calendar_name and calendar.get("X-WR-CALNAME"):
            result.calendar_name = str(calendar["X-WR-CALNAME"])
        if not result.default_tz:
            result.default_tz = floating_name
        _read_calendar(calendar, window, floating, label(floating_name), result)
    return result


def _read_calendar(
    calendar: icalendar.cal.Component,
    window: tuple[date, date],
    floating: tzinfo,
    floating_label: str,
    result: ParsedCalendar,
) -> None:
    events = [c for c in calendar.subcomponents if c.name == "VEVENT"]
    masters: dict[str, list[icalendar.cal.Component]] = defaultdict(list)
    overridden: set[str] = set()
    for event in events:
        uid = _text(event, "UID")
        if "RECURRENCE-ID" in event:
            overridden.add(uid)
        else:
            masters[uid].append(event)
    series = {
        uid
        for uid, ms in masters.items()
        if uid and (uid in overridden or any(_has_recurrence(m) for m in ms))
    }
    by_key: dict[tuple[str, str], EventRecord] = {}
    for event in events:
        if _text(event, "UID") in series:
            continue
        record, _ = build_record(
            values_from_component(event, line=0, content_hash=""), floating, floating_label
        )
        if record is not None:
            by_key[record.uid, record.recurrence_id] = record
    if series:
        query = recurring_ical_events.of(calendar)
        for occurrence in query.between(window[0], window[1] + timedelta(days=1)):
            if _text(occurrence, "UID") not in series:
                continue
            record, _ = build_record(
                values_from_component(occurrence, line=0, content_hash=""),
                floating,
                floating_label,
            )
            if record is not None:
                by_key[record.uid, record.recurrence_id] = record
    result.events.extend(by_key.values())
