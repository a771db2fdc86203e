"""The sample journal's travel: a calendar made relative to today, imported the real way.

So that ``rapport --demo`` shows a live Calendar view: upcoming trips to Boston, Berlin,
Lisbon (a conference), Paris (by train) and San Francisco, one past trip to Tokyo, a
contact visiting, people flagged on each trip, and a coffee already planned. The .ics is
written in the shapes real exports use (TripIt, Gmail, Trainline) and goes through the
same import as a user's file.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, time, timedelta

from rapport.core import flags, meetings, trips
from rapport.core.calendar import sources
from rapport.store import settings
from rapport.store.models import CalendarSource, Event, Person

LOCATION = "Sample travel.ics"
HOME = "London, GB"


def _utc(day: date, hour: int, minute: int = 0) -> str:
    return datetime.combine(day, time(hour, minute)).strftime("%Y%m%dT%H%M%SZ")


def _event(uid: str, summary: str, start: str, end: str, location: str = "") -> list[str]:
    lines = ["BEGIN:VEVENT", f"UID:{uid}@sample.rapport", "DTSTAMP:20260101T000000Z"]
    for name, value in (("DTSTART", start), ("DTEND", end)):
        lines.append(f"{name};VALUE=DATE:{value}" if len(value) == 8 else f"{name}:{value}")
    lines.append(f"SUMMARY:{summary}")
    if location:
        lines.append("LOCATION:" + location.replace(",", "\\,"))
    lines.append("END:VEVENT")
    return lines


def _day(d: date) -> str:
    return d.strftime("%Y%m%d")


def sample_calendar(today: date) -> bytes:
    """A travel calendar around ``today``, as TripIt, Gmail and Trainline write them."""
    boston, berlin, lisbon = (today + timedelta(days=n) for n in (12, 30, 55))
    paris, sf, tokyo = (today + timedelta(days=n) for n in (75, 100, -40))
    e: list[str] = []
    e += _event(
        "boston-trip",
        f"Boston, MA, {boston:%B %Y}",
        _day(boston),
        _day(boston + timedelta(5)),
        "Boston, MA",
    )
    e += _event(
        "boston-out", "BA213 LHR to BOS", _utc(boston, 10, 20), _utc(boston, 17, 5), "London (LHR)"
    )
    e += _event(
        "boston-in",
        "Check-in: Hilton Boston Back Bay",
        _utc(boston, 21),
        _utc(boston, 22),
        "40 Dalton St, Boston, MA, 02115",
    )
    e += _event(
        "boston-outh",
        "Check-out: Hilton Boston Back Bay",
        _utc(boston + timedelta(4), 15),
        _utc(boston + timedelta(4), 16),
        "40 Dalton St, Boston, MA, 02115",
    )
    e += _event(
        "boston-back",
        "BA212 BOS to LHR",
        _utc(boston + timedelta(4), 23, 30),
        _utc(boston + timedelta(5), 6, 35),
        "Boston (BOS)",
    )
    e += _event(
        "berlin-out",
        "Flight to Berlin (BA 982)",
        _utc(berlin, 7, 15),
        _utc(berlin, 9, 5),
        "London LHR",
    )
    e += _event(
        "berlin-hotel",
        "Hotel: The Westin Grand Berlin",
        _day(berlin),
        _day(berlin + timedelta(3)),
        "Friedrichstraße 158-164, 10117 Berlin, Germany",
    )
    e += _event(
        "berlin-back",
        "Flight to London (BA 987)",
        _utc(berlin + timedelta(3), 17),
        _utc(berlin + timedelta(3), 18, 5),
        "Berlin BER",
    )
    e += _event(
        "lisbon-out",
        "TP1351 LHR to LIS",
        _utc(lisbon - timedelta(1), 7, 10),
        _utc(lisbon - timedelta(1), 9, 25),
        "London (LHR)",
    )
    e += _event(
        "websummit",
        "Web Summit",
        _day(lisbon),
        _day(lisbon + timedelta(4)),
        "Altice Arena, Rossio dos Olivais, 1990-231 Lisboa, Portugal",
    )
    e += _event(
        "lisbon-back",
        "TP1352 LIS to LHR",
        _utc(lisbon + timedelta(3), 18),
        _utc(lisbon + timedelta(3), 20, 35),
        "Lisbon (LIS)",
    )
    e += _event(
        "paris-out",
        "Eurostar 9014 London St Pancras to Paris Gare du Nord",
        _utc(paris, 7, 1),
        _utc(paris, 9, 20),
        "London St Pancras International",
    )
    e += _event(
        "paris-back",
        "Eurostar 9039 Paris Gare du Nord to London St Pancras",
        _utc(paris + timedelta(2), 17, 13),
        _utc(paris + timedelta(2), 18, 30),
        "Paris Gare du Nord",
    )
    e += _event("sf-out", "UA901 LHR to SFO", _utc(sf, 11), _utc(sf, 22), "London (LHR)")
    e += _event(
        "sf-hotel",
        "Hotel: Hotel Zetta",
        _day(sf),
        _day(sf + timedelta(4)),
        "55 5th St, San Francisco, CA 94103",
    )
    e += _event(
        "sf-back",
        "UA900 SFO to LHR",
        _utc(sf + timedelta(3), 23),
        _utc(sf + timedelta(4), 9, 30),
        "San Francisco (SFO)",
    )
    e += _event(
        "tokyo-out",
        "NH212 LHR to HND",
        _utc(tokyo, 11, 30),
        _utc(tokyo + timedelta(1), 2, 45),
        "London (LHR)",
    )
    e += _event(
        "tokyo-back",
        "NH211 HND to LHR",
        _utc(tokyo + timedelta(5), 1, 15),
        _utc(tokyo + timedelta(5), 15, 30),
        "Tokyo (HND)",
    )
    e += _event("dentist", "Dentist", _utc(today + timedelta(8), 9), _utc(today + timedelta(8), 10))
    head = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Rapport//Sample travel//EN",
        "X-WR-CALNAME:Sample travel",
    ]
    return ("\r\n".join([*head, *e, "END:VCALENDAR"]) + "\r\n").encode()  # fmt: skip


def add_sample_travel(person_ids: Sequence[int], today: date) -> None:
    """Import the sample calendar, add a visit, a conference link and planned coffees."""
    settings.put("home_city", HOME)
    if not settings.get("me.name"):
        settings.put("me.name", "Alex Sample")
        settings.put("me.email", "alex@example.com")
    report = sources.import_ics_bytes(sample_calendar(today), LOCATION, today=today)
    # Not a file on disk: refreshing must not look for it.
    CalendarSource.update(enabled=False).where(CalendarSource.id == report.source_id).execute()
    living = Person.select(Person.id, Person.city).where(
        Person.id.in_(list(person_ids)) & (Person.archived == False)  # noqa: E712
    )
    by_city: dict[str, list[int]] = {}
    for row in living.order_by(Person.id):
        by_city.setdefault(str(row.city), []).append(int(row.id))
    visitor = next(iter(by_city.get("Munich") or by_city.get("Berlin") or ()), None)
    if visitor is not None:
        trips.add_visit(visitor, today + timedelta(20), today + timedelta(22), today=today)
    summit = Event.get_or_none(Event.uid == "websummit@sample.rapport")
    linked = next(iter(by_city.get("Amsterdam") or by_city.get("Zurich") or ()), None)
    if summit is not None and linked is not None:
        flags.link_people(int(summit.id), [linked], today=today)
    planned = 0
    for trip in trips.list_trips(today):
        if trip.person_id is not None:
            continue
        best = flags.suggestions(trip_id=trip.id, today=today)
        if not best:
            continue
        mid, _ = meetings.plan_meeting([], flag_id=best[0].flag_id)
        if planned == 0:
            meetings.set_meeting_status(mid, "invited")
        elif planned == 1:
            meetings.set_meeting_status(mid, "confirmed")
        planned += 1
        if planned == 3:
            break
