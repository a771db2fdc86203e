"""classify on the shapes real travel events have, and on the fixture calendars."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from rapport.core.calendar.classify import Classification, classify
from rapport.core.calendar.ics_parse import parse_ics
from rapport.core.calendar.records import EventRecord

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "calendar"


def event(
    summary: str,
    location: str = "",
    description: str = "",
    *,
    days: int = 0,
    all_day: bool = False,
    hours: float = 2,
) -> EventRecord:
    """An event starting on 1 March 2027: all-day over ``days`` extra days, or timed."""
    start = datetime(2027, 3, 1, 9, tzinfo=UTC)
    return EventRecord(
        uid="u@test",
        recurrence_id="",
        summary=summary,
        description=description,
        location=location,
        start_utc=None if all_day else start,
        end_utc=None if all_day else start + timedelta(days=days, hours=hours),
        tzid="",
        all_day=all_day,
        start_date=date(2027, 3, 1) if all_day else None,
        end_date=date(2027, 3, 1 + days) if all_day else None,
        status="",
        url="",
        organizer="",
        line=1,
        content_hash="",
    )


def kind_and(c: Classification, *fields: str) -> tuple[str, ...]:
    return (c.kind, *(str(getattr(c, f)) for f in fields))


FLIGHT_FIELDS = ("origin_text", "destination_text", "iata_from", "iata_to", "flight_number")


@pytest.mark.parametrize(
    ("ev", "expected"),
    [
        # Gmail: a flight event made from a confirmation email
        (
            event("Flight to Boston (BA 213)", "London LHR"),
            ("flight", "London", "Boston", "LHR", "", "BA213"),
        ),
        # TripIt's titles, old and new
        (
            event("BA213 LHR to BOS", "London (LHR)"),
            ("flight", "LHR", "BOS", "LHR", "BOS", "BA213"),
        ),
        (
            event("Flight: BA213 from London, GB to Boston, MA"),
            ("flight", "London, GB", "Boston, MA", "", "", "BA213"),
        ),
        # an airline's own calendar entry
        (event("LH 931 FRA → BER"), ("flight", "FRA", "BER", "FRA", "BER", "LH931")),
        (event("✈ U2 8241 LGW-CDG"), ("flight", "LGW", "CDG", "LGW", "CDG", "U28241")),
        # codes found only in TripIt's description
        (
            event(
                "Flight BA 117",
                "",
                "[Flight] 3/1/2027 British Airways(BA) #117 dep LHR "
                "8:25am GMT; arr JFK 11:10am EST",
            ),
            ("flight", "LHR", "JFK", "LHR", "JFK", "BA117"),
        ),
    ],
)
def test_flights(ev: EventRecord, expected: tuple[str, ...]) -> None:
    c = classify(ev)
    assert kind_and(c, *FLIGHT_FIELDS) == expected
    assert c.confidence >= 0.6


@pytest.mark.parametrize(
    ("summary", "origin", "destination", "number"),
    [
        (
            "Eurostar 9014 London St Pancras to Paris Gare du Nord",
            "London St Pancras",
            "Paris Gare du Nord",
            "Eurostar 9014",
        ),
        ("ICE 597 Berlin Hbf → München Hbf", "Berlin Hbf", "München Hbf", "ICE 597"),
        (
            "Amtrak Acela 2151 New York Penn to Boston South Station",
            "New York Penn",
            "Boston South Station",
            "Amtrak Acela 2151",
        ),
        ("Train to Edinburgh", "", "Edinburgh", ""),
        ("Zug nach Hamburg", "", "Hamburg", ""),
    ],
)
def test_trains(summary: str, origin: str, destination: str, number: str) -> None:
    c = classify(event(summary))
    assert kind_and(c, "origin_text", "destination_text", "train_number") == (
        "train",
        origin,
        destination,
        number,
    )
    assert c.flight_number == "" and c.iata_to == ""


@pytest.mark.parametrize(
    ("ev", "destination"),
    [
        (
            event("Check-in: Hilton Boston Back Bay", "40 Dalton St, Boston, MA, 02115"),
            "40 Dalton St, Boston, MA, 02115",
        ),
        (
            event(
                "Hotel: The Westin Grand Berlin",
                "Friedrichstraße 158-164, 10117 Berlin",
                all_day=True,
                days=3,
            ),
            "Friedrichstraße 158-164, 10117 Berlin",
        ),
        (event("Check-out: Hotel Le Marais"), "Hotel Le Marais"),
        (
            event(
                "Stay at Casa Alfama",
                "Rua dos Remédios 12, 1100-441 Lisboa, Portugal",
                all_day=True,
                days=4,
            ),
            "Rua dos Remédios 12, 1100-441 Lisboa, Portugal",
        ),
        (event("Airbnb: Loft in Kreuzberg", all_day=True, days=2), "Loft in Kreuzberg"),
    ],
)
def test_hotel_stays(ev: EventRecord, destination: str) -> None:
    assert kind_and(classify(ev), "destination_text") == ("hotel", destination)


@pytest.mark.parametrize(
    ("ev", "destination"),
    [
        (event("Boston, MA, March 2027", "Boston, MA", all_day=True, days=4), "Boston, MA"),
        (event("Lisbon, Portugal, November 2027", all_day=True, days=5), "Lisbon, Portugal"),
        (event("Trip to Tokyo"), "Tokyo"),
        (event("Vacation in Maine", "Bar Harbor, ME", all_day=True, days=6), "Bar Harbor, ME"),
    ],
)
def test_trip_markers(ev: EventRecord, destination: str) -> None:
    assert kind_and(classify(ev), "destination_text") == ("trip", destination)


def test_a_month_in_a_timed_title_is_not_a_trip_marker() -> None:
    assert classify(event("Budget review, March 2027")).kind == "other"


@pytest.mark.parametrize(
    "ev",
    [
        event(
            "PyCon US 2027",
            "Long Beach Convention Center, 300 E Ocean Blvd, Long Beach, CA",
            all_day=True,
            days=7,
        ),
        event("Web Summit", "MEO Arena, Rossio dos Olivais, 1990-231 Lisboa", all_day=True, days=3),
        event("KubeCon Europe"),
        # no telling name, but several days at a venue address
        event(
            "FOSDEM",
            "ULB Solbosch, Avenue Franklin Roosevelt 50, 1050 Bruxelles",
            all_day=True,
            days=1,
        ),
    ],
)
def test_conferences(ev: EventRecord) -> None:
    c = classify(ev)
    assert c.kind == "conference" and c.destination_text == ev.location


@pytest.mark.parametrize(
    "ev",
    [
        event("1:1 with Ana"),
        event("Dentist", "Dr. Weber, Hauptstr. 5, Berlin"),
        event("Conf call with Ana"),
        event("Migrate API to SDK"),  # three-letter codes, but not a flight
        event("Ice skating with the kids"),
        event("Q3 2027 planning"),
        event("Keynote: Python in 2030", "Hall A, Long Beach Convention Center"),
        event("Coffee with Priya", "Café Luna, 100 Main St, Cambridge MA"),
    ],
)
def test_other_events(ev: EventRecord) -> None:
    c = classify(ev)
    assert (c.kind, c.destination_text, c.iata_to) == ("other", "", "")


def test_confidence_grows_with_the_evidence() -> None:
    weak = classify(event("LHR → BOS"))
    strong = classify(event("BA213 LHR → BOS", "London (LHR)", "[Flight] ..."))
    assert weak.kind == strong.kind == "flight"
    assert 0 < weak.confidence < strong.confidence <= 1


@pytest.mark.parametrize(
    ("name", "kinds"),
    [
        (
            "tripit_feed.ics",
            {"trip": 3, "flight": 4, "hotel": 4},
        ),
        ("train_trip.ics", {"train": 3}),
        ("conference_agenda.ics", {"conference": 3, "other": 3}),
        ("cancelled_event.ics", {"other": 1, "flight": 1}),
    ],
)
def test_fixture_calendars(name: str, kinds: dict[str, int]) -> None:
    parsed = parse_ics((FIXTURES / name).read_bytes(), name, today=date(2026, 11, 27))
    found: dict[str, int] = {}
    for ev in parsed.events:
        kind = classify(ev).kind
        found[kind] = found.get(kind, 0) + 1
    assert found == kinds


def test_tripit_flight_back_home_names_both_ends() -> None:
    parsed = parse_ics((FIXTURES / "tripit_feed.ics").read_bytes(), "t.ics")
    back = next(e for e in parsed.events if e.summary.startswith("Flight: BA212"))
    c = classify(back)
    assert (c.origin_text, c.destination_text, c.iata_from, c.iata_to) == (
        "Boston, MA",
        "London, GB",
        "BOS",
        "LHR",
    )
