"""parse_ics on real export styles, bad values, hostile files and the recurrence caps."""

from __future__ import annotations

import time
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rapport.core.calendar import recurrence
from rapport.core.calendar.classify import classify
from rapport.core.calendar.ics_parse import default_window, file_hash, parse_ics
from rapport.core.calendar.limits import Limits
from rapport.core.calendar.records import EventRecord, ParsedCalendar
from rapport.core.errors import BadInput, Cancelled
from rapport.core.progress import Progress

TODAY = date(2026, 11, 27)
WINDOW = default_window(TODAY)
FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "calendar"


def fixture(name: str, default_tz: str = "UTC") -> ParsedCalendar:
    return parse_ics((FIXTURES / name).read_bytes(), name, today=TODAY, default_tz=default_tz)


def cal(*lines: str, head: tuple[str, ...] = ()) -> bytes:
    """A VCALENDAR around ``lines`` (CRLF, as calendar programs write)."""
    body = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Rapport tests//EN", *head, *lines]
    return ("\r\n".join([*body, "END:VCALENDAR"]) + "\r\n").encode()


def vevent(uid: str, *props: str, summary: str = "Meeting") -> list[str]:
    return ["BEGIN:VEVENT", f"UID:{uid}", f"SUMMARY:{summary}", *props, "END:VEVENT"]


def parse(
    data: bytes,
    *,
    limits: Limits | None = None,
    progress: Progress | None = None,
    default_tz: str = "UTC",
) -> ParsedCalendar:
    return parse_ics(
        data,
        "test.ics",
        today=TODAY,
        limits=limits or Limits(),
        progress=progress,
        default_tz=default_tz,
    )


def by_summary(parsed: ParsedCalendar) -> dict[str, EventRecord]:
    return {e.summary: e for e in parsed.events}


def utc(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=UTC)


# ---- export styles ---------------------------------------------------------------------


def test_tripit_feed_flights_hotels_and_trip_markers() -> None:
    parsed = fixture("tripit_feed.ics")
    assert parsed.warnings == []
    assert parsed.calendar_name == "TripIt - Ana Lima"
    assert len(parsed.events) == 11
    ev = by_summary(parsed)
    flight = ev["BA213 LHR to BOS"]
    assert (flight.start_utc, flight.end_utc) == (utc(2027, 3, 15, 10, 20), utc(2027, 3, 15, 17, 5))
    assert flight.tzid == "" and not flight.all_day and flight.recurrence_id == ""
    assert flight.location == "London (LHR)"
    # The long DESCRIPTION was folded over several lines and carries escaped commas.
    assert "Ana Lima, Ticket #1252413345678, Seat 23A" in flight.description
    assert flight.description.endswith(
        "[Flight status and gate information is available to TripIt Pro subscribers.]"
    )
    marker = ev["Boston, MA, March 2027"]
    assert marker.all_day and marker.start_utc is None
    assert (marker.start_date, marker.end_date) == (date(2027, 3, 15), date(2027, 3, 19))
    assert marker.url == "https://www.tripit.com/trip/show/id/391827465"
    assert ev["Check-in: Hilton Boston Back Bay"].location == "40 Dalton St, Boston, MA, 02115"
    assert ev["Stay at Casa Alfama"].end_date == date(2027, 11, 6)
    assert flight.line == 25  # BEGIN:VEVENT of that event in the file


def test_gmail_export_reads_utc_times_in_the_x_wr_timezone() -> None:
    parsed = fixture("gmail_flight.ics")
    assert parsed.warnings == []
    assert parsed.default_tz == "Europe/London"
    ev = by_summary(parsed)
    flight = ev["Flight to Boston (BA 213)"]
    assert flight.start_utc == utc(2027, 3, 15, 10, 20)  # the instant is unchanged
    assert flight.tzid == "Europe/London"  # but it is shown in the calendar's zone
    assert flight.location == "London LHR" and flight.status == "CONFIRMED"
    assert ev["Coffee with Fatima"].status == "TENTATIVE"
    assert ev["Coffee with Fatima"].start_utc == utc(2027, 6, 4, 7, 30)
    assert ev["Coffee with Fatima"].location.startswith("Monmouth Coffee, 27 Monmouth St")


def test_gmail_weekly_series_expands_in_its_zone_with_recurrence_ids() -> None:
    sync = [e for e in fixture("gmail_flight.ics").events if e.summary == "Partnership sync"]
    assert len(sync) == 8  # COUNT=8
    assert [e.recurrence_id for e in sync[:2]] == ["2027-01-11T09:30:00Z", "2027-01-18T09:30:00Z"]
    assert all(e.tzid == "Europe/London" for e in sync)
    assert sync[0].organizer == "Ana Lima <ana.lima@example.com>"
    # The alarm's DESCRIPTION belongs to the VALARM, not to the event.
    assert "event reminder" not in sync[0].description


def test_outlook_windows_zone_names_exdate_and_moved_occurrence() -> None:
    parsed = fixture("outlook_windows_tz.ics")
    assert parsed.warnings == []
    series = [e for e in parsed.events if e.summary.startswith("Team-Jour-fixe")]
    rids = [e.recurrence_id for e in series]
    assert len(series) == 11  # 12 Mondays, one excluded
    assert "2027-01-25T09:00:00Z" not in rids  # the EXDATE
    assert all(e.tzid == "Europe/Berlin" for e in series)
    moved = next(e for e in series if e.summary == "Team-Jour-fixe (verschoben)")
    assert moved.recurrence_id == "2027-02-08T09:00:00Z"  # the slot it replaces
    assert moved.start_utc == utc(2027, 2, 8, 13)  # 14:00 CET
    assert moved.location == "Konferenzraum 5.OG" and moved.line == 89
    last = max(series, key=lambda e: e.recurrence_id)
    assert last.start_utc == utc(2027, 3, 29, 8)  # 10:00 CEST, after the DST switch
    assert series[0].organizer == "Jörg Müller <joerg.mueller@example.de>"
    seattle = by_summary(parsed)["Q2 review (Seattle)"]
    assert seattle.tzid == "America/Los_Angeles"
    assert seattle.start_utc == utc(2027, 4, 20, 16)


def test_custom_vtimezone_is_read_and_named_by_an_equivalent_iana_zone() -> None:
    coffee = by_summary(fixture("outlook_windows_tz.ics"))["Kaffee mit Lars"]
    assert coffee.start_utc == utc(2027, 7, 5, 15)  # 17:00 CEST
    assert coffee.tzid == "Europe/Amsterdam"  # a city the TZID names, same rules


def test_apple_export_with_alarm_birthday_and_x_wr_timezone() -> None:
    parsed = fixture("apple_calendar.ics")
    assert parsed.calendar_name == "Work" and parsed.warnings == []
    ev = by_summary(parsed)
    coffee = ev["Coffee with Priya"]
    assert coffee.start_utc == utc(2027, 4, 12, 15) and coffee.tzid == "America/New_York"
    assert coffee.location == "Café Luna\n100 Main St, Cambridge MA 02142, United States"
    birthdays = [e for e in parsed.events if e.summary == "Priya Raman’s Birthday"]
    assert [e.recurrence_id for e in birthdays] == ["2027-03-24", "2028-03-24"]
    assert all(e.all_day and e.start_date == e.end_date for e in birthdays)
    assert ev["Dinner — founders circle"].url == "https://www.example.org/dinner"


def test_conference_agenda_days_and_sessions() -> None:
    ev = by_summary(fixture("conference_agenda.ics"))
    pycon = ev["PyCon US 2027"]
    assert (pycon.start_date, pycon.end_date) == (date(2027, 5, 12), date(2027, 5, 19))
    keynote = ev["Keynote: Python in 2030"]
    assert keynote.start_utc == utc(2027, 5, 14, 16, 15)
    assert keynote.tzid == "America/Los_Angeles"
    sprints = ev["Development Sprints"]
    assert sprints.end_utc is not None and sprints.start_utc is not None
    assert sprints.end_utc - sprints.start_utc == timedelta(days=2, hours=8)


def test_train_that_ends_in_another_zone() -> None:
    eurostar = by_summary(fixture("train_trip.ics"))[
        "Eurostar 9014 London St Pancras to Paris Gare du Nord"
    ]
    assert eurostar.tzid == "Europe/London"
    assert eurostar.start_utc == utc(2027, 6, 4, 7, 1)
    assert eurostar.end_utc == utc(2027, 6, 4, 9, 20)  # 11:20 in Paris


def test_two_calendars_in_one_file_keep_their_own_zones() -> None:
    parsed = fixture("multi_vcalendar.ics")
    assert parsed.calendar_name == "Travel" and len(parsed.events) == 4
    ev = by_summary(parsed)
    assert ev["Walk along the Seine"].start_utc == utc(2027, 6, 5, 8)  # floating, in Paris
    assert ev["Walk along the Seine"].tzid == "Europe/Paris"
    assert ev["Breakfast with Chen"].start_utc == utc(2027, 7, 6, 13, 30)  # in Chicago
    assert ev["Breakfast with Chen"].tzid == "America/Chicago"


def test_floating_times_use_the_default_zone() -> None:
    in_utc = by_summary(fixture("floating_times.ics"))
    in_paris = by_summary(fixture("floating_times.ics", default_tz="Europe/Paris"))
    workshop = "Workshop with the Paris office"
    assert in_utc[workshop].start_utc == utc(2027, 6, 10, 9) and in_utc[workshop].tzid == ""
    assert in_paris[workshop].start_utc == utc(2027, 6, 10, 7)
    assert in_paris[workshop].tzid == "Europe/Paris"
    dinner = in_paris["Team dinner"]  # DURATION instead of DTEND
    assert dinner.end_utc is not None and dinner.start_utc is not None
    assert dinner.end_utc - dinner.start_utc == timedelta(hours=2)
    offsite = in_paris["Offsite"]  # an all-day DURATION:P2D
    assert (offsite.start_date, offsite.end_date) == (date(2027, 6, 12), date(2027, 6, 13))
    runs = [
        e
        for e in fixture("floating_times.ics", default_tz="Europe/Paris").events
        if e.summary == "Morning run"
    ]
    assert [e.recurrence_id for e in runs] == [
        "2027-06-14T05:00:00Z",
        "2027-06-15T05:00:00Z",
        "2027-06-16T05:00:00Z",
    ]


def test_cancelled_events_are_kept_with_their_status() -> None:
    parsed = fixture("cancelled_event.ics")
    assert {e.summary: e.status for e in parsed.events} == {
        "Canceled: Lunch & demo at Kendall": "CANCELLED",
        "UA926 SFO to EWR": "CANCELLED",
    }
    lunch = by_summary(parsed)["Canceled: Lunch & demo at Kendall"]
    assert lunch.tzid == "America/New_York"  # "Eastern Standard Time"
    assert lunch.start_utc == utc(2027, 3, 17, 18)


def test_default_tz_must_be_a_real_zone() -> None:
    with pytest.raises(ValueError, match="unknown time zone"):
        parse(cal(), default_tz="Mars/Olympus")


# ---- hashes and identity ---------------------------------------------------------------


def test_hashes_are_stable_and_follow_the_event_text() -> None:
    data = (FIXTURES / "tripit_feed.ics").read_bytes()
    first, again = parse(data), parse(data)
    assert first.content_hash == again.content_hash == file_hash(data)
    assert [e.content_hash for e in first.events] == [e.content_hash for e in again.events]
    changed = parse(data.replace(b"Seat 23A", b"Seat 24B"))
    old = {e.uid: e.content_hash for e in first.events}
    new = {e.uid: e.content_hash for e in changed.events}
    differing = [uid for uid in old if old[uid] != new[uid]]
    assert differing == ["item-a81f20d4-5e3c-4b7a-8c1d-6f0e9b2a4c13@tripit.com"]
    assert changed.content_hash != first.content_hash


def test_event_without_uid_gets_a_stable_one() -> None:
    data = cal("BEGIN:VEVENT", "SUMMARY:No id", "DTSTART:20270301T090000Z", "END:VEVENT")
    one, two = parse(data).events, parse(data).events
    assert one[0].uid == two[0].uid and one[0].uid.startswith("rapport-no-uid-")


def test_duplicate_uid_keeps_the_later_copy_unless_older_has_higher_sequence() -> None:
    data = cal(
        *vevent("dup", "DTSTART:20270301T090000Z", "SEQUENCE:1", summary="First"),
        *vevent("dup", "DTSTART:20270302T090000Z", "SEQUENCE:0", summary="Second"),
        *vevent("two", "DTSTART:20270301T090000Z", summary="Old"),
        *vevent("two", "DTSTART:20270302T090000Z", summary="New"),
    )
    parsed = parse(data)
    assert sorted(e.summary for e in parsed.events) == ["First", "New"]
    assert any("more than once" in w for w in parsed.warnings)


# ---- bad values --------------------------------------------------------------------------


def test_bad_values_are_reported_per_event() -> None:
    data = cal(
        *vevent("ok", "DTSTART:20270301T090000Z", summary="Fine"),
        *vevent("bad", "DTSTART:2027XX01T090000", summary="Team offsite"),
        *vevent("end", "DTSTART:20270301T090000Z", "DTEND:tomorrow", summary="Bad end"),
        *vevent("back", "DTSTART:20270301T090000Z", "DTEND:20270301T080000Z", summary="Back"),
        *vevent("none", "LOCATION:nowhere", summary="Undated"),
        *vevent("zone", "DTSTART;TZID=Mars/Olympus:20270301T090000", summary="Martian"),
    )
    parsed = parse(data)
    assert sorted(e.summary for e in parsed.events) == ["Back", "Bad end", "Fine", "Martian"]
    assert "line 9: event 'Team offsite': bad DTSTART, skipped" in parsed.warnings
    assert "line 14: event 'Bad end': bad DTEND, ignored" in parsed.warnings
    assert any("'Back': it ends before it starts" in w for w in parsed.warnings)
    assert "line 26: event 'Undated': no DTSTART, skipped" in parsed.warnings
    assert "line 31: unknown time zone 'Mars/Olympus': its times were read as UTC time" in (
        parsed.warnings
    )
    martian = by_summary(parsed)["Martian"]
    assert martian.start_utc == utc(2027, 3, 1, 9)  # read as floating, default UTC


def test_zone_forms_calendars_use() -> None:
    data = cal(
        *vevent(
            "g",
            "DTSTART;TZID=/mozilla.org/20050126_1/Europe/Berlin:20270301T090000",
            summary="Globally unique",
        ),
        *vevent("z", "DTSTART;TZID=Europe/Berlin:20270301T090000Z", summary="Z and TZID"),
        *vevent("d", "DTSTART;TZID=Europe/Berlin:20270301", summary="Date with TZID"),
        *vevent("w", 'DTSTART;TZID="Pacific Standard Time":20270301T090000', summary="Windows"),
    )
    ev = by_summary(parse(data))
    assert ev["Globally unique"].tzid == "Europe/Berlin"
    assert ev["Globally unique"].start_utc == utc(2027, 3, 1, 8)
    assert ev["Z and TZID"].start_utc == utc(2027, 3, 1, 8)  # like icalendar: the TZID wins
    assert ev["Date with TZID"].all_day and ev["Date with TZID"].start_date == date(2027, 3, 1)
    assert ev["Windows"].tzid == "America/Los_Angeles"


def test_utf8_is_strict_and_the_fallback_is_announced() -> None:
    data = cal(*vevent("c", "DTSTART:20270301T090000Z", "LOCATION:Café Müller", summary="Café"))
    parsed = parse(data.decode().encode("cp1252"))
    assert by_summary(parsed)["Café"].location == "Café Müller"
    assert len(parsed.warnings) == 1
    assert "not valid UTF-8" in parsed.warnings[0] and "Windows-1252" in parsed.warnings[0]
    assert parse(data).warnings == []


def test_other_encodings_and_line_ends_real_files_have() -> None:
    text = cal(*vevent("u", "DTSTART:20270301T090000Z", summary="Zürich")).decode()
    assert by_summary(parse(b"\xef\xbb\xbf" + text.encode()))["Zürich"]
    assert by_summary(parse(b"\xff\xfe" + text.encode("utf-16-le")))["Zürich"]
    assert by_summary(parse(text.replace("\r\n", "\r").encode()))["Zürich"]  # classic Mac
    assert by_summary(parse(text.replace("\r\n", "\n").encode()))["Zürich"]


# ---- hostile files -------------------------------------------------------------------------


def refused(data: bytes, match: str, limits: Limits | None = None) -> BadInput:
    started = time.perf_counter()
    with pytest.raises(BadInput, match=match) as err:
        parse(data, limits=limits)
    assert time.perf_counter() - started < 5
    return err.value


def test_deep_nesting_is_refused_with_its_line() -> None:
    err = refused(cal(*(["BEGIN:X-DEEP"] * 10_000), *(["END:X-DEEP"] * 10_000)), "nested")
    assert err.line == 8 and err.path == "test.ics"


def test_junk_is_refused_or_skipped_quickly() -> None:
    junk = "".join(f"junk line {i} with no colon\r\n" for i in range(100_000)).encode()
    refused(junk, "not an iCalendar file")
    inside = cal(*(f"garbage {i}" for i in range(100_000)), *vevent("a", "DTSTART:20270301"))
    started = time.perf_counter()
    assert len(parse(inside).events) == 1
    assert time.perf_counter() - started < 5


def test_not_a_calendar_is_refused() -> None:
    refused(b"", "not an iCalendar file")
    refused(b"BEGIN:VCARD\r\nFN:Ana\r\nEND:VCARD\r\n", r"it holds VCARD")
    refused(b"BEGIN:VCALENDAR\r\n\x00\x01\x02", "binary file")


def test_truncated_download_is_refused_not_half_read() -> None:
    data = cal(*vevent("a", "DTSTART:20270301"), *vevent("b", "DTSTART:20270302"))
    refused(data[: data.index(b"BEGIN:VEVENT", 60)], "BEGIN:VCALENDAR is never closed")


def test_oversize_file_is_refused_before_reading() -> None:
    refused(b"BEGIN:VCALENDAR\r\n" + b" " * (50 * 1024 * 1024), "calendars over")


def test_a_legit_40_mb_calendar_imports() -> None:
    # Outlook can inline attachments: a big folded base64 ATTACH inside one event.
    chunk = "QUJD" * 18 + "\r\n "
    attach = "ATTACH;ENCODING=BASE64;VALUE=BINARY;FMTTYPE=application/pdf:" + chunk * 540_000
    data = cal(*vevent("big", "DTSTART:20270301T090000Z", attach, summary="Contract"))
    assert len(data) > 40_000_000
    started = time.perf_counter()
    assert [e.summary for e in parse(data).events] == ["Contract"]
    assert time.perf_counter() - started < 5


def test_long_line_and_too_many_components_are_refused() -> None:
    refused(cal("DESCRIPTION:" + "a" * 1_100_000), "longer than")
    many = cal(*(["BEGIN:X-THING", "END:X-THING"] * 2_000))
    refused(many, "more than 1,000 components", Limits(max_components=1_000))


# ---- recurrence ----------------------------------------------------------------------------


def test_daily_rule_without_end_is_expanded_only_inside_the_window() -> None:
    parsed = parse(cal(*vevent("d", "DTSTART:20200101T090000Z", "RRULE:FREQ=DAILY")))
    days = sorted(e.start_utc for e in parsed.events if e.start_utc)
    assert len(days) == (WINDOW[1] - WINDOW[0]).days + 1
    assert days[0] == utc(WINDOW[0].year, WINDOW[0].month, WINDOW[0].day, 9)
    assert parsed.warnings == []


def test_a_series_is_capped_and_an_explosion_refused() -> None:
    hourly_ish = cal(*vevent("p", "DTSTART:20270101T000000Z", "RRULE:FREQ=DAILY;BYHOUR=1,5,9"))
    parsed = parse(hourly_ish)
    assert len(parsed.events) == 2_000
    assert any("more than 2,000 times" in w for w in parsed.warnings)
    assert min(e.start_utc for e in parsed.events if e.start_utc) == utc(2027, 1, 1)
    every_minute = cal(
        *vevent(
            "m",
            "DTSTART:20270101T000000Z",
            "RRULE:FREQ=DAILY;BYHOUR="
            + ",".join(map(str, range(24)))
            + ";BYMINUTE="
            + ",".join(map(str, range(60))),
        )
    )
    started = time.perf_counter()
    assert len(parse(every_minute).events) == 2_000
    assert time.perf_counter() - started < 3
    many = [
        line
        for i in range(80)
        for line in vevent(f"x{i}", "DTSTART:20270101T090000Z", "RRULE:FREQ=DAILY")
    ]
    refused(cal(*many), "repeat more than 50,000 times")


@pytest.mark.parametrize(
    ("rule", "reason"),
    [
        ("FREQ=SECONDLY", "more often than daily"),
        ("FREQ=HOURLY;INTERVAL=24;BYHOUR=5", "more often than daily"),
        ("FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30", "a day its months do not have"),
        ("FREQ=YEARLY;BYMONTH=4;BYMONTHDAY=31", "a day its months do not have"),
        ("FREQ=DAILY;INTERVAL=7;BYDAY=TU", "never falls on the weekdays"),
        ("FREQ=MONTHLY;INTERVAL=12;BYMONTH=2", "never reaches the months"),
        ("FREQ=YEARLY;INTERVAL=4;BYMONTH=2;BYMONTHDAY=29", "29 February"),
        ("FREQ=WEEKLY;BYEASTER=0", "uses BYEASTER"),
        ("FREQ=FORTNIGHTLY", "no valid FREQ"),
        ("FREQ=DAILY;INTERVAL=0", "INTERVAL"),
    ],
)
def test_rules_that_cannot_be_expanded_import_their_first_occurrence(
    rule: str, reason: str
) -> None:
    # DTSTART 2027-01-04 is a Monday in a year that is not a leap year.
    parsed = parse(cal(*vevent("r", "DTSTART:20270104T090000Z", f"RRULE:{rule}")))
    assert [(e.recurrence_id, e.start_utc) for e in parsed.events] == [("", utc(2027, 1, 4, 9))]
    assert len(parsed.warnings) == 1 and reason in parsed.warnings[0]


def test_a_series_starting_in_antiquity_is_not_walked() -> None:
    parsed = parse(cal(*vevent("old", "DTSTART:00010101T090000Z", "RRULE:FREQ=DAILY")))
    assert len(parsed.events) == 1 and "too long ago" in parsed.warnings[0]


def test_a_stuck_rule_engine_is_stopped_by_the_deadline(monkeypatch: pytest.MonkeyPatch) -> None:
    # Pretend the rule check missed an impossible rule: dateutil would walk to year 9999.
    monkeypatch.setattr(recurrence, "_check_occurs", lambda *args: None)
    data = cal(*vevent("s", "DTSTART:20270101T090000Z", "RRULE:FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30"))
    started = time.perf_counter()
    with pytest.raises(BadInput, match="takes too long"):
        parse(data, limits=Limits(max_expansion_seconds=0.3))
    assert time.perf_counter() - started < 3


def test_a_broken_series_does_not_spoil_the_others() -> None:
    data = cal(
        *vevent("good", "DTSTART:20270104T090000Z", "RRULE:FREQ=WEEKLY;COUNT=3", summary="Good"),
        *vevent("bad", "DTSTART:20270104T090000Z", "RRULE:FREQ=WEEKLY;UNTIL=soon", summary="Bad"),
    )
    parsed = parse(data)
    assert sorted(e.summary for e in parsed.events) == ["Bad", "Good", "Good", "Good"]
    assert any("'Bad': its recurrence could not be expanded" in w for w in parsed.warnings)


def test_moved_occurrence_without_its_series_is_kept_alone() -> None:
    data = cal(*vevent("lone", "RECURRENCE-ID:20270301T090000Z", "DTSTART:20270302T090000Z"))
    (event,) = parse(data).events
    assert event.recurrence_id == "2027-03-01T09:00:00Z"
    assert event.start_utc == utc(2027, 3, 2, 9)


def test_empty_rdate_does_not_make_an_event_recurring() -> None:
    (event,) = parse(cal(*vevent("e", "DTSTART:20250101T100000Z", "RDATE:"))).events
    assert event.recurrence_id == "" and event.start_utc == utc(2025, 1, 1, 10)


def test_window_can_be_given() -> None:
    data = cal(*vevent("w", "DTSTART:20270101T090000Z", "RRULE:FREQ=WEEKLY"))
    parsed = parse_ics(data, "w.ics", window=(date(2027, 1, 1), date(2027, 1, 31)))
    assert len(parsed.events) == 5


# ---- progress ------------------------------------------------------------------------------


def test_progress_is_reported_and_cancel_stops_the_parse() -> None:
    data = cal(*[line for i in range(1_200) for line in vevent(f"e{i}", "DTSTART:20270301")])
    seen: list[tuple[int, int]] = []
    parse(data, progress=Progress(lambda done, total, label: seen.append((done, total))))
    assert seen[0] == (500, 1_200) and seen[-1] == (1_200, 1_200)
    progress = Progress()
    progress.cancel()
    with pytest.raises(Cancelled):
        parse(data, progress=progress)


def test_records_are_plain_values() -> None:
    event = fixture("tripit_feed.ics").events[0]
    assert replace(event) == event and hash(event) == hash(replace(event))


# ---- fuzzing ---------------------------------------------------------------------------------

_NASTY_LINES = [
    b"DTSTART:00010101T000000",
    b"DTSTART;TZID=America/New_York:00010101T000000",
    b"DTEND:99991231T235959Z",
    b"DURATION:P999999999D",
    b"RRULE:FREQ=DAILY;UNTIL=99991231T000000Z",
    b"RRULE:FREQ=YEARLY;BYWEEKNO=53;BYDAY=MO",
    b"RRULE:FREQ=MONTHLY;BYSETPOS=-1;BYDAY=MO,TU",
    b"RRULE:FREQ=DAILY;BYHOUR=25",
    b"RECURRENCE-ID;TZID=Mars:20270101T000000",
    b"RDATE;VALUE=PERIOD:20270101T000000Z/P1D",
    b"EXDATE:garbage",
    b"X-WR-TIMEZONE:../../etc/passwd",
    b"DTSTART;TZID=Europe:20270101T000000",
    b"BEGIN:VEVENT",
    b"END:VEVENT",
    b"BEGIN:VTIMEZONE",
    b"END:VCALENDAR",
    b"SEQUENCE:99999999999999999999999",
    b" folded continuation",
    b"\xff\xfe\r",
]


@settings(max_examples=150, deadline=None, derandomize=True)
@given(
    name=st.sampled_from(sorted(p.name for p in FIXTURES.glob("*.ics"))),
    edits=st.lists(
        st.tuples(
            st.integers(0, 10_000),
            st.sampled_from(["insert", "delete", "append"]),
            st.sampled_from(_NASTY_LINES),
        ),
        min_size=1,
        max_size=6,
    ),
)
def test_damaged_calendars_are_read_or_refused(
    name: str, edits: list[tuple[int, str, bytes]]
) -> None:
    lines = (FIXTURES / name).read_bytes().split(b"\n")
    for at, op, line in edits:
        k = at % len(lines)
        if op == "insert":
            lines.insert(k, line)
        elif op == "delete":
            del lines[k]
        else:
            lines[k] += line
    try:
        parsed = parse(b"\n".join(lines))
    except BadInput:
        return
    for ev in parsed.events:
        classify(ev)
