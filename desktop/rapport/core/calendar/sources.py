"""Storing imported calendars: files and feeds, one transaction per import, idempotent.

An event's identity is (source, UID, RECURRENCE-ID). Importing a calendar again updates
the events whose content changed, removes the ones that are cancelled or gone, adds the
new ones and never doubles anything. A calendar whose bytes (and the settings they are
read with) are unchanged is skipped before parsing, so refreshing an unchanged feed costs
a hash. Each event is classified and its places resolved (each distinct text once), then
trips and flags are rebuilt — all inside the import's one transaction: a failure, a
cancel or a refused file leaves the journal as it was.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from rapport.core import clock, places, trips
from rapport.core.calendar import feeds
from rapport.core.calendar.classify import classify
from rapport.core.calendar.ics_parse import default_window, file_hash, parse_ics
from rapport.core.calendar.limits import DEFAULT_LIMITS
from rapport.core.calendar.records import EventRecord, ParsedCalendar
from rapport.core.calendar.travel_places import PlaceResolver
from rapport.core.changes import Changes
from rapport.core.contacts_import import FileReport
from rapport.core.errors import BadInput, NotFound
from rapport.core.gazetteer import GazPlace
from rapport.core.progress import Progress
from rapport.store.models import CalendarSource, db_proxy, utcnow

# Part of every stored hash: a new classifier or resolver re-reads unchanged calendars.
CLASSIFY_VERSION = "rapport-travel-1"
MAX_SUMMARY_CHARS = 1_000
MAX_LOCATION_CHARS = 1_000
MAX_DESCRIPTION_CHARS = 20_000
_CHUNK = 500
# A DTSTART with a time but neither a zone nor a trailing Z: read in the home zone.
_FLOATING = re.compile(
    rb"^DTSTART(?:;(?:(?!TZID)[^:\r\n])*)?:[0-9]{8}T[0-9]{6}\s*$", re.IGNORECASE | re.MULTILINE
)
_EVENT_COLUMNS = (
    "summary",
    "description",
    "location",
    "start_utc",
    "end_utc",
    "tzid",
    "all_day",
    "start_date",
    "end_date",
    "status",
    "kind",
    "place_id",
    "origin_place_id",
    "place_text",
    "content_hash",
)


@dataclass
class CalendarImportReport:
    """What one import or refresh did to one calendar source."""

    source_id: int
    location: str
    name: str
    added: int = 0
    updated: int = 0
    removed: int = 0
    unchanged_events: int = 0
    trips: int = 0  # trips created or changed by this import
    warnings: list[str] = field(default_factory=list)
    unchanged: bool = False  # the content hash matched: nothing parsed, nothing written
    changes: Changes = field(default_factory=Changes)
    events: int = 0  # this source's events in the journal afterwards
    error: str = ""  # a feed that could not be fetched: the message also kept in last_error

    def file_json(self, path_as_given: str) -> dict[str, Any]:
        """The ``rapport import --json`` entry for this file (the contacts keys, then ours)."""
        return {
            "path": path_as_given,
            "kind": "ics",
            "added": self.added,
            "updated": self.updated,
            "merged": 0,
            "skipped": self.unchanged_events,
            "warnings": [f"{path_as_given}: {w}" for w in self.warnings],
            "events": self.events,
            "trips": self.trips,
            "removed": self.removed,
        }

    def summary(self) -> str:
        if self.error:
            return f"not refreshed: {self.error}"
        if self.unchanged:
            return f"unchanged ({self.events} events)"
        parts = [f"{self.added} added", f"{self.updated} updated", f"{self.removed} removed"]
        parts.append(f"{self.unchanged_events} unchanged")
        text = ", ".join(parts) + f"; {self.trips} trip{'s' if self.trips != 1 else ''}"
        if self.warnings:
            text += f"; {len(self.warnings)} warning{'s' if len(self.warnings) != 1 else ''}"
        return text


@dataclass
class CalendarFileReport(FileReport):
    """A calendar's entry among ``rapport import``'s file reports (see ``file_json``)."""

    report: CalendarImportReport | None = None

    def as_dict(self) -> dict[str, Any]:
        assert self.report is not None
        return self.report.file_json(self.path)

    def summary(self) -> str:
        return self.report.summary() if self.report is not None else ""


@dataclass(frozen=True)
class SourceView:
    id: int
    kind: str  # file | feed
    location: str
    name: str
    last_fetch: datetime | None  # naive UTC
    last_error: str
    events: int
    enabled: bool


# ---- importing ---------------------------------------------------------------------------


def import_ics_file(
    path: str | Path, *, today: date | None = None, progress: Progress | None = None
) -> CalendarImportReport:
    """Import (or re-import) the .ics file at ``path``; BadInput if it is refused."""
    data = read_capped(path)
    return import_ics_bytes(data, file_location(path), today=today, progress=progress)


def import_ics_bytes(
    data: bytes,
    location: str,
    *,
    today: date | None = None,
    progress: Progress | None = None,
    kind: str = "file",
) -> CalendarImportReport:
    """Import a calendar's bytes as the source at ``location`` (a path or a feed URL)."""
    return _import(data, location, kind=kind, today=today or clock.today(), progress=progress)


def file_location(path: str | Path) -> str:
    """How a file source is named: its absolute path, so any working directory finds it."""
    return str(Path(path).expanduser().resolve())


def read_capped(path: str | Path) -> bytes:
    """A calendar file's bytes, refused unread when over the size cap."""
    cap = DEFAULT_LIMITS.max_bytes
    p = Path(path)
    try:
        if p.stat().st_size > cap:
            raise BadInput(f"the file is larger than {cap // (1024 * 1024)} MB; not imported", p)
        with p.open("rb") as f:
            data = f.read(cap + 1)
    except OSError as exc:
        raise BadInput(f"cannot read the file: {exc.strerror or exc}", p) from exc
    if len(data) > cap:
        raise BadInput(f"the file is larger than {cap // (1024 * 1024)} MB; not imported", p)
    return data


def source_key(data: bytes, default_tz: str, today: date) -> str:
    """What must match for an import to be skipped unread: the bytes, the zone floating
    times are read in, the month of the recurrence window, and this module's version."""
    window = default_window(today)
    return f"{file_hash(data)}:{default_tz}:{window[0]:%Y-%m}:{CLASSIFY_VERSION}"


def has_floating_times(data: bytes) -> bool:
    return _FLOATING.search(data) is not None


def _import(
    data: bytes,
    location: str,
    *,
    kind: str,
    today: date,
    progress: Progress | None,
    parsed: ParsedCalendar | None = None,
    default_tz: str | None = None,
    etag: str = "",
    last_modified: str = "",
) -> CalendarImportReport:
    zone = default_tz or trips.home_zone()
    key = source_key(data, zone, today)
    source = CalendarSource.get_or_none(CalendarSource.location == location)
    if source is not None and source.content_hash == key:
        if kind == "feed":
            _mark_fetched(int(source.id), etag, last_modified)
        count = _event_count(int(source.id))
        return CalendarImportReport(
            source_id=int(source.id),
            location=location,
            name=str(source.name),
            unchanged=True,
            unchanged_events=count,
            events=count,
        )
    if parsed is None:
        parsed = parse_ics(data, location, today=today, default_tz=zone, progress=progress)
    prepared = _prepare(parsed.events, progress)
    with db_proxy.atomic():
        source_id = _upsert_source(location, kind, parsed.calendar_name)
        report = CalendarImportReport(
            source_id=source_id,
            location=location,
            name=parsed.calendar_name,
            warnings=list(parsed.warnings),
        )
        _store(source_id, prepared, report, progress)
        if report.added or report.updated or report.removed:
            if progress is not None:
                progress.update(0, 0, "Finding trips")
            rebuilt = trips.rebuild(today=today)
            report.trips = rebuilt.touched
            report.changes = rebuilt.changes
        report.changes = report.changes | Changes(calendar=True)
        CalendarSource.update(
            content_hash=key,
            name=parsed.calendar_name,
            last_fetch=utcnow(),
            last_error="",
            etag=etag,
            last_modified=last_modified,
        ).where(CalendarSource.id == source_id).execute()
        report.events = _event_count(source_id)
    return report


@dataclass(frozen=True, slots=True)
class _Prepared:
    record: EventRecord
    kind: str
    destination: GazPlace | None
    origin: GazPlace | None
    text: str


def _prepare(events: Sequence[EventRecord], progress: Progress | None) -> list[_Prepared]:
    """Classify every event and resolve its places (no writes: runs before the transaction)."""
    resolver = PlaceResolver()
    out: list[_Prepared] = []
    total = len(events)
    for i, ev in enumerate(events):
        if progress is not None and i % 500 == 0:
            progress.update(i, total, "Finding travel")
        if ev.status == "CANCELLED":
            continue  # not stored; an earlier copy is removed
        c = classify(ev)
        found = resolver.places(c)
        out.append(_Prepared(ev, c.kind, found.destination, found.origin, found.text))
    return out


def _upsert_source(location: str, kind: str, name: str) -> int:
    row = CalendarSource.get_or_none(CalendarSource.location == location)
    if row is not None:
        return int(row.id)
    return int(CalendarSource.insert(location=location, kind=kind, name=name).execute())


def _utc_text(moment: datetime | None) -> str | None:
    if moment is None:
        return None
    return moment.astimezone(UTC).replace(tzinfo=None).isoformat(sep=" ")


def _store(
    source_id: int,
    prepared: list[_Prepared],
    report: CalendarImportReport,
    progress: Progress | None,
) -> None:
    existing: dict[tuple[str, str], tuple[int, str]] = {
        (str(uid), str(rid)): (int(eid), str(h))
        for eid, uid, rid, h in db_proxy.execute_sql(
            "SELECT id, uid, recurrence_id, content_hash FROM event WHERE source_id = ?",
            (source_id,),
        ).fetchall()
    }
    place_ids: dict[int, int] = {}
    for p in prepared:
        for found in (p.destination, p.origin):
            if found is not None and found.geonameid not in place_ids:
                place_ids[found.geonameid] = places.place_row(found)
    new_rows: list[tuple[Any, ...]] = []
    changed_rows: list[tuple[Any, ...]] = []
    seen: set[tuple[str, str]] = set()
    for p in prepared:
        ev = p.record
        key = (ev.uid, ev.recurrence_id)
        seen.add(key)
        content_hash = f"{ev.content_hash}:{CLASSIFY_VERSION}"
        values = (
            ev.summary[:MAX_SUMMARY_CHARS],
            ev.description[:MAX_DESCRIPTION_CHARS],
            ev.location[:MAX_LOCATION_CHARS],
            _utc_text(ev.start_utc),
            _utc_text(ev.end_utc),
            ev.tzid,
            1 if ev.all_day else 0,
            ev.start_date.isoformat() if ev.start_date else None,
            ev.end_date.isoformat() if ev.end_date else None,
            ev.status,
            p.kind,
            place_ids[p.destination.geonameid] if p.destination else None,
            place_ids[p.origin.geonameid] if p.origin else None,
            p.text[:MAX_LOCATION_CHARS],
            content_hash,
        )
        old = existing.get(key)
        if old is None:
            new_rows.append((source_id, ev.uid, ev.recurrence_id, *values))
        elif old[1] != content_hash:
            changed_rows.append((*values, old[0]))
        else:
            report.unchanged_events += 1
    gone = [eid for key, (eid, _) in existing.items() if key not in seen]
    if progress is not None:
        progress.update(0, 0, "Saving events")
    cursor = db_proxy.cursor()
    if new_rows:
        columns = ("source_id", "uid", "recurrence_id", *_EVENT_COLUMNS)
        marks = ", ".join("?" * len(columns))
        cursor.executemany(f"INSERT INTO event ({', '.join(columns)}) VALUES ({marks})", new_rows)
    if changed_rows:
        assignments = ", ".join(f"{c} = ?" for c in _EVENT_COLUMNS)
        cursor.executemany(f"UPDATE event SET {assignments} WHERE id = ?", changed_rows)
    for i in range(0, len(gone), _CHUNK):
        chunk = gone[i : i + _CHUNK]
        db_proxy.execute_sql(
            f"DELETE FROM event WHERE id IN ({', '.join('?' * len(chunk))})", chunk
        )
    report.added, report.updated, report.removed = len(new_rows), len(changed_rows), len(gone)


def _event_count(source_id: int) -> int:
    row = db_proxy.execute_sql(
        "SELECT count(*) FROM event WHERE source_id = ?", (source_id,)
    ).fetchone()
    return int(row[0])


def _mark_fetched(source_id: int, etag: str, last_modified: str) -> None:
    CalendarSource.update(
        last_fetch=utcnow(), last_error="", etag=etag, last_modified=last_modified
    ).where(CalendarSource.id == source_id).execute()


# ---- feeds -------------------------------------------------------------------------------


def subscribe(
    url: str,
    *,
    today: date | None = None,
    progress: Progress | None = None,
    timeout: float = feeds.TIMEOUT_SECONDS,
) -> CalendarImportReport:
    """Subscribe to a feed (https:// or webcal://) and import it now.

    BadInput if the address is not a feed address, the feed cannot be fetched or it is
    not a calendar; nothing is kept then. Subscribing again to a known feed refreshes it.
    """
    address = feeds.normalise_url(url)
    try:
        fetched = feeds.fetch(address, timeout=timeout)
    except feeds.FeedError as err:
        raise BadInput(str(err), address) from None
    assert fetched.data is not None  # no validators sent: never "not modified"
    return _import(
        fetched.data,
        address,
        kind="feed",
        today=today or clock.today(),
        progress=progress,
        etag=fetched.etag,
        last_modified=fetched.last_modified,
    )


def refresh(
    source_id: int | None = None,
    *,
    today: date | None = None,
    progress: Progress | None = None,
    timeout: float = feeds.TIMEOUT_SECONDS,
) -> list[CalendarImportReport]:
    """Fetch every enabled feed (and re-read every file) again, or only ``source_id``.

    A source that fails (offline, a server error, a file that is gone, a calendar now
    refused) gets its message in ``last_error`` and in its report's ``error``; the others
    still refresh. Each source is its own transaction.
    """
    today = today or clock.today()
    query = CalendarSource.select().order_by(CalendarSource.id)
    if source_id is not None:
        query = query.where(CalendarSource.id == source_id)
        if not query.exists():
            raise NotFound(f"no calendar source with id {source_id}")
    else:
        query = query.where(CalendarSource.enabled == True)  # noqa: E712 (peewee expression)
    reports = []
    for row in list(query):
        if progress is not None:
            progress.check()
        reports.append(_refresh_one(row, today, progress, timeout))
    return reports


def _refresh_one(
    row: CalendarSource, today: date, progress: Progress | None, timeout: float
) -> CalendarImportReport:
    sid, location, kind = int(row.id), str(row.location), str(row.kind)
    try:
        if kind == "feed":
            fetched = feeds.fetch(
                location, etag=str(row.etag), last_modified=str(row.last_modified), timeout=timeout
            )
            if fetched.data is None:
                _mark_fetched(sid, fetched.etag, fetched.last_modified)
                count = _event_count(sid)
                return CalendarImportReport(
                    sid,
                    location,
                    str(row.name),
                    unchanged_events=count,
                    unchanged=True,
                    events=count,
                )
            return _import(
                fetched.data,
                location,
                kind="feed",
                today=today,
                progress=progress,
                etag=fetched.etag,
                last_modified=fetched.last_modified,
            )
        return _import(read_capped(location), location, kind="file", today=today, progress=progress)
    except (feeds.FeedError, BadInput) as err:
        message = str(err)
        CalendarSource.update(last_error=message).where(CalendarSource.id == sid).execute()
        return CalendarImportReport(
            sid, location, str(row.name), error=message, events=_event_count(sid)
        )


def refresh_interval_hours() -> float:
    """How often the window refreshes feeds (the ``calendar.refresh_hours`` preference)."""
    from rapport.store import settings

    return max(0.25, float(settings.get("calendar.refresh_hours")))


def due_for_refresh(now: datetime | None = None) -> list[int]:
    """Enabled feeds not fetched within the refresh interval (naive UTC ``now``)."""
    now = now or utcnow()
    hours = refresh_interval_hours()
    out = []
    for row in CalendarSource.select().where(
        (CalendarSource.kind == "feed") & (CalendarSource.enabled == True)  # noqa: E712
    ):
        last = row.last_fetch
        if last is None or (now - last).total_seconds() >= hours * 3600:
            out.append(int(row.id))
    return out


# ---- sources -----------------------------------------------------------------------------


def list_sources() -> list[SourceView]:
    counts = dict(
        db_proxy.execute_sql("SELECT source_id, count(*) FROM event GROUP BY source_id").fetchall()
    )
    return [
        SourceView(
            id=int(row.id),
            kind=str(row.kind),
            location=str(row.location),
            name=str(row.name),
            last_fetch=row.last_fetch,
            last_error=str(row.last_error),
            events=int(counts.get(row.id, 0)),
            enabled=bool(row.enabled),
        )
        for row in CalendarSource.select().order_by(CalendarSource.id)
    ]


def remove_source(source_id: int, *, today: date | None = None) -> Changes:
    """Forget a source and its events; its trips go too, unless the user made them."""
    with db_proxy.atomic():
        if not CalendarSource.delete().where(CalendarSource.id == source_id).execute():
            raise NotFound(f"no calendar source with id {source_id}")
        rebuilt = trips.rebuild(today=today or clock.today())
    return rebuilt.changes | Changes(calendar=True, trips=True)


# ---- the `rapport import` registry -------------------------------------------------------


@dataclass(frozen=True)
class ReadCalendar:
    """An .ics file read for ``rapport import``: parsed before anything is written."""

    data: bytes
    location: str
    parsed: ParsedCalendar
    default_tz: str
    today: date


def parse_for_import(data: bytes, path: str, progress: Progress | None) -> ReadCalendar:
    """The importers registry's parse step: refuse a bad file before anything is written."""
    today = clock.today()
    zone = _home_zone_if_open()
    parsed = parse_ics(data, path, today=today, default_tz=zone, progress=progress)
    return ReadCalendar(data, file_location(path), parsed, zone, today)


def write_for_import(files: Sequence[Any], progress: Progress) -> list[FileReport]:
    """The importers registry's write step (inside its transaction): store each calendar."""
    out: list[FileReport] = []
    for f in files:
        read: ReadCalendar = f.result
        zone = trips.home_zone()
        # Read before the journal was open, floating times took UTC: read them again.
        parsed: ParsedCalendar | None = read.parsed
        if zone != read.default_tz and has_floating_times(read.data):
            parsed = None
        report = _import(
            read.data,
            read.location,
            kind="file",
            today=read.today,
            progress=progress,
            parsed=parsed,
            default_tz=zone,
        )
        out.append(
            CalendarFileReport(
                f.path,
                "ics",
                added=report.added,
                updated=report.updated,
                skipped=report.unchanged_events,
                warnings=list(report.warnings),
                report=report,
            )
        )
    return out


def _home_zone_if_open() -> str:
    # The command line reads files before it opens the journal: floating times take UTC
    # then, and write_for_import reads them again if the home zone differs.
    database = db_proxy.obj
    if database is None or database.is_closed():
        return "UTC"
    return trips.home_zone()
