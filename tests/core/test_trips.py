"""Trips from real export styles: merging a journey's events, local days across time zones
and the date line, the home city, corrections that survive re-import, and visits."""

from __future__ import annotations

from datetime import date

import pytest
from travel_helpers import (
    TODAY,
    calendar,
    fixture_bytes,
    import_bytes,
    person,
    set_home,
    vevent,
)

from rapport.core import trips
from rapport.core.errors import BadInput
from rapport.store.models import Event, Trip


def spans() -> list[tuple[str, str, str]]:
    return [(t.city, str(t.start), str(t.end)) for t in trips.list_trips(date(2000, 1, 1))]


def trip_of(city: str) -> trips.TripView:
    [found] = [
        t for t in trips.list_trips(date(2000, 1, 1), include_dismissed=True) if t.city == city
    ]
    return found


# ---- export styles -----------------------------------------------------------------------


def test_tripit_feed_makes_one_trip_per_journey(journal) -> None:
    set_home("London, GB")
    import_bytes(fixture_bytes("tripit_feed.ics"))
    assert spans() == [
        ("Boston", "2027-03-15", "2027-03-19"),
        ("Berlin", "2027-05-10", "2027-05-13"),
        ("Lisbon", "2027-11-02", "2027-11-06"),
    ]
    boston = trip_of("Boston")
    # Marker, outbound flight, the hotel's check-in and check-out, and the return flight.
    assert len(boston.event_ids) == 5
    assert "Flight: BA212 from Boston, MA to London, GB" in boston.summaries
    assert (boston.country, boston.timezone) == ("US", "America/New_York")
    assert boston.lat == pytest.approx(42.36, abs=0.05)


def test_gmail_flight_with_x_wr_timezone_lands_on_the_local_day(journal) -> None:
    set_home("London")
    import_bytes(fixture_bytes("gmail_flight.ics"))
    # 17:05 UTC is 13:05 in Boston (EDT from 14 March 2027).
    assert spans() == [("Boston", "2027-03-15", "2027-03-15")]
    assert trip_of("Boston").summaries == ("Flight to Boston (BA 213)",)


def test_outlook_windows_zones_and_an_unplaced_holiday(journal) -> None:
    set_home("Berlin")
    import_bytes(fixture_bytes("outlook_windows_tz.ics"))
    # Meetings are not travel; "Urlaub in Italien" is a trip the gazetteer cannot place.
    assert spans() == [("Italien", "2027-07-26", "2027-08-02")]
    italy = trip_of("Italien")
    assert italy.lat is None and italy.country == ""
    review = Event.get(Event.summary == "Q2 review (Seattle)")
    assert (review.kind, review.tzid, review.trip_id) == ("other", "America/Los_Angeles", None)


def test_trains_take_the_user_to_the_destination_station_city(journal) -> None:
    set_home("London")
    import_bytes(fixture_bytes("train_trip.ics"))
    assert spans() == [
        ("Boston", "2027-03-16", "2027-03-16"),
        ("Paris", "2027-06-04", "2027-06-04"),
        ("Munich", "2027-06-10", "2027-06-10"),
    ]


def test_conference_agenda_gives_the_conference_city(journal) -> None:
    set_home("San Francisco")
    import_bytes(fixture_bytes("conference_agenda.ics"))
    assert spans() == [
        ("Long Beach", "2027-05-12", "2027-05-19"),
        ("Lisbon", "2027-11-02", "2027-11-05"),
    ]
    pycon = trip_of("Long Beach")
    assert set(pycon.summaries) == {"PyCon US 2027", "Development Sprints"}


# ---- merging across time zones and the date line -----------------------------------------


def test_crossing_the_date_line_arrives_on_the_next_local_day(journal) -> None:
    set_home("San Francisco")
    out = vevent(
        "nz1@test", "NZ7 SFO to AKL", "20270302T060000Z", "20270302T190000Z"
    )  # 22:00 PST on 1 March, 08:00 NZDT on 3 March
    back = vevent(
        "nz2@test", "NZ8 AKL to SFO", "20270310T060000Z", "20270310T200000Z"
    )  # 19:00 NZDT on 10 March
    import_bytes(calendar(out, back))
    assert spans() == [("Auckland", "2027-03-03", "2027-03-10")]


def test_an_overnight_flight_arrives_the_next_morning(journal) -> None:
    set_home("New York")
    out = vevent("o1@test", "BA178 JFK to LHR", "20270402T020000Z", "20270402T080000Z")
    import_bytes(calendar(out))
    # 22:00 on 1 April in New York, 09:00 on 2 April in London.
    assert spans() == [("London", "2027-04-02", "2027-04-02")]


def test_flight_hotel_marker_and_conference_in_one_city_are_one_trip(journal) -> None:
    set_home("London")
    import_bytes(
        calendar(
            vevent("t1@test", "Tokyo, Japan, October 2027", "VALUE=DATE:20271011",
                   "VALUE=DATE:20271016", "LOCATION:Tokyo\\, Japan"),
            vevent("t2@test", "NH212 LHR to HND", "20271010T113000Z", "20271011T024500Z"),
            vevent("t3@test", "Hotel: Park Hyatt Tokyo", "VALUE=DATE:20271011",
                   "VALUE=DATE:20271015",
                   "LOCATION:3-7-1-2 Nishi-Shinjuku\\, Shinjuku-ku\\, Tokyo 163-1055\\, Japan"),
            vevent("t4@test", "PyCon JP 2027", "VALUE=DATE:20271012", "VALUE=DATE:20271014",
                   "LOCATION:Ota City Industrial Plaza\\, 1-20-20 Minamikamata\\, Ota\\, Tokyo"),
            vevent("t5@test", "NH211 HND to LHR", "20271015T011500Z", "20271015T153000Z"),
        )
    )  # fmt: skip
    assert spans() == [("Tokyo", "2027-10-11", "2027-10-15")]
    assert len(trip_of("Tokyo").event_ids) == 5


def test_a_change_of_planes_is_not_a_trip(journal) -> None:
    set_home("London")
    import_bytes(
        calendar(
            vevent("c1@test", "LH901 LHR to FRA", "20270510T060000Z", "20270510T074000Z"),
            vevent("c2@test", "LH190 FRA to BER", "20270510T090000Z", "20270510T100500Z"),
            vevent("c3@test", "LH191 BER to LHR", "20270514T160000Z", "20270514T174500Z"),
        )
    )
    assert spans() == [("Berlin", "2027-05-10", "2027-05-14")]


def test_a_day_trip_there_and_back_is_a_trip(journal) -> None:
    set_home("London")
    import_bytes(
        calendar(
            vevent("d1@test", "Eurostar 9004 London St Pancras to Paris Gare du Nord",
                   "20270701T060100Z", "20270701T082000Z"),
            vevent("d2@test", "Eurostar 9047 Paris Gare du Nord to London St Pancras",
                   "20270701T151300Z", "20270701T163000Z"),
        )
    )  # fmt: skip
    assert spans() == [("Paris", "2027-07-01", "2027-07-01")]


def test_a_journey_through_several_cities_is_consecutive_trips(journal) -> None:
    set_home("London")
    import_bytes(
        calendar(
            vevent("m1@test", "AF1081 LHR to CDG", "20270601T080000Z", "20270601T093000Z"),
            vevent("m2@test", "Thalys 9321 Paris Nord to Amsterdam Centraal",
                   "20270603T090000Z", "20270603T121500Z"),
            vevent("m3@test", "KL1007 AMS to LHR", "20270605T170000Z", "20270605T172000Z"),
        )
    )  # fmt: skip
    assert spans() == [
        ("Paris", "2027-06-01", "2027-06-03"),
        ("Amsterdam", "2027-06-03", "2027-06-05"),
    ]


def test_two_visits_to_one_city_with_home_between_are_two_trips(journal) -> None:
    set_home("London")
    import_bytes(
        calendar(
            vevent("v1@test", "BA213 LHR to BOS", "20270301T100000Z", "20270301T170000Z"),
            vevent("v2@test", "BA212 BOS to LHR", "20270303T230000Z", "20270304T060000Z"),
            vevent("v3@test", "BA213 LHR to BOS", "20270308T100000Z", "20270308T170000Z"),
            vevent("v4@test", "BA212 BOS to LHR", "20270310T230000Z", "20270311T060000Z"),
        )
    )
    assert spans() == [
        ("Boston", "2027-03-01", "2027-03-03"),
        ("Boston", "2027-03-08", "2027-03-10"),
    ]


# ---- home --------------------------------------------------------------------------------


def test_the_home_city_and_its_neighbours_are_never_trips(journal) -> None:
    set_home("Cambridge, MA")  # Boston is 4 km away, within the 50 km reach
    import_bytes(fixture_bytes("tripit_feed.ics"))
    # From Cambridge, the flight back to London is a trip to London.
    assert [c for c, _, _ in spans()] == ["London", "Berlin", "Lisbon"]
    set_home("London")
    trips.rebuild_trips(today=TODAY)
    assert [c for c, _, _ in spans()] == ["Boston", "Berlin", "Lisbon"]


def test_without_a_home_city_the_calendar_suggests_one(journal) -> None:
    import_bytes(fixture_bytes("tripit_feed.ics"))
    assert trips.guess_home_city() == "London, GB"
    # The guess keeps the return to London from becoming a trip meanwhile.
    assert "London" not in [c for c, _, _ in spans()]


def test_no_flights_no_guess(journal) -> None:
    import_bytes(fixture_bytes("conference_agenda.ics"))
    assert trips.guess_home_city() is None


def test_changing_the_home_city_rebuilds_trips(journal) -> None:
    set_home("London")
    import_bytes(fixture_bytes("tripit_feed.ics"))
    assert len(spans()) == 3
    set_home("Berlin")
    trips.rebuild_trips(today=TODAY)
    cities = [c for c, _, _ in spans()]
    assert "Berlin" not in cities and "Boston" in cities


# ---- corrections that survive re-import --------------------------------------------------

TRIPIT = fixture_bytes("tripit_feed.ics")
# The same feed a week later: the hotel's check-out moved a day, a new title for the marker.
TRIPIT_LATER = (
    TRIPIT.replace(b"DTSTART:20270319T150000Z", b"DTSTART:20270320T150000Z")
    .replace(b"DTEND:20270319T160000Z", b"DTEND:20270320T160000Z")
    .replace(b"SUMMARY:Boston, MA, March 2027", b"SUMMARY:Boston, Massachusetts, March 2027")
)


def test_place_dates_and_dismissal_survive_reimport(journal) -> None:
    set_home("London")
    import_bytes(TRIPIT)
    boston, berlin = trip_of("Boston"), trip_of("Berlin")
    trips.correct_trip(boston.id, place="Cambridge, MA", end=date(2027, 3, 18), today=TODAY)
    trips.dismiss_trip(berlin.id)
    report = import_bytes(TRIPIT_LATER)
    assert report.updated == 2
    cambridge = trip_of("Cambridge")
    assert cambridge.id == boston.id and cambridge.corrected
    assert (str(cambridge.start), str(cambridge.end)) == ("2027-03-15", "2027-03-18")
    assert trip_of("Berlin").dismissed and trip_of("Berlin").id == berlin.id
    assert "Berlin" not in [t.city for t in trips.list_trips(TODAY)]
    trips.reset_trip(cambridge.id, today=TODAY)
    assert (str(trip_of("Boston").end)) == "2027-03-20"  # the moved check-out


def test_corrections_survive_a_feed_that_renews_every_uid(journal) -> None:
    set_home("London")
    import_bytes(TRIPIT)
    boston = trip_of("Boston")
    trips.correct_trip(boston.id, start=date(2027, 3, 16), today=TODAY)
    import_bytes(TRIPIT.replace(b"UID:", b"UID:renewed-"))
    again = trip_of("Boston")
    assert again.id == boston.id and str(again.start) == "2027-03-16"
    assert Trip.select().count() == 3


def test_a_merge_survives_reimport(journal) -> None:
    set_home("London")
    import_bytes(TRIPIT)
    boston, berlin = trip_of("Boston"), trip_of("Berlin")
    trips.merge_trips([berlin.id, boston.id], today=TODAY)
    merged = trips.get_trip(boston.id)  # the earlier trip is kept
    assert len(merged.event_ids) == len(boston.event_ids) + len(berlin.event_ids)
    assert Trip.get_or_none(Trip.id == berlin.id) is None
    import_bytes(TRIPIT_LATER)
    after = trips.list_trips(date(2000, 1, 1))
    assert [t.id for t in after] == [boston.id, trip_of("Lisbon").id]
    assert len(trips.get_trip(boston.id).event_ids) == len(merged.event_ids)


def test_a_split_survives_reimport(journal) -> None:
    set_home("London")
    import_bytes(TRIPIT)
    boston = trip_of("Boston")
    second, _ = trips.split_off(boston.id, date(2027, 3, 17), today=TODAY)
    first_part, second_part = trips.get_trip(boston.id), trips.get_trip(second)
    assert (str(first_part.start), str(first_part.end)) == ("2027-03-15", "2027-03-16")
    assert (str(second_part.start), str(second_part.end)) == ("2027-03-17", "2027-03-19")
    assert "Check-out: Hilton Boston Back Bay" in second_part.summaries
    import_bytes(TRIPIT_LATER)
    assert trips.get_trip(boston.id).end == date(2027, 3, 16)
    after = trips.get_trip(second)
    assert "Check-out: Hilton Boston Back Bay" in after.summaries
    assert len(trips.list_trips(date(2000, 1, 1))) == 4


def test_split_refuses_a_day_outside_the_trip(journal) -> None:
    set_home("London")
    import_bytes(TRIPIT)
    boston = trip_of("Boston")
    with pytest.raises(BadInput):
        trips.split_trip(boston.id, date(2027, 3, 15), today=TODAY)
    with pytest.raises(BadInput):
        trips.correct_trip(boston.id, start=date(2027, 3, 25), today=TODAY)
    with pytest.raises(BadInput):
        trips.correct_trip(boston.id, place="Nowhere At All Really", today=TODAY)


# ---- visits ------------------------------------------------------------------------------


def test_a_contact_visiting_is_a_trip_on_them_that_reimport_keeps(journal) -> None:
    set_home("London")
    klaus = person("Klaus Weber", "Berlin", country="DE")
    trip_id, _ = trips.add_visit(klaus, date(2027, 1, 10), date(2027, 1, 12), today=TODAY)
    visit = trips.get_trip(trip_id)
    assert (visit.city, visit.person_id, str(visit.start)) == ("London", klaus, "2027-01-10")
    import_bytes(TRIPIT)
    import_bytes(TRIPIT_LATER)
    assert trips.get_trip(trip_id).person_id == klaus
    with pytest.raises(BadInput):
        trips.merge_trips([trip_id, trip_of("Boston").id], today=TODAY)
    trips.remove_trip(trip_id, today=TODAY)
    assert Trip.get_or_none(Trip.id == trip_id) is None


def test_a_visit_needs_a_city(journal) -> None:
    klaus = person("Klaus Weber", "Berlin", country="DE")
    with pytest.raises(BadInput):
        trips.add_visit(klaus, date(2027, 1, 10), date(2027, 1, 12), today=TODAY)
    trip_id, _ = trips.add_visit(klaus, date(2027, 1, 10), date(2027, 1, 12), "Lisbon", today=TODAY)
    assert trips.get_trip(trip_id).city == "Lisbon"
