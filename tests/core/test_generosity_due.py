"""Cadence and who is due; balances per person; the ``contacts --json`` additions."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from generosity_helpers import give, person, receive

from rapport.core.balances import PersonStats, person_stats, person_summary, weekly_series
from rapport.core.directory import people_dicts
from rapport.core.due import Cadences, cadences, due_people
from rapport.core.people import set_archived, update_person
from rapport.store import settings

T = date(2026, 6, 1)  # a Monday


def test_default_cadences_come_from_the_preferences(journal) -> None:
    assert cadences() == Cadences(21, 60, 180, 365)
    settings.put("cadence.tier1", 14)
    assert cadences().tier1 == 14
    c = Cadences(21, 60, 180, 365)
    assert [c.for_person(t, None) for t in (1, 2, 3, None)] == [21, 60, 180, 365]
    assert c.for_person(3, 7) == 7


def test_due_when_last_contact_is_older_than_the_cadence(journal) -> None:
    on_time = person("On time", tier=1)
    late = person("Late", tier=1)
    give(on_time, "call", T - timedelta(days=21))
    receive(late, "share", T - timedelta(days=22))
    rows = due_people(T)
    assert [(r.name, r.days_overdue, r.last_contact) for r in rows] == [
        ("Late", 1, T - timedelta(days=22))
    ]
    assert rows[0].as_dict() == {
        "person": "Late",
        "cadence_days": 21,
        "last_contact": "2026-05-10",
        "days_overdue": 1,
    }


def test_never_contacted_counts_from_joining(journal) -> None:
    person("Old", tier=2, joined=T - timedelta(days=100))
    person("New", tier=2, joined=T - timedelta(days=10))
    rows = due_people(T)
    assert [(r.name, r.last_contact, r.days_overdue) for r in rows] == [("Old", None, 40)]
    assert rows[0].reason() == "no contact since added 100 days ago (every 60 days)"
    assert rows[0].as_dict()["last_contact"] is None


def test_logging_anything_resets_and_archived_are_never_due(journal) -> None:
    a = person("A", tier=1)
    b = person("B", tier=1)
    assert {r.name for r in due_people(T)} == {"A", "B"}
    give(a, "message", T)
    set_archived([b])
    assert due_people(T) == []


def test_own_cadence_wins_and_order(journal) -> None:
    a = person("A", tier=3, cadence_days=7)
    b = person("B")
    c = person("C", tier=1)
    give(a, "share", T - timedelta(days=10))  # 3 overdue
    give(b, "share", T - timedelta(days=400))  # 35 overdue
    give(c, "share", T - timedelta(days=30))  # 9 overdue
    assert [(r.name, r.days_overdue) for r in due_people(T)] == [("B", 35), ("C", 9), ("A", 3)]
    assert [r.name for r in due_people(T, order="priority")] == ["C", "A", "B"]
    assert [r.name for r in due_people(T, limit=1)] == ["B"]
    update_person(a, cadence_days=None)
    assert [r.name for r in due_people(T)] == ["B", "C"]


def test_future_acts_are_not_overdue(journal) -> None:
    a = person("A", tier=1)
    give(a, "call", T + timedelta(days=5))
    assert due_people(T) == []


def test_balances_count_generosity_and_touchpoints_only_reset_contact(journal) -> None:
    a, b = person("A"), person("B")
    give([a, b], "intro", date(2026, 1, 1))
    give(a, "share", date(2026, 2, 1))
    receive(a, "thanks", date(2026, 3, 1))
    give(a, "coffee", date(2026, 4, 1))
    receive(a, "call", date(2026, 5, 1))
    assert person_stats() == {
        a: PersonStats(2, 1, date(2026, 2, 1), date(2026, 3, 1), date(2026, 5, 1)),
        b: PersonStats(1, 0, date(2026, 1, 1), None, date(2026, 1, 1)),
    }
    assert person_stats([b]) == {b: PersonStats(1, 0, date(2026, 1, 1), None, date(2026, 1, 1))}


def test_contacts_json_gains_given_received_last_contact(journal) -> None:
    a, b = person("A"), person("B")
    give(a, "share", date(2026, 2, 1))
    receive(a, "help", date(2026, 2, 3))
    give(a, "message", date(2026, 2, 5))
    rows = {r["name"]: r for r in people_dicts()}
    assert (rows["A"]["given"], rows["A"]["received"], rows["A"]["last_contact"]) == (
        1,
        1,
        "2026-02-05",
    )
    assert (rows["B"]["given"], rows["B"]["received"], rows["B"]["last_contact"]) == (0, 0, None)
    assert people_dicts(ids=[a])[0]["given"] == 1
    assert b


def test_weekly_series_buckets_by_monday_and_skips_touchpoints(journal) -> None:
    a, b = person("A"), person("B")
    give([a, b], "intro", T)  # this week, counted once
    give(a, "share", T + timedelta(days=6))  # Sunday: still this week
    receive(a, "thanks", T - timedelta(days=1))  # last week
    give(a, "coffee", T)  # a touchpoint: not in the chart
    give(a, "share", T - timedelta(weeks=52))  # before the twelve months
    series = weekly_series(T)
    assert len(series) == 52
    assert series[-1].start == T and series[0].start == T - timedelta(weeks=51)
    assert (series[-1].given, series[-1].received) == (2, 0)
    assert (series[-2].given, series[-2].received) == (0, 1)
    assert sum(w.given + w.received for w in series) == 3
    mine = weekly_series(T, person_id=b)
    assert [(w.given, w.received) for w in mine[-2:]] == [(0, 0), (1, 0)]
    assert len(weekly_series(T, weeks=4)) == 4


def test_person_summary(journal) -> None:
    a = person("A", tier=1, joined=date(2026, 1, 1))
    give(a, "share", T - timedelta(days=30))
    give(a, "coffee", T - timedelta(days=25))
    summary = person_summary(a, T)
    assert summary.stats.given == 1 and summary.stats.last_contact == T - timedelta(days=25)
    assert summary.cadence_days == 21
    assert summary.days_overdue(T) == 4
    assert [r.kind for r in summary.recent] == ["coffee", "share"]
    assert len(summary.series) == 52
    fresh = person_summary(person("B", tier=2, joined=T), T)
    assert fresh.days_overdue(T) == -60 and fresh.stats == PersonStats()


@pytest.mark.parametrize("tier", [1, 2, 3, None])
def test_due_uses_tier_defaults_as_set(journal, tier) -> None:
    settings.put("cadence.tier1", 5)
    settings.put("cadence.tier2", 6)
    settings.put("cadence.tier3", 7)
    settings.put("cadence.default", 8)
    pid = person("P", tier=tier)
    give(pid, "share", T - timedelta(days=10))
    expected = {1: 5, 2: 4, 3: 3, None: 2}[tier]
    assert [r.days_overdue for r in due_people(T)] == [expected]
