"""People operations: create, edit, archive, delete, merge, find — against a real journal."""

from __future__ import annotations

import pytest

from rapport.core import circles, goals, people
from rapport.core.errors import Ambiguous, BadInput, NotFound
from rapport.store.models import Email, Link, Person, PersonCircle, Phone


def test_create_and_edit_report_changes(journal) -> None:
    pid, changes = people.create_person("Ada Lovelace", organization="Analytical Engines")
    assert changes.people_added == {pid}
    changes = people.update_person(pid, title="Countess", tier=1)
    assert changes.people == {pid}
    ada = Person.get_by_id(pid)
    assert (ada.title, ada.tier, ada.organization) == ("Countess", 1, "Analytical Engines")
    assert ada.name_key == "ada lovelace"


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"tier": 7}, "tier must be"),
        ({"name": "  "}, "needs a name"),
        ({"colour": "red"}, "unknown"),
    ],
)
def test_bad_edits_are_refused_and_change_nothing(journal, fields, message) -> None:
    pid, _ = people.create_person("Ada")
    with pytest.raises(BadInput, match=message):
        people.update_person(pid, **fields)
    assert Person.get_by_id(pid).name == "Ada"


def test_merge_keeps_everything_of_both(journal) -> None:
    a, _ = people.create_person("Jane Doe", notes="Met at PyCon.", organization="")
    b, _ = people.create_person("J. Doe", notes="Likes climbing.", organization="Acme", tier=2)
    people.add_email(a, "jane@example.com")
    people.add_email(b, "JANE@example.com")
    people.add_email(b, "jd@acme.example")
    people.add_phone(b, "+1 617 555 0100")
    people.add_link(b, "https://www.linkedin.com/in/jane-doe/")
    c1, _ = circles.create_circle("Friends")
    c2, _ = circles.create_circle("Climbers")
    circles.add_to_circle([a, b], c1)
    circles.add_to_circle([b], c2)
    g, _ = goals.create_goal("Raise a seed round")
    goals.link_people(g, [b], "connector")
    changes = people.merge_people(a, [b])
    assert changes.people_removed == {b}
    kept = Person.get_by_id(a)
    assert kept.organization == "Acme" and kept.tier == 2
    assert "Met at PyCon." in kept.notes and "Likes climbing." in kept.notes
    assert sorted(e.address for e in Email.select().where(Email.person == a)) == [
        "jane@example.com",
        "jd@acme.example",
    ]
    assert [p.number for p in Phone.select().where(Phone.person == a)] == ["+1 617 555 0100"]
    assert [link.service for link in Link.select().where(Link.person == a)] == ["linkedin"]
    assert {pc.circle_id for pc in PersonCircle.select().where(PersonCircle.person == a)} == {
        c1,
        c2,
    }
    assert Person.get_or_none(Person.id == b) is None
    assert goals.get_goal(g).person_links[0].person_id == a


def test_find_person_by_name_id_and_ambiguity(journal) -> None:
    a, _ = people.create_person("Zoë Martin")
    assert people.find_person("zoë martin").id == a
    assert people.find_person(str(a)).id == a
    assert people.find_person("Zoe Martin").id == a  # accents folded when nothing exact matches
    people.create_person("Zoë Martin")
    with pytest.raises(Ambiguous, match="2 people"):
        people.find_person("Zoë Martin")
    with pytest.raises(NotFound):
        people.find_person("Nobody Here")


def test_archive_and_delete(journal) -> None:
    a, _ = people.create_person("A")
    b, _ = people.create_person("B")
    people.set_archived([a])
    assert Person.get_by_id(a).archived and not Person.get_by_id(b).archived
    changes = people.delete_people([a, b])
    assert changes.people_removed == {a, b}
    assert Person.select().count() == 0


def test_search_covers_emails_and_links(journal) -> None:
    a, _ = people.create_person("Kofi Mensah", organization="Helix Bio")
    people.add_email(a, "kofi@helix.example")
    b, _ = people.create_person("Lena Novak")
    people.add_link(b, "https://mastodon.social/@lena")
    assert [p.id for p in people.search_people("helix.example")] == [a]
    assert [p.id for p in people.search_people("mastodon")] == [b]
    assert [p.id for p in people.search_people("helix")] == [a]
