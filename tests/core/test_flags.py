"""Coffee flags: who is within reach, how they rank and why, and the user's word kept."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from travel_helpers import TODAY, calendar, fixture_bytes, import_bytes, person, set_home, vevent

from rapport.core import acts, flags, goals, people, preferences, trips
from rapport.core.errors import BadInput, NotFound
from rapport.store.models import Event, Flag, Person


def boston_trip() -> int:
    set_home("London")
    import_bytes(fixture_bytes("tripit_feed.ics"))
    [boston] = [t for t in trips.list_trips(TODAY) if t.city == "Boston"]
    return boston.id


def names(trip_id: int, **kw: object) -> list[str]:
    return [s.person for s in flags.suggestions(trip_id=trip_id, today=TODAY, **kw)]  # type: ignore[arg-type]


def joined(pid: int, when: date) -> None:
    Person.update(created=datetime(when.year, when.month, when.day, 12)).where(
        Person.id == pid
    ).execute()


def test_people_within_reach_are_flagged_and_others_not(journal) -> None:
    ana = person("Ana Lima", "Cambridge", "MA", "US")
    person("Ben Ortiz", "Boston", "MA", "US")
    person("Cleo Park", "Providence", "RI", "US")  # about 66 km
    person("Dev Rao", "Cambridge", "", "GB")  # the other Cambridge
    trip = boston_trip()
    assert sorted(names(trip)) == ["Ana Lima", "Ben Ortiz"]
    [ana_flag] = [s for s in flags.suggestions(trip_id=trip, today=TODAY) if s.person_id == ana]
    assert ana_flag.distance_km == pytest.approx(4.2, abs=1.0)
    assert ana_flag.reasons[-1] == "4 km from Boston"
    assert ana_flag.city == "Boston" and ana_flag.state == "new"


def test_san_jose_is_not_within_reach_of_san_francisco_unless_widened(journal) -> None:
    set_home("London")
    person("Sam Ito", "San Jose", "CA", "US")
    person("Oona Bell", "Oakland", "CA", "US")
    import_bytes(calendar(vevent("sf@test", "UA901 LHR to SFO", "20270301T110000Z",
                                 "20270301T220000Z")))  # fmt: skip
    [sf] = trips.list_trips(TODAY)
    assert names(sf.id) == ["Oona Bell"]
    preferences.put("reach_km", 100)
    flags.compute_flags(today=TODAY)
    assert sorted(names(sf.id)) == ["Oona Bell", "Sam Ito"]


def test_ranking_and_reasons_in_words(journal) -> None:
    founder = person("Fay Goal", "Boston", "MA", "US", tier=2)
    due = person("Dan Due", "Boston", "MA", "US", tier=1)
    served = person("Sue Served", "Somerville", "MA", "US")
    met = person("Mo Met", "Boston", "MA", "US")
    plain = person("Pat Plain", "Boston", "MA", "US")
    for pid in (founder, due, served, met, plain):
        joined(pid, TODAY - timedelta(days=10))
    joined(due, date(2025, 1, 1))
    gid, _ = goals.create_goal("Raise a seed round")
    goals.link_people(gid, [founder])
    acts.log_act([served], "share", on=TODAY - timedelta(days=12))
    acts.log_act([met], "coffee", on=TODAY - timedelta(days=245))
    trip = boston_trip()
    found = {s.person: s for s in flags.suggestions(trip_id=trip, today=TODAY)}
    assert found["Fay Goal"].reasons[0] == "on goal 'Raise a seed round'"
    assert found["Dan Due"].reasons[0].startswith("due for a touch: ")
    assert "served recently (12 days ago), so asking is fair" in found["Sue Served"].reasons
    assert "last met 8 months ago" in found["Mo Met"].reasons
    assert found["Pat Plain"].reasons == ("never met in person", "in Boston")
    assert found["Sue Served"].reasons[-1].endswith(" km from Boston")
    order = [s.person for s in flags.suggestions(trip_id=trip, today=TODAY)]
    assert order[0] == "Fay Goal" and order[-1] == "Pat Plain"
    assert found["Fay Goal"].score > found["Dan Due"].score > found["Pat Plain"].score


def test_people_linked_to_a_conference_event_are_flagged_wherever_they_live(journal) -> None:
    set_home("San Francisco")
    far = person("Ines Far", "Lisbon", "", "PT")
    import_bytes(fixture_bytes("conference_agenda.ics"))
    pycon = Event.get(Event.summary == "PyCon US 2027")
    flags.link_people(pycon.id, [far], today=TODAY)
    [s] = flags.suggestions(trip_id=pycon.trip_id, today=TODAY)
    assert s.person == "Ines Far" and s.distance_km is None
    assert s.reasons[0] == "linked to 'PyCon US 2027': connect while you're there"
    flags.unlink_people(pycon.id, [far], today=TODAY)
    assert flags.suggestions(trip_id=pycon.trip_id, today=TODAY) == []


def test_a_visiting_contact_is_flagged(journal) -> None:
    set_home("Boston, MA")
    klaus = person("Klaus Weber", "Berlin", "", "DE")
    person("Ana Lima", "Cambridge", "MA", "US")  # at home anyway: not flagged for a visit
    trip_id, _ = trips.add_visit(klaus, date(2027, 1, 10), date(2027, 1, 12), today=TODAY)
    [s] = flags.suggestions(trip_id=trip_id, today=TODAY)
    assert s.person == "Klaus Weber"
    assert s.reasons[0] == "visiting Boston, 10–12 Jan"


def test_the_users_word_is_kept_when_flags_are_computed_again(journal) -> None:
    ana = person("Ana Lima", "Cambridge", "MA", "US")
    ben = person("Ben Ortiz", "Boston", "MA", "US")
    cy = person("Cy Young", "Boston", "MA", "US")
    trip = boston_trip()
    by_person = {s.person_id: s.flag_id for s in flags.suggestions(trip_id=trip, today=TODAY)}
    flags.set_flag_state(by_person[ana], "dismissed")
    flags.set_flag_state(by_person[ben], "snoozed", snooze_until=date(2026, 12, 10))
    flags.set_flag_state(by_person[cy], "invited")
    import_bytes(fixture_bytes("tripit_feed.ics").replace(b"UID:", b"UID:x"))  # re-read all
    flags.compute_flags(today=TODAY)
    states = {
        s.person_id: s.state
        for s in flags.suggestions(trip_id=trip, include_dismissed=True, today=TODAY)
    }
    assert states == {ana: "dismissed", ben: "snoozed", cy: "invited"}
    assert names(trip) == ["Cy Young"]  # dismissed and snoozed are hidden
    # The snooze runs out.
    later = date(2026, 12, 10)
    assert sorted(s.person for s in flags.suggestions(trip_id=trip, today=later)) == [
        "Ben Ortiz",
        "Cy Young",
    ]
    flags.compute_flags(today=later)
    assert Flag.get(Flag.person == ben).state == "new"


def test_a_person_who_moves_away_loses_an_untouched_flag_but_not_a_dismissed_one(journal) -> None:
    ana = person("Ana Lima", "Cambridge", "MA", "US")
    ben = person("Ben Ortiz", "Boston", "MA", "US")
    trip = boston_trip()
    flag_of = {s.person_id: s.flag_id for s in flags.suggestions(trip_id=trip, today=TODAY)}
    flags.set_flag_state(flag_of[ben], "dismissed")
    people.update_person(ana, city="Tokyo", region="", country="JP")
    people.update_person(ben, city="Tokyo", region="", country="JP")
    flags.compute_flags(today=TODAY)
    assert Flag.get_or_none(Flag.id == flag_of[ana]) is None
    assert Flag.get(Flag.id == flag_of[ben]).state == "dismissed"


def test_archived_people_and_dismissed_trips_are_not_suggested(journal) -> None:
    ana = person("Ana Lima", "Cambridge", "MA", "US")
    person("Ben Ortiz", "Boston", "MA", "US")
    trip = boston_trip()
    people.set_archived([ana])
    flags.compute_flags(today=TODAY)
    assert names(trip) == ["Ben Ortiz"]
    trips.dismiss_trip(trip)
    assert flags.suggestions(today=TODAY) == []


def test_past_trips_are_not_suggested(journal) -> None:
    person("Ben Ortiz", "Boston", "MA", "US")
    boston_trip()
    assert flags.suggestions(today=date(2027, 3, 20)) == []
    assert [s.city for s in flags.suggestions(start=date(2027, 3, 19), today=TODAY)] == ["Boston"]


def test_at_most_max_per_trip_people_are_flagged_best_first(journal, monkeypatch) -> None:
    monkeypatch.setattr(flags, "MAX_PER_TRIP", 3)
    ids = [
        person(f"Person {n}", "Boston", "MA", "US", tier=(1 if n == 7 else None)) for n in range(8)
    ]
    trip = boston_trip()
    found = flags.suggestions(trip_id=trip, today=TODAY)
    assert len(found) == 3 and found[0].person_id == ids[7]


def test_flag_states_are_checked(journal) -> None:
    person("Ben Ortiz", "Boston", "MA", "US")
    trip = boston_trip()
    [s] = flags.suggestions(trip_id=trip, today=TODAY)
    with pytest.raises(BadInput):
        flags.set_flag_state(s.flag_id, "maybe")
    with pytest.raises(BadInput):
        flags.set_flag_state(s.flag_id, "snoozed")
    with pytest.raises(NotFound):
        flags.set_flag_state(9999, "dismissed")
