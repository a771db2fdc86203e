"""Serve next: who is a candidate, the score, the order and the reasons in words."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from generosity_helpers import give, person, receive

from rapport.core import goals
from rapport.core.people import set_archived
from rapport.core.serve import serve_next

T = date(2026, 6, 1)


@pytest.fixture
def plan(journal):
    seed, _ = goals.create_goal("Raise a seed round")
    berlin, _ = goals.create_goal("Hire in Berlin")
    old, _ = goals.create_goal("Old plan", status="paused")
    p = {
        "Ada": person("Ada", tier=1),
        "Grace": person("Grace", joined=date(2026, 5, 1)),
        "Linus": person("Linus", tier=2),
        "Ken": person("Ken", tier=3),
        "Archie": person("Archie", tier=1),
        "Mia": person("Mia", tier=2),
        "Nobody": person("Nobody"),
    }
    goals.link_people(seed, [p["Ada"], p["Mia"]])
    goals.link_people(berlin, [p["Grace"], p["Mia"]])
    goals.link_people(old, [p["Ken"]])
    set_archived([p["Archie"]])
    give(p["Ada"], "share", T - timedelta(days=90))
    receive(p["Ada"], "thanks", T - timedelta(days=61))
    give(p["Linus"], "help", T - timedelta(days=10))
    give(p["Mia"], "amplify", T)
    give(p["Nobody"], "coffee", T - timedelta(days=400))
    return p


def test_ranking_scores_and_reasons(plan) -> None:
    rows = serve_next(T)
    assert [(r.name, r.score) for r in rows] == [
        ("Ada", 85),  # goal 35 + tier 15 + gap 15 + owed 10 + due 10
        ("Grace", 53),  # second goal 23.3 + never given 30
        ("Mia", 43),  # goal 35 + tier 8 + gave today 0
        ("Linus", 10),  # tier 8 + gap 1.7
    ]
    assert rows[0].reasons == (
        "on goal 'Raise a seed round'",
        "tier 1",
        "nothing given in 90 days",
        "they gave you something 61 days ago; nothing back since",
        "due: last contact 61 days ago (every 21 days)",
    )
    assert rows[1].reasons == ("on goal 'Hire in Berlin'", "nothing given yet")
    assert rows[2].reasons == (
        "on goals 'Raise a seed round' and 'Hire in Berlin'",
        "tier 2",
        "gave today",
    )
    assert rows[3].reasons == ("tier 2", "nothing given in 10 days")
    assert rows[0].as_dict() == {"person": "Ada", "score": 85, "reasons": list(rows[0].reasons)}


def test_paused_goals_archived_people_and_tier_three_are_not_candidates(plan) -> None:
    names = {r.name for r in serve_next(T)}
    assert not names & {"Ken", "Archie", "Nobody"}


def test_giving_moves_someone_down(plan) -> None:
    give(plan["Ada"], "thanks", T)
    rows = serve_next(T)
    ada = next(r for r in rows if r.name == "Ada")
    # goal 35 + tier 15; no longer owed, and the thank-you was a contact too
    assert ada.score == 50
    assert [r.name for r in rows] == ["Grace", "Ada", "Mia", "Linus"]


def test_the_gap_stops_growing_after_half_a_year(journal) -> None:
    a = person("A", tier=2)
    b = person("B", tier=2)
    give(a, "share", T - timedelta(days=180))
    give(b, "share", T - timedelta(days=400))
    for row in serve_next(T):
        assert row.score == 8 + 30 + 10  # tier, full gap, due


def test_ties_are_broken_by_name_and_limit_applies(journal) -> None:
    for name in ("Zed", "amy", "Bob"):
        person(name, tier=1, joined=T)
    rows = serve_next(T, limit=2)
    assert [r.name for r in rows] == ["amy", "Bob"]


def test_goal_priority_follows_position(journal) -> None:
    first, _ = goals.create_goal("First")
    second, _ = goals.create_goal("Second")
    a, b = person("A", joined=T), person("B", joined=T)
    goals.link_people(first, [a])
    goals.link_people(second, [b])
    assert [r.name for r in serve_next(T)] == ["A", "B"]
    goals.update_goal(first, position=5)
    assert [r.name for r in serve_next(T)] == ["B", "A"]


def test_three_goals_are_summed_up(journal) -> None:
    pid = person("A", joined=T)
    for title in ("One", "Two", "Three"):
        gid, _ = goals.create_goal(title)
        goals.link_people(gid, [pid])
    assert serve_next(T)[0].reasons[0] == "on goal 'One' and 2 more"


def test_an_empty_journal_has_nobody_to_serve(journal) -> None:
    assert serve_next(T) == []
