"""Follow-ups after meetings, and the week's plan (give 3, meet 1, reconnect 2)."""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta

from generosity_helpers import give, person, receive

from rapport.core import goals
from rapport.core.follow_ups import follow_ups, meeting_day
from rapport.core.week_plan import week_plan
from rapport.store import settings
from rapport.store.models import Flag, Meeting, MeetingPerson, Place, Trip

T = date(2026, 6, 3)  # a Wednesday


def meeting(people: list[int], day: date, *, status: str = "done", **kw: object) -> int:
    m = Meeting.create(
        kind="coffee", starts_at=datetime(day.year, day.month, day.day, 9), status=status, **kw
    )
    for pid in people:
        MeetingPerson.create(meeting=m.id, person=pid)
    return int(m.id)


def test_a_done_meeting_asks_for_a_thank_you_within_two_days(journal) -> None:
    ada, grace = person("Ada"), person("Grace")
    mid = meeting([ada, grace], T - timedelta(days=1), title="Coffee at Oddfellows")
    give(grace, "thanks", T)
    rows = follow_ups(T)
    assert [(f.name, f.meeting_id, f.met_on, f.due_by) for f in rows] == [
        ("Ada", mid, T - timedelta(days=1), T + timedelta(days=1))
    ]
    assert not rows[0].late(T)
    assert rows[0].reason(T) == (
        "Coffee at Oddfellows on Tue 02 Jun: a word of thanks or a link, by Thu 04 Jun"
    )


def test_late_follow_ups_stay_for_two_weeks(journal) -> None:
    ada = person("Ada")
    meeting([ada], T - timedelta(days=5))
    (row,) = follow_ups(T)
    assert row.late(T)
    assert (
        row.reason(T) == "coffee on Fri 29 May: a word of thanks or a link, late since Sun 31 May"
    )
    assert follow_ups(T + timedelta(days=10)) == []


def test_what_does_not_close_a_follow_up(journal) -> None:
    ada = person("Ada")
    meeting([ada], T - timedelta(days=1))
    give(ada, "share", T - timedelta(days=3))  # before the meeting
    receive(ada, "thanks", T)  # they thanked the user
    give(ada, "coffee", T)  # a touchpoint is not a thank-you
    assert [f.name for f in follow_ups(T)] == ["Ada"]
    give(ada, "share", T, url="https://example.org/the-paper-we-discussed")
    assert follow_ups(T) == []


def test_only_done_meetings_and_one_per_person(journal) -> None:
    ada, grace = person("Ada"), person("Grace")
    meeting([ada], T - timedelta(days=1), status="confirmed")
    meeting([grace], T - timedelta(days=4))
    later = meeting([grace], T - timedelta(days=2))
    meeting([grace], T + timedelta(days=1))  # marked done ahead of time: not yet
    rows = follow_ups(T)
    assert [(f.name, f.meeting_id) for f in rows] == [("Grace", later)]


def test_meeting_day_is_local_to_its_zone() -> None:
    late_evening = datetime(2026, 5, 31, 23, 30)
    assert meeting_day(late_evening, "") == date(2026, 5, 31)
    assert meeting_day(late_evening, "Europe/Berlin") == date(2026, 6, 1)
    assert meeting_day(late_evening, "Not/AZone") == date(2026, 5, 31)
    assert meeting_day("2026-05-31 23:30:00", "America/New_York") == date(2026, 5, 31)
    assert meeting_day(None, "") is None


def _cast(journal):
    goal, _ = goals.create_goal("Raise a seed round")
    p = {n: person(n, tier=1) for n in ("A", "B", "C", "D", "E", "F", "G")}
    goals.link_people(goal, [p["A"], p["B"], p["C"], p["D"]])
    for i, name in enumerate("ABCD"):
        give(p[name], "share", T - timedelta(days=100 - i * 10))
    give(p["E"], "call", T - timedelta(days=50))
    give(p["F"], "call", T - timedelta(days=40))
    give(p["G"], "call", T - timedelta(days=30))
    return p


def test_week_plan_without_trips(journal) -> None:
    _cast(journal)
    plan = week_plan(T)
    assert [i.name for i in plan.give] == ["A", "B", "C"]
    assert [i.name for i in plan.meet] == ["D"]
    assert plan.meet[0].reasons == (
        "tier 1; last contact 70 days ago (every 21 days)",
        "suggest a coffee or a call",
    )
    assert [i.name for i in plan.reconnect] == ["E", "F"]
    assert plan.as_dict()["reconnect"][0] == {
        "person": "E",
        "reasons": ["tier 1; last contact 50 days ago (every 21 days)"],
    }


def test_week_plan_meets_someone_at_home(journal) -> None:
    p = _cast(journal)
    settings.put("home_city", "Lisbon, PT")
    from rapport.store.models import Person

    Person.update(city="Lisbon").where(Person.id == p["G"]).execute()
    plan = week_plan(T)
    assert [i.name for i in plan.meet] == ["G"]
    assert plan.meet[0].reasons[0] == "lives in Lisbon, like you"


def test_week_plan_prefers_people_flagged_on_an_upcoming_trip(journal) -> None:
    p = _cast(journal)
    berlin = Place.create(name="Berlin", lat=52.52, lon=13.4, country="DE")
    trip = Trip.create(
        place=berlin, start_date=T + timedelta(days=9), end_date=T + timedelta(days=12)
    )
    far = Trip.create(
        place=berlin, start_date=T + timedelta(days=60), end_date=T + timedelta(days=62)
    )
    Flag.create(trip=far, person=p["E"], score=9)
    Flag.create(trip=trip, person=p["G"], score=3, reasons=json.dumps(["lives 4 km away"]))
    Flag.create(trip=trip, person=p["F"], score=1, state="dismissed")
    plan = week_plan(T)
    assert [i.name for i in plan.meet] == ["G"]
    assert plan.meet[0].reasons == (
        "you'll be in Berlin 12 Jun–15 Jun: invite them for coffee",
        "lives 4 km away",
    )
    assert [i.name for i in plan.reconnect] == ["D", "E"]


def test_an_empty_plan(journal) -> None:
    plan = week_plan(T)
    assert not plan and plan.as_dict() == {"give": [], "meet": [], "reconnect": []}


def test_week_plan_reuses_lists_already_read(journal) -> None:
    from rapport.core.due import due_people
    from rapport.core.serve import serve_next

    _cast(journal)
    assert week_plan(T, serve=serve_next(T), due=due_people(T)) == week_plan(T)


def test_overview_gathers_everything(journal) -> None:
    from rapport.core.generosity import overview

    p = _cast(journal)
    meeting([p["A"]], T - timedelta(days=1))
    data = overview(T)
    assert [r.name for r in data.serve[:3]] == ["A", "B", "C"]
    assert data.due_total == len(data.due) == 7
    assert [f.name for f in data.follow_ups] == ["A"]
    assert data.plan == week_plan(T)
    assert len(data.series) == 52 and sum(w.given for w in data.series) == 4
