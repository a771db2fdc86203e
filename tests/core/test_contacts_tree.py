"""The contacts tree's groups, counts, filter and patches, against a real journal."""

from __future__ import annotations

import pytest

from rapport.core import circles, contacts_tree, goals, people
from rapport.core.contacts_tree import ContactsTree, Group, load_overview, load_patch, load_roster
from rapport.store.models import Place


def place(name: str, region: str, country: str) -> int:
    return int(
        Place.create(name=name, region=region, country=country, lat=0, lon=0, kind="city").id
    )


def person(name: str, **fields: object) -> int:
    return people.create_person(name, **fields)[0]


def names(tree: ContactsTree, group: Group | None) -> list[str]:
    assert group is not None
    return [tree.roster.names[p] for p in tree.visible_members(group)]


def shown(tree: ContactsTree) -> list[str]:
    return [g.display for g in tree.shown]


@pytest.fixture
def plan(journal):
    """Five people, two goals (one with slots), nested circles, cities and organisations."""
    boston = place("Boston", "MA", "US")
    ids = {
        "ada": person(
            "Ada Lovelace",
            organization="Analytical Engines",
            place=boston,
            city="Boston",
            notes="Writes about Bernoulli numbers.",
        ),
        "zoe": person("Zoë Okafor", organization="ACME", city="ankh-morpork"),
        "emile": person("Émile Dubois", organization="Acme", city="Ankh-Morpork"),
        "ben": person("Ben Rossi", organization="Acme"),
        "old": person("Old Friend", organization="Acme", city="Boston", place=boston),
    }
    people.add_email(ids["ben"], "ben@rossi.example")
    people.add_link(ids["zoe"], "@zoe@mastodon.social")
    people.set_archived([ids["old"]])
    seed, _ = goals.create_goal("Raise a seed round")
    talk, _ = goals.create_goal("Speak at PyCon US")
    goals.link_people(seed, [ids["ada"]], "decision maker")
    goals.link_people(seed, [ids["zoe"]], "")
    goals.link_people(talk, [ids["zoe"]], "expert")
    open_slot, _ = goals.add_slot(seed, "A partner at a climate fund", "decision maker")
    filled, _ = goals.add_slot(seed, "Someone who raised from Blue Harbor", "connector")
    goals.fill_slot(filled, ids["emile"])
    work, _ = circles.create_circle("Work")
    investors, _ = circles.create_circle("Investors", work)
    friends, _ = circles.create_circle("Friends")
    circles.add_to_circle([ids["ada"], ids["zoe"]], investors)
    circles.add_to_circle([ids["zoe"]], work)
    circles.add_to_circle([ids["emile"], ids["old"]], friends)
    return {
        **ids,
        "seed": seed,
        "talk": talk,
        "open_slot": open_slot,
        "work": work,
        "investors": investors,
        "friends": friends,
        "boston": boston,
    }


def test_goal_grouping_shows_the_plan(plan) -> None:
    tree = ContactsTree(load_roster(), "goal")
    assert shown(tree) == ["Raise a seed round (3)", "Speak at PyCon US (1)", "Not on a goal (1)"]
    seed, talk, rest = tree.shown
    assert names(tree, seed) == ["Ada Lovelace", "Émile Dubois", "Zoë Okafor"]
    assert [s.description for s in seed.shown_slots] == ["A partner at a climate fund"]
    roles = [tree.role(seed, p) for p in tree.visible_members(seed)]
    assert roles == [
        "decision maker",
        "connector · fills “Someone who raised from Blue Harbor”",
        "",
    ]
    assert names(tree, talk) == ["Zoë Okafor"]
    assert names(tree, rest) == ["Ben Rossi"]  # the archived friend is hidden
    assert tree.total == 4


def test_an_empty_goal_still_shows_but_an_empty_catch_all_does_not(journal) -> None:
    goals.create_goal("Learn to sail")
    tree = ContactsTree(load_roster(), "goal")
    assert shown(tree) == ["Learn to sail (0)"]


def test_circle_grouping_nests_and_counts_each_person_once(plan) -> None:
    tree = ContactsTree(load_roster(), "circle")
    assert shown(tree) == ["Work (2)", "Friends (1)", "In no circle (1)"]
    work = tree.shown[0]
    assert [g.display for g in work.shown_subgroups] == ["Investors (2)"]
    assert names(tree, work) == ["Zoë Okafor"]  # direct members only; Ada is in Investors
    assert names(tree, work.shown_subgroups[0]) == ["Ada Lovelace", "Zoë Okafor"]
    assert names(tree, tree.shown[1]) == ["Émile Dubois"]
    tree.set_include_archived(True)
    assert shown(tree) == ["Work (2)", "Friends (2)", "In no circle (1)"]
    assert names(tree, tree.shown[1]) == ["Émile Dubois", "Old Friend"]


def test_city_grouping_by_place_or_typed_city(plan) -> None:
    tree = ContactsTree(load_roster(), "city")
    assert shown(tree) == ["Ankh-Morpork (2)", "Boston, MA, US (1)", "No city (1)"]
    assert names(tree, tree.shown[0]) == ["Émile Dubois", "Zoë Okafor"]
    assert tree.shown[1].key == f"place:{plan['boston']}"
    assert tree.roster.cities[tree.roster.index[plan["ada"]]] == "Boston, MA, US"


def test_organisation_grouping_merges_spellings(plan) -> None:
    tree = ContactsTree(load_roster(), "organization")
    # "Acme" is the most common spelling among everyone (the archived friend counts too)
    assert shown(tree) == ["Acme (3)", "Analytical Engines (1)"]
    tree.set_include_archived(True)
    assert shown(tree) == ["Acme (4)", "Analytical Engines (1)"]


def test_people_sort_by_folded_name(journal) -> None:
    for name in ["fay", "Émile", "eli", "Zoë", "Ada", "émile"]:
        person(name)
    tree = ContactsTree(load_roster(), "goal")
    assert names(tree, tree.shown[0]) == ["Ada", "eli", "Émile", "émile", "fay", "Zoë"]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("zoe", ["Zoë Okafor"]),  # accents fold
        ("ZOË", ["Zoë Okafor"]),
        ("bernoulli", ["Ada Lovelace"]),  # notes
        ("rossi.example", ["Ben Rossi"]),  # email
        ("@zoe@mastodon", ["Zoë Okafor"]),  # handle
        ("analytical", ["Ada Lovelace"]),  # organisation
        ("morpork", ["Émile Dubois", "Zoë Okafor"]),  # typed city
        ("boston", ["Ada Lovelace"]),  # resolved city; the archived friend stays hidden
        ("acme ben", ["Ben Rossi"]),  # every word must match, in any field
        ("ben acme", ["Ben Rossi"]),
        ("nobody", []),
    ],
)
def test_filter_over_name_org_city_notes_emails_handles(plan, query, expected) -> None:
    tree = ContactsTree(load_roster(), "organization")
    tree.set_query(query)
    found = sorted({tree.roster.names[p] for g in tree.shown for p in tree.visible_members(g)})
    assert found == sorted(expected)
    assert tree.total == len(expected)


def test_filter_counts_and_hides_empty_groups(plan) -> None:
    tree = ContactsTree(load_roster(), "goal")
    tree.set_query("zoe")
    assert shown(tree) == ["Raise a seed round (1)", "Speak at PyCon US (1)"]
    assert tree.shown[0].shown_slots == []
    tree.set_query("climate")  # an open slot matches on its description
    assert shown(tree) == ["Raise a seed round (0)"]
    assert [s.id for s in tree.shown[0].shown_slots] == [plan["open_slot"]]


def test_typing_forward_refines_and_backspace_widens(plan) -> None:
    roster = load_roster()
    typed = ContactsTree(roster, "city")
    for step in ["a", "ac", "acm", "acme", "acme ", "acme b", "acme", "ac", ""]:
        typed.set_query(step)
        fresh = ContactsTree(roster, "city", query=step)
        assert shown(typed) == shown(fresh), step
        assert typed.total == fresh.total
    assert typed.set_query("") is False


def test_archived_people_show_when_asked(plan) -> None:
    tree = ContactsTree(load_roster(), "goal", include_archived=True, query="old friend")
    assert tree.total == 1
    assert names(tree, tree.shown[0]) == ["Old Friend"]


@pytest.mark.parametrize("grouping", contacts_tree.GROUPINGS)
@pytest.mark.parametrize("include_archived", [False, True])
def test_overview_matches_the_full_tree(plan, grouping, include_archived) -> None:
    """The fast headers have the same keys, labels, order and counts as the full tree."""
    full = ContactsTree(load_roster(), grouping, include_archived=include_archived)
    quick = load_overview(grouping, include_archived=include_archived)
    assert not quick.complete
    assert [(g.key, g.display) for g in quick.shown] == [(g.key, g.display) for g in full.shown]
    assert quick.total == full.total
    for mine, theirs in zip(quick.shown, full.shown, strict=True):
        assert [s.key for s in mine.shown_subgroups] == [s.key for s in theirs.shown_subgroups]
        if grouping == "goal" and not mine.catch_all:
            assert names(quick, mine) == names(full, theirs)  # people on goals come at once


def test_overview_of_big_circles_waits_for_the_roster(journal, monkeypatch) -> None:
    monkeypatch.setattr(contacts_tree, "OVERVIEW_DISTINCT_LIMIT", 1)
    parent, _ = circles.create_circle("Work")
    child, _ = circles.create_circle("Investors", parent)
    circles.add_to_circle([person("A"), person("B")], child)
    quick = load_overview("circle")
    assert [g.display for g in quick.shown] == ["Work (…)"]
    assert [g.display for g in quick.shown[0].shown_subgroups] == ["Investors (2)"]


def test_an_edit_that_moves_nobody_is_patched_in_place(plan) -> None:
    tree = ContactsTree(load_roster(), "city")
    effect = tree.apply(_patch(people.update_person(plan["ben"], notes="Plays the oboe")))
    assert not effect.regroup
    assert effect.touched == {tree.roster.index[plan["ben"]]}
    tree.set_query("oboe")
    assert tree.total == 1


def test_an_edit_that_moves_someone_regroups(plan) -> None:
    tree = ContactsTree(load_roster(), "city")
    effect = tree.apply(_patch(people.update_person(plan["ben"], city="Ankh-Morpork")))
    assert effect.regroup
    assert shown(tree) == ["Ankh-Morpork (3)", "Boston, MA, US (1)"]
    assert names(tree, tree.shown[0]) == ["Ben Rossi", "Émile Dubois", "Zoë Okafor"]


def test_a_rename_keeps_name_order(plan) -> None:
    tree = ContactsTree(load_roster(), "organization")
    tree.apply(_patch(people.update_person(plan["ben"], name="Aaron Rossi")))
    assert names(tree, tree.shown[0]) == ["Aaron Rossi", "Émile Dubois", "Zoë Okafor"]
    assert tree.roster.order == sorted(tree.roster.order, key=tree.roster.sort_key)


def test_patches_add_remove_and_move_people_between_groups(plan) -> None:
    tree = ContactsTree(load_roster(), "goal")
    new, changes = people.create_person("Cleo Patel")
    tree.apply(_patch(changes | goals.link_people(plan["talk"], [new], "peer")))
    assert shown(tree) == ["Raise a seed round (3)", "Speak at PyCon US (2)", "Not on a goal (1)"]
    assert [tree.role(tree.shown[1], p) for p in tree.visible_members(tree.shown[1])] == [
        "peer",
        "expert",
    ]
    tree.apply(_patch(people.delete_people([plan["zoe"]])))
    assert shown(tree) == ["Raise a seed round (2)", "Speak at PyCon US (1)", "Not on a goal (1)"]
    tree.apply(_patch(circles.add_to_circle([plan["ben"]], plan["friends"])))
    tree.apply(_patch(people.set_archived([plan["ben"]])))
    assert shown(tree) == ["Raise a seed round (2)", "Speak at PyCon US (1)"]


def test_patches_follow_circle_structure(plan) -> None:
    tree = ContactsTree(load_roster(), "circle")
    tree.apply(_patch(circles.move_circle(plan["friends"], plan["work"])))
    assert shown(tree) == ["Work (3)", "In no circle (1)"]
    assert [g.display for g in tree.shown[0].shown_subgroups] == ["Investors (2)", "Friends (1)"]
    tree.apply(_patch(circles.delete_circle(plan["work"])))
    assert shown(tree) == ["In no circle (4)"]


def test_an_edit_that_stops_a_match_updates_the_filter(plan) -> None:
    tree = ContactsTree(load_roster(), "goal", query="oboe")
    assert tree.total == 0
    effect = tree.apply(_patch(people.update_person(plan["ben"], notes="Plays the oboe")))
    assert effect.regroup
    assert tree.total == 1


def test_everything_changed_asks_for_a_full_reload(journal) -> None:
    from rapport.core.changes import Changes

    assert load_patch(Changes.all()) is None


def test_fold_fast_is_fold(journal) -> None:
    from rapport.core.names import fold

    for text in ["Zoë  Müller", "İstanbul", "山田 太郎", "São Paulo — x", "がぎ", "ﬁ", "Straße"]:
        assert contacts_tree.fold_fast(text) == fold(text)


def _patch(changes):
    patch = load_patch(changes)
    assert patch is not None
    return patch
