"""Storing calendars: idempotent re-import, updates, cancellations, removals, the unchanged
skip, one transaction per import, the importers registry and the icalendar corpus."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest
from travel_helpers import (
    CALENDAR,
    TODAY,
    calendar,
    fixture_bytes,
    import_bytes,
    set_home,
    table_dump,
    vevent,
)

from rapport.core import importers, trips
from rapport.core.calendar import sources
from rapport.core.errors import BadInput, Cancelled
from rapport.core.progress import Progress
from rapport.store.models import CalendarSource, Event, Trip

CORPUS = Path(__file__).parents[2].parent / "shared" / "corpus" / "icalendar"

FLIGHT = vevent("f1@test", "BA213 LHR to BOS", "20270315T102000Z", "20270315T170500Z")
HOTEL = vevent(
    "h1@test",
    "Hotel: Hilton Boston Back Bay",
    "VALUE=DATE:20270315",
    "VALUE=DATE:20270319",
    "LOCATION:40 Dalton St\\, Boston\\, MA\\, 02115",
)
BACK = vevent("f2@test", "BA212 BOS to LHR", "20270319T233000Z", "20270320T063500Z")


def events() -> dict[tuple[str, str], Event]:
    return {(e.uid, e.recurrence_id): e for e in Event.select()}


def test_first_import_stores_every_event_once(journal) -> None:
    report = import_bytes(fixture_bytes("tripit_feed.ics"), "tripit.ics")
    assert (report.added, report.updated, report.removed, report.unchanged) == (11, 0, 0, False)
    assert report.events == Event.select().count() == 11
    assert report.name == "TripIt - Ana Lima"
    flight = Event.get(Event.summary == "BA213 LHR to BOS")
    assert flight.kind == "flight"
    assert flight.start_utc == datetime(2027, 3, 15, 10, 20)
    assert flight.place.name == "Boston" and flight.origin_place.name == "London"
    marker = Event.get(Event.summary == "Boston, MA, March 2027")
    assert marker.all_day and str(marker.start_date) == "2027-03-15"
    assert str(marker.end_date) == "2027-03-19"  # inclusive


def test_importing_the_same_bytes_again_is_skipped_unread(journal, monkeypatch) -> None:
    data = fixture_bytes("tripit_feed.ics")
    import_bytes(data)
    before = table_dump()

    def refuse(*_a: object, **_k: object) -> None:
        raise AssertionError("an unchanged calendar was parsed again")

    monkeypatch.setattr(sources, "parse_ics", refuse)
    report = import_bytes(data)
    assert report.unchanged and report.events == 11
    assert (report.added, report.updated, report.removed) == (0, 0, 0)
    assert table_dump() == before


def test_reading_again_doubles_nothing_and_keeps_event_rows(journal) -> None:
    import_bytes(calendar(FLIGHT, HOTEL, BACK))
    ids = {k: e.id for k, e in events().items()}
    # A harmless change to the file (a calendar property) forces a full read.
    report = import_bytes(calendar(FLIGHT, HOTEL, BACK, name="Renamed"))
    assert not report.unchanged
    assert (report.added, report.updated, report.removed, report.unchanged_events) == (0, 0, 0, 3)
    assert {k: e.id for k, e in events().items()} == ids
    assert CalendarSource.get().name == "Renamed"


def test_a_changed_event_is_updated_in_place(journal) -> None:
    import_bytes(calendar(FLIGHT, HOTEL, BACK))
    before = events()
    later = vevent(
        "f2@test", "BA212 BOS to LHR", "20270320T233000Z", "20270321T063500Z", "SEQUENCE:1"
    )
    report = import_bytes(calendar(FLIGHT, HOTEL, later))
    assert (report.added, report.updated, report.removed) == (0, 1, 0)
    after = events()
    assert after[("f2@test", "")].id == before[("f2@test", "")].id
    assert after[("f2@test", "")].start_utc == datetime(2027, 3, 20, 23, 30)
    [trip] = trips.list_trips(TODAY)
    assert (str(trip.start), str(trip.end)) == ("2027-03-15", "2027-03-20")


def test_a_cancelled_event_is_removed(journal) -> None:
    import_bytes(calendar(FLIGHT, HOTEL, BACK))
    cancelled = vevent(
        "h1@test", "Hotel: Hilton Boston Back Bay", "VALUE=DATE:20270315",
        "VALUE=DATE:20270319", "STATUS:CANCELLED",
    )  # fmt: skip
    report = import_bytes(calendar(FLIGHT, cancelled, BACK))
    assert (report.added, report.updated, report.removed) == (0, 0, 1)
    assert ("h1@test", "") not in events()


def test_an_event_gone_from_the_calendar_is_removed(journal) -> None:
    import_bytes(calendar(FLIGHT, HOTEL, BACK))
    report = import_bytes(calendar(FLIGHT, BACK))
    assert report.removed == 1 and len(events()) == 2


def test_a_cancelled_event_never_imported_is_not_stored(journal) -> None:
    report = import_bytes(fixture_bytes("cancelled_event.ics"))
    assert (report.added, report.events) == (0, 0)
    assert Trip.select().count() == 0


def test_a_journey_whose_events_are_all_cancelled_loses_its_trip(journal) -> None:
    set_home("London")
    import_bytes(calendar(FLIGHT))
    assert len(trips.list_trips(TODAY)) == 1
    import_bytes(calendar(FLIGHT.replace("END:VEVENT", "STATUS:CANCELLED\r\nEND:VEVENT")))
    assert trips.list_trips(TODAY) == [] and Trip.select().count() == 0


def test_two_sources_keep_their_own_events(journal) -> None:
    import_bytes(calendar(FLIGHT), "a.ics")
    import_bytes(calendar(FLIGHT), "b.ics")
    assert Event.select().count() == 2
    report = import_bytes(calendar(), "a.ics")
    assert report.removed == 1 and Event.select().count() == 1


def test_recurring_occurrences_are_identified_by_recurrence_id(journal) -> None:
    data = fixture_bytes("outlook_windows_tz.ics")
    first = import_bytes(data)
    keys = set(events())
    assert sum(1 for uid, rid in keys if rid) == 11  # the weekly series, one moved, one skipped
    again = import_bytes(data.replace(b"X-WR-CALNAME:Kalender", b"X-WR-CALNAME:Calendar"))
    assert set(events()) == keys
    assert (again.added, again.removed, again.unchanged_events) == (0, 0, first.added)
    moved = Event.get(Event.recurrence_id == "2027-02-08T09:00:00Z")
    assert moved.summary == "Team-Jour-fixe (verschoben)" and moved.tzid == "Europe/Berlin"


def test_every_vcalendar_of_a_file_is_imported(journal) -> None:
    report = import_bytes(fixture_bytes("multi_vcalendar.ics"))
    assert report.added == 4
    breakfast = Event.get(Event.summary == "Breakfast with Chen")
    # Floating time in the second calendar's X-WR-TIMEZONE (Chicago, CDT: UTC-5).
    assert breakfast.start_utc == datetime(2027, 7, 6, 13, 30)


def test_a_failure_inside_the_import_leaves_the_journal_unchanged(journal, monkeypatch) -> None:
    import_bytes(calendar(FLIGHT, HOTEL, BACK))
    before = table_dump()

    def broken(*_a: object, **_k: object) -> None:
        raise RuntimeError("disk full")

    monkeypatch.setattr(trips, "rebuild", broken)
    with pytest.raises(RuntimeError):
        import_bytes(calendar(FLIGHT, BACK))  # would remove the hotel
    assert table_dump() == before


def test_a_cancelled_import_leaves_the_journal_unchanged(journal) -> None:
    import_bytes(calendar(FLIGHT))
    before = table_dump()
    progress = Progress()
    progress.cancel()
    with pytest.raises(Cancelled):
        sources.import_ics_bytes(fixture_bytes("tripit_feed.ics"), "x.ics", progress=progress)
    assert table_dump() == before


def test_a_refused_file_names_the_file_and_changes_nothing(journal, tmp_path) -> None:
    import_bytes(calendar(FLIGHT))
    before = table_dump()
    bad = tmp_path / "broken.ics"
    bad.write_bytes(b"BEGIN:VCARD\r\nFN:Not a calendar\r\nEND:VCARD\r\n")
    with pytest.raises(BadInput) as err:
        sources.import_ics_file(bad, today=TODAY)
    assert str(bad) in str(err.value)
    assert table_dump() == before


def test_files_are_named_by_their_absolute_path(journal, monkeypatch) -> None:
    monkeypatch.chdir(CALENDAR)
    report = sources.import_ics_file("train_trip.ics", today=TODAY)
    assert report.location == str(CALENDAR / "train_trip.ics")
    again = sources.import_ics_file(CALENDAR / "train_trip.ics", today=TODAY)
    assert again.unchanged and again.source_id == report.source_id


def test_a_new_home_zone_reads_floating_times_again(journal) -> None:
    data = fixture_bytes("floating_times.ics")
    import_bytes(data)
    workshop = Event.get(Event.summary == "Workshop with the Paris office")
    assert workshop.start_utc == datetime(2027, 6, 10, 9, 0)  # no home: UTC
    set_home("Paris")
    report = import_bytes(data)
    assert not report.unchanged and report.updated >= 1
    workshop = Event.get(Event.summary == "Workshop with the Paris office")
    assert workshop.start_utc == datetime(2027, 6, 10, 7, 0)  # 09:00 CEST


def test_the_importers_registry_imports_calendars(journal) -> None:
    [report] = importers.import_files([CALENDAR / "tripit_feed.ics"])
    doc = report.as_dict()
    assert list(doc) == [
        "path", "kind", "added", "updated", "merged", "skipped", "warnings", "events", "trips",
        "removed",
    ]  # fmt: skip
    assert (doc["kind"], doc["added"], doc["events"], doc["trips"]) == ("ics", 11, 11, 3)
    assert report.summary().startswith("11 added")


def test_the_registry_reads_floating_times_in_the_home_zone(journal) -> None:
    # The command line reads files before the journal is open: UTC; the write reads again.
    set_home("Paris")
    read = sources.ReadCalendar(
        fixture_bytes("floating_times.ics"),
        "floating.ics",
        sources.parse_ics(fixture_bytes("floating_times.ics"), "floating.ics", today=TODAY),
        "UTC",
        TODAY,
    )
    sources.write_for_import([importers.ReadFile("floating.ics", "ics", read)], Progress())
    workshop = Event.get(Event.summary == "Workshop with the Paris office")
    assert workshop.start_utc == datetime(2027, 6, 10, 7, 0)


def test_a_source_can_be_removed_with_its_trips(journal) -> None:
    set_home("London")
    report = import_bytes(fixture_bytes("tripit_feed.ics"))
    assert len(trips.list_trips(TODAY)) == 3
    sources.remove_source(report.source_id, today=TODAY)
    assert Event.select().count() == 0 and Trip.select().count() == 0
    assert sources.list_sources() == []


def test_list_sources_counts_events(journal) -> None:
    import_bytes(fixture_bytes("train_trip.ics"), "trains.ics")
    [view] = sources.list_sources()
    assert (view.kind, view.location, view.events, view.last_error) == ("file", "trains.ics", 3, "")
    assert view.name == "Trainline journeys" and view.last_fetch is not None


def _corpus_files() -> list[Path]:
    return sorted(CORPUS.rglob("*.ics"))


@pytest.mark.skipif(not CORPUS.is_dir(), reason="the shared icalendar corpus is not present")
def test_every_corpus_file_imports_or_is_refused_cleanly(journal) -> None:
    files = _corpus_files()
    assert len(files) >= 190
    imported = refused = 0
    for path in files:
        before = table_dump()
        try:
            report = sources.import_ics_file(path, today=TODAY)
        except BadInput as err:
            refused += 1
            message = str(err)
            assert message.startswith(str(path)), message
            assert table_dump() == before, f"{path.name}: refused but the journal changed"
            continue
        imported += 1
        assert report.events == Event.select().where(Event.source == report.source_id).count()
    assert imported > 100 and refused > 0
