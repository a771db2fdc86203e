"""Turning the bytes of an .ics file into EventRecords, fast and safely.

``parse_ics`` reads only what Rapport stores: a line scanner finds the components and the
dozen properties used, values are parsed directly, and only recurring series (with the
zones they use) go through icalendar and recurring-ical-events. The result is all or
nothing: a ParsedCalendar, or BadInput for a file that is not a calendar or is hostile.
Problems with single events become warnings and the event is skipped.
"""

from __future__ import annotations

import hashlib
import re
import time
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, tzinfo
from pathlib import Path

from rapport.core.calendar.ics_full import SeriesOccurrence, SeriesSet, zone_label
from rapport.core.calendar.ics_text import (
    Block,
    Properties,
    decode,
    has_blank_folds,
    parse_params,
    read_calendar_properties,
    read_properties,
    scan_blocks,
    unescape,
)
from rapport.core.calendar.ics_values import (
    EventValues,
    Moment,
    build_record,
    format_organizer,
    parse_duration,
    parse_when,
    short_hash,
)
from rapport.core.calendar.limits import DEFAULT_LIMITS, Limits
from rapport.core.calendar.records import EventRecord, ParsedCalendar
from rapport.core.calendar.recurrence import ExpansionTimeout, RuleRefused, check_rule, deadline
from rapport.core.calendar.zones import (
    ZoneResolver,
    floating_zone,
    iana_name,
    iana_zone,
    label,
)
from rapport.core.errors import BadInput
from rapport.core.progress import Progress

# Part of every hash: a new parser version re-reads events that did not change.
PARSER_VERSION = "rapport-ics-1"
_DATE_PROPERTIES = frozenset({"DTSTART", "DTEND", "RECURRENCE-ID", "RDATE", "EXDATE"})
_RECURRENCE = ("RRULE", "RDATE", "EXDATE")
_UNDATED = "no valid DTSTART"
_MAX_WARNINGS = 1_000
_TIMING_PROPERTIES = (
    "UID",
    "DTSTART",
    "DTEND",
    "DURATION",
    "RECURRENCE-ID",
    "RRULE",
    "RDATE",
    "EXDATE",
)


def default_window(today: date | None = None) -> tuple[date, date]:
    """Recurrences are expanded from one year before ``today`` to two years after it."""
    today = today or date.today()
    return today - timedelta(days=365), today + timedelta(days=730)


def file_hash(data: bytes) -> str:
    """The ``content_hash`` parse_ics gives this file: compare it to skip unchanged files."""
    digest = hashlib.blake2b(PARSER_VERSION.encode(), digest_size=16)
    digest.update(data)
    return digest.hexdigest()


def parse_ics(
    data: bytes,
    path: str | Path,
    *,
    window: tuple[date, date] | None = None,
    limits: Limits = DEFAULT_LIMITS,
    progress: Progress | None = None,
    today: date | None = None,
    default_tz: str = "UTC",
) -> ParsedCalendar:
    """Read an .ics file's events; raise BadInput if the file is refused.

    ``window`` bounds recurrence expansion (default: :func:`default_window` of ``today``);
    single events are returned whatever their date. Floating times (no zone) are read in
    the calendar's X-WR-TIMEZONE, else in ``default_tz`` (an IANA name; the importer passes
    the user's home zone). ``progress`` is told how many events were read and may cancel
    (Cancelled propagates). ``path`` is only used in messages.
    """
    window = window or default_window(today)
    floating = floating_zone(default_tz)
    text, warnings = decode(data, path, limits)
    blocks = scan_blocks(text, path, limits, warnings)
    reader = _Reader(text, path, limits, window, progress, warnings)
    calendars = [b for b in blocks if b.name == "VCALENDAR"]
    loose = [b for b in blocks if b.name == "VEVENT"]
    if not calendars and not loose:
        names = sorted({b.name for b in blocks})
        hint = f" (it holds {', '.join(names)[:40]})" if names else ""
        raise BadInput(f"not an iCalendar file: no BEGIN:VCALENDAR{hint}", path, 1)
    reader.total = sum(_count_events(b) for b in calendars) + len(loose)
    result = ParsedCalendar(warnings=warnings, content_hash=file_hash(data))
    for calendar in calendars:
        reader.read_calendar(calendar, calendar.children, floating, default_tz, result)
    if loose:
        reader.read_calendar(None, loose, floating, default_tz, result)
    result.events = reader.finish()
    return result


def _count_events(calendar: Block) -> int:
    return sum(1 for child in calendar.children if child.name == "VEVENT")


@dataclass(slots=True)
class _Item:
    """One VEVENT as found in the file."""

    block: Block
    props: Properties
    uid: str
    sequence: int


@dataclass(slots=True)
class _Calendar:
    """What the events of one VCALENDAR are read with."""

    zones: ZoneResolver
    floating: tzinfo
    floating_name: str
    floating_label: str
    utc_label: str  # X-WR-TIMEZONE shows UTC times in that zone
    hash_key: str
    vtimezones: dict[str, tuple[str, int]]
    custom_labels: dict[str, str] = field(default_factory=dict)  # renamed custom zones


class _Reader:
    def __init__(
        self,
        text: str,
        path: str | Path,
        limits: Limits,
        window: tuple[date, date],
        progress: Progress | None,
        warnings: list[str],
    ) -> None:
        self.text = text
        self.path = path
        self.limits = limits
        self.window = window
        self.progress = progress
        self.warnings = warnings
        self.blank_folds = has_blank_folds(text)
        self.total = 0
        self.done = 0
        self.occurrences = 0
        self.expansion_seconds = limits.max_expansion_seconds
        # (uid, recurrence_id) -> (record, sequence); a later copy wins unless older
        self.records: dict[tuple[str, str], tuple[EventRecord, int]] = {}
        self.duplicates = 0

    # ---- per calendar ---------------------------------------------------------------

    def read_calendar(
        self,
        block: Block | None,
        children: list[Block],
        default_zone: tzinfo,
        default_name: str,
        result: ParsedCalendar,
    ) -> None:
        props = read_calendar_properties(self.text, block, self.blank_folds) if block else {}
        name = _value(props, "X-WR-CALNAME")
        if name and not result.calendar_name:
            result.calendar_name = name
        floating, floating_name, utc_label = default_zone, default_name, ""
        xwr = _value(props, "X-WR-TIMEZONE")
        if xwr:
            known = iana_name(xwr)
            zone = iana_zone(known) if known else None
            if zone is None:
                self.warnings.append(
                    f"line {block.line if block else 1}: X-WR-TIMEZONE {xwr[:60]!r} is not a "
                    f"time zone Rapport knows; floating times were read as {default_name}"
                )
            else:
                floating, floating_name, utc_label = zone, known, label(known)
        if not result.default_tz:
            result.default_tz = floating_name
        vtimezones: dict[str, tuple[str, int]] = {}
        zone_hash: list[str] = []
        for child in children:
            if child.name == "VTIMEZONE":
                tzid = _value(read_calendar_properties(self.text, child, self.blank_folds), "TZID")
                zone_text = self.text[child.start : child.end]
                vtimezones.setdefault(tzid, (zone_text, child.line))
                zone_hash.append(zone_text)
        cal = _Calendar(
            zones=ZoneResolver(vtimezones, floating, floating_name, self._warn),
            floating=floating,
            floating_name=floating_name,
            floating_label=label(floating_name),
            utc_label=utc_label,
            hash_key=short_hash(PARSER_VERSION, floating_name, utc_label, *zone_hash),
            vtimezones=vtimezones,
        )
        items: list[_Item] = []
        for child in children:
            if child.name != "VEVENT":
                continue
            item_props = read_properties(self.text, child, self.blank_folds)
            items.append(_Item(child, item_props, _value(item_props, "UID"), _sequence(item_props)))
        self._read_items(items, cal)

    def _read_items(self, items: list[_Item], cal: _Calendar) -> None:
        masters: dict[str, list[_Item]] = defaultdict(list)
        overrides: dict[str, list[_Item]] = defaultdict(list)
        for item in items:
            if item.uid:
                if "RECURRENCE-ID" in item.props:
                    overrides[item.uid].append(item)
                else:
                    masters[item.uid].append(item)
        series = {
            uid
            for uid, ms in masters.items()
            if uid in overrides or any(_recurs(m.props) for m in ms)
        }
        for item in items:
            if item.uid not in series:
                self._single(item, cal)
                self._tick()
        if series:
            self._series(sorted(series), masters, overrides, cal)

    # ---- single events --------------------------------------------------------------

    def _single(self, item: _Item, cal: _Calendar) -> None:
        values = self._values(item, cal)
        if values is None:
            return
        record, problems = build_record(values, cal.floating, cal.floating_label)
        for problem in problems:
            self._event_warning(item, problem)
        if record is not None:
            self._keep(record, item.sequence)

    def _values(self, item: _Item, cal: _Calendar) -> EventValues | None:
        props = item.props
        try:
            start, start_label = self._moment(props, "DTSTART", cal, item.block.line)
        except Exception:
            self._event_warning(item, "bad DTSTART, skipped")
            return None
        if start is None:
            self._event_warning(item, "no DTSTART, skipped")
            return None
        try:
            recurrence_id, _ = self._moment(props, "RECURRENCE-ID", cal)
        except Exception:
            self._event_warning(item, "bad RECURRENCE-ID, skipped")
            return None
        end: Moment | None = None
        duration: timedelta | None = None
        try:
            end, _ = self._moment(props, "DTEND", cal)
        except Exception:
            self._event_warning(item, "bad DTEND, ignored")
        if end is None and "DURATION" in props:
            try:
                duration = parse_duration(props["DURATION"][0][1])
            except Exception:
                self._event_warning(item, "bad DURATION, ignored")
        return EventValues(
            item.uid,
            recurrence_id,
            start,
            end,
            duration,
            start_label,
            *_texts(props),
            line=item.block.line,
            content_hash=short_hash(cal.hash_key, self.text[item.block.start : item.block.end]),
        )

    def _moment(
        self, props: Properties, name: str, cal: _Calendar, line: int = 0
    ) -> tuple[Moment | None, str]:
        """A date or datetime property, aware in its zone when it has one."""
        entries = props.get(name)
        if not entries:
            return None, ""
        params, raw = entries[0]
        value = parse_when(raw)
        if not isinstance(value, datetime):
            return value, ""
        tzid = parse_params(params).get("TZID", "") if params else ""
        if tzid:
            zone, zone_label, known = cal.zones.resolve(tzid, line)
            # Like icalendar, a TZID it knows wins over a trailing Z.
            if known or value.tzinfo is None:
                return value.replace(tzinfo=zone), zone_label
        if value.tzinfo is not None:
            return value, cal.utc_label
        return value, ""

    # ---- recurring series -----------------------------------------------------------

    def _series(
        self,
        uids: list[str],
        masters: dict[str, list[_Item]],
        overrides: dict[str, list[_Item]],
        cal: _Calendar,
    ) -> None:
        admitted: list[str] = []
        for uid in uids:
            master = masters[uid][-1]
            reason = self._refusal(masters[uid], overrides[uid])
            if reason:
                if reason != _UNDATED:  # reading it as a single event reports that
                    self._event_warning(master, f"{reason}; only its first occurrence was imported")
                self._single(master, cal)
            else:
                admitted.append(uid)
            self._tick(len(masters[uid]) + len(overrides[uid]))
        if not admitted:
            return
        started = time.monotonic()
        try:
            with deadline(self.expansion_seconds):
                for uid, occurrences in self._expand_all(admitted, masters, overrides, cal):
                    self._occurrences(uid, occurrences, masters[uid], overrides[uid], cal)
        except ExpansionTimeout:
            raise BadInput(
                "expanding the recurring events takes too long; the file was refused",
                self.path,
            ) from None
        finally:
            self.expansion_seconds -= time.monotonic() - started

    def _expand_all(
        self,
        uids: list[str],
        masters: dict[str, list[_Item]],
        overrides: dict[str, list[_Item]],
        cal: _Calendar,
    ) -> Iterator[tuple[str, list[tuple[_Item, SeriesOccurrence]]]]:
        """Each admitted series with its occurrences; a failing one falls back to its start."""
        try:
            batches = [self._series_set(uids, masters, overrides, cal)]
        except Exception:
            # One broken series spoils the batch: prepare them one by one to find it.
            batches = []
            for uid in uids:
                try:
                    batches.append(self._series_set([uid], masters, overrides, cal))
                except Exception as err:
                    self._not_expanded(masters[uid][-1], err, cal)
        for series_set, sources in batches:
            for uid, series in series_set.series:
                try:
                    found = series_set.occurrences(
                        series, self.window, self.limits.max_occurrences_per_series + 1
                    )
                except Exception as err:
                    self._not_expanded(masters[uid][-1], err, cal)
                    continue
                yield uid, [(sources[o.source], o) for o in found]

    def _not_expanded(self, master: _Item, err: Exception, cal: _Calendar) -> None:
        self._event_warning(
            master,
            f"its recurrence could not be expanded ({err!s:.60}); "
            "only its first occurrence was imported",
        )
        self._single(master, cal)

    def _refusal(self, masters: list[_Item], overrides: list[_Item]) -> str:
        limits = self.limits
        cost = 0.0
        dates = 0
        for item in masters:
            try:
                start = parse_when(item.props["DTSTART"][0][1]) if "DTSTART" in item.props else None
            except ValueError:
                start = None
            if start is None:
                return _UNDATED
            for _, rule in item.props.get("RRULE", ()):
                try:
                    cost += check_rule(rule, start, self.window[1])
                except RuleRefused as err:
                    return str(err)
            for name in ("RDATE", "EXDATE"):
                dates += sum(value.count(",") + 1 for _, value in item.props.get(name, ()))
        if cost > limits.max_expansion_days_per_series:
            return "it starts too long ago to expand"
        if dates > limits.max_dates_per_series:
            return "it lists too many dates"
        if len(overrides) > limits.max_occurrences_per_series:
            return "it has too many changed occurrences"
        return ""

    def _series_set(
        self,
        uids: list[str],
        masters: dict[str, list[_Item]],
        overrides: dict[str, list[_Item]],
        cal: _Calendar,
    ) -> tuple[SeriesSet, list[_Item]]:
        """The series of ``uids`` prepared by recurring-ical-events, and their items."""
        parts = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Rapport//import//EN"]
        if cal.utc_label:
            parts.append(f"X-WR-TIMEZONE:{cal.floating_name}")
        zones: dict[str, str] = {}  # TZID written in the series -> VTIMEZONE text
        bodies: list[str] = []
        sources: list[_Item] = []
        for uid in uids:
            for item in (*masters[uid], *overrides[uid]):
                # Only what the rule engine needs: fewer properties to parse.
                bodies.append(
                    f"BEGIN:VEVENT\nX-RAPPORT-ITEM:{len(sources)}\nSEQUENCE:{item.sequence}"
                )
                sources.append(item)
                for name in _TIMING_PROPERTIES:
                    for params, value in item.props.get(name, ()):
                        if params and name in _DATE_PROPERTIES:
                            params = self._series_params(params, cal, zones)
                        bodies.append(f"{name}{params}:{value}")
                bodies.append("END:VEVENT")
        parts += zones.values()
        parts += bodies
        parts.append("END:VCALENDAR")
        return SeriesSet("\n".join(parts) + "\n"), sources

    def _series_params(self, params: str, cal: _Calendar, zones: dict[str, str]) -> str:
        """Date parameters with the TZID the way single events read it.

        icalendar keeps VTIMEZONEs in a process-wide cache where the first definition of a
        name wins, so a zone name is replaced by its IANA id, a custom zone by a name made
        from its definition, and an unknown zone is dropped (floating, as for a single event).
        """
        parsed = dict(parse_params(params))
        tzid = parsed.get("TZID", "")
        if not tzid:
            return params
        _, zone_label, known = cal.zones.resolve(tzid)
        del parsed["TZID"]
        if known:
            key = tzid.strip()
            entry = cal.vtimezones.get(key) or cal.vtimezones.get(key.strip("/"))
            if iana_name(tzid) or entry is None:
                parsed["TZID"] = iana_name(tzid) or zone_label or "UTC"
            else:
                name = "X-RAPPORT-" + short_hash(entry[0])
                cal.custom_labels[name] = zone_label
                if name not in zones:
                    text = entry[0].strip("\n")
                    zones[name] = re.sub(
                        r"\nTZID[^:\n]*:[^\n]*", f"\nTZID:{name}", "\n" + text, count=1
                    )[1:]
                parsed["TZID"] = name
        return "".join(f";{k}={_quoted(v)}" for k, v in parsed.items())

    def _occurrences(
        self,
        uid: str,
        occurrences: list[tuple[_Item, SeriesOccurrence]],
        masters: list[_Item],
        overrides: list[_Item],
        cal: _Calendar,
    ) -> None:
        limits = self.limits
        series_text = "".join(
            self.text[i.block.start : i.block.end] for i in (*masters, *overrides)
        )
        series_hash = short_hash(cal.hash_key, series_text)
        master = masters[-1]
        texts: dict[int, tuple[str, str, str, str, str, str]] = {}
        records: list[EventRecord] = []
        for item, occurrence in occurrences:
            key = id(item)
            if key not in texts:
                texts[key] = _texts(item.props)
            start = occurrence.start
            values = EventValues(
                uid,
                occurrence.recurrence_id,
                start,
                occurrence.end,
                None,
                self._zone_label(start, cal),
                *texts[key],
                line=item.block.line,
                content_hash=series_hash,
            )
            record, problems = build_record(values, cal.floating, cal.floating_label)
            for problem in problems:
                self._event_warning(item, problem)
            if record is not None:
                records.append(record)
        records.sort(key=_start_key)
        if len(records) > limits.max_occurrences_per_series:
            self._event_warning(
                master,
                f"it repeats more than {limits.max_occurrences_per_series:,} times in the "
                f"import window; only the first {limits.max_occurrences_per_series:,} "
                "were imported",
            )
            del records[limits.max_occurrences_per_series :]
        self.occurrences += len(records)
        if self.occurrences > limits.max_occurrences:
            raise BadInput(
                f"the recurring events repeat more than {limits.max_occurrences:,} times "
                "in the import window; the file was refused",
                self.path,
            )
        for record in records:
            self._keep(record, master.sequence)

    def _zone_label(self, start: Moment, cal: _Calendar) -> str:
        if not isinstance(start, datetime) or start.tzinfo is None:
            return ""
        custom = getattr(start.tzinfo, "_tzid", None)
        if isinstance(custom, str) and custom in cal.custom_labels:
            return cal.custom_labels[custom]
        return zone_label(start.tzinfo)

    # ---- bookkeeping ----------------------------------------------------------------

    def _keep(self, record: EventRecord, sequence: int) -> None:
        key = (record.uid, record.recurrence_id)
        old = self.records.get(key)
        if old is not None:
            self.duplicates += 1
            if old[1] > sequence:
                return
        self.records[key] = (record, sequence)

    def _tick(self, n: int = 1) -> None:
        before = self.done
        self.done += n
        if self.progress is not None and (self.done // 500 != before // 500):
            self.progress.update(self.done, self.total, "Reading events")

    def _warn(self, message: str) -> None:
        self.warnings.append(message)

    def _event_warning(self, item: _Item, problem: str) -> None:
        summary = _value(item.props, "SUMMARY")
        name = f"event {summary[:60]!r}" if summary else "an event without a title"
        self.warnings.append(f"line {item.block.line}: {name}: {problem}")

    def finish(self) -> list[EventRecord]:
        if len(self.warnings) > _MAX_WARNINGS:
            more = len(self.warnings) - _MAX_WARNINGS
            del self.warnings[_MAX_WARNINGS:]
            self.warnings.append(f"... and {more:,} more problems like these")
        if self.duplicates:
            self.warnings.append(
                f"{self.duplicates} event(s) appeared more than once with the same UID; "
                "the latest copy was kept"
            )
        if self.progress is not None:
            self.progress.update(self.total, self.total, "Reading events")
        return [record for record, _ in self.records.values()]


def _value(props: Properties, name: str, *, strip: bool = True) -> str:
    entries = props.get(name)
    if not entries:
        return ""
    value = unescape(entries[0][1])
    return value.strip() if strip else value


def _texts(props: Properties) -> tuple[str, str, str, str, str, str]:
    """Summary, description, location, status, URL and organizer of an event."""
    organizer = ""
    if "ORGANIZER" in props:
        params, value = props["ORGANIZER"][0]
        name = unescape(parse_params(params).get("CN", "")) if params else ""
        organizer = format_organizer(unescape(value), name)
    return (
        _value(props, "SUMMARY", strip=False),
        _value(props, "DESCRIPTION", strip=False),
        _value(props, "LOCATION", strip=False),
        _value(props, "STATUS"),
        _value(props, "URL"),
        organizer,
    )


def _sequence(props: Properties) -> int:
    try:
        return int(_value(props, "SEQUENCE") or 0)
    except ValueError:
        return 0


def _recurs(props: Properties) -> bool:
    """Whether an event repeats (an empty RDATE, as some exporters write, does not count)."""
    return any(value.strip() for name in _RECURRENCE for _, value in props.get(name, ()))


def _quoted(value: str) -> str:
    return f'"{value}"' if any(ch in value for ch in ":;,") else value


def _start_key(record: EventRecord) -> str:
    if record.start_utc is not None:
        return record.start_utc.isoformat()
    return str(record.start_date)
