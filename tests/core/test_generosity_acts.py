"""Logging, editing and deleting acts, and reading the log back (core, no Qt)."""

from __future__ import annotations

from datetime import date

import pytest

from rapport.core import acts
from rapport.core.act_log import ActFilter, act_page, count_acts, iter_acts
from rapport.core.errors import Ambiguous, BadInput, NotFound
from rapport.core.people import create_person, delete_people, merge_people
from rapport.core.undo import UndoLog
from rapport.store.models import Act, ActPerson

D = date(2026, 3, 10)


@pytest.fixture
def folks(journal):
    return {name: create_person(name)[0] for name in ("Ada", "Grace", "Linus")}


def test_log_act_writes_the_act_and_its_people(folks) -> None:
    act_id, changes = acts.log_act(
        [folks["Ada"], folks["Grace"]], "intro", on=D, url=" https://x.example/a ", note=" hi "
    )
    assert changes.acts and changes.people == {folks["Ada"], folks["Grace"]}
    act = Act.get_by_id(act_id)
    assert (act.kind, act.direction, act.url, act.note) == (
        "intro",
        "given",
        "https://x.example/a",
        "hi",
    )
    links = list(ActPerson.select().where(ActPerson.act == act_id).order_by(ActPerson.id))
    assert [(ap.person_id, ap.date, ap.ledger) for ap in links] == [
        (folks["Ada"], D, "given"),
        (folks["Grace"], D, "given"),
    ]


def test_touchpoints_are_not_in_the_ledger(folks) -> None:
    act_id, _ = acts.log_act([folks["Ada"]], "coffee", on=D, direction="received")
    assert ActPerson.get(ActPerson.act == act_id).ledger == ""
    act_id, _ = acts.log_act([folks["Ada"]], "Thanks", on=D, direction="Received")
    assert ActPerson.get(ActPerson.act == act_id).ledger == "received"
    assert Act.get_by_id(act_id).kind == "thanks"


@pytest.mark.parametrize(
    ("people", "kind", "direction", "url", "message"),
    [
        ([], "share", "given", "", "at least one person"),
        (["Ada"], "intro", "given", "", "two or more"),
        (["Ada"], "hug", "given", "", "unknown kind 'hug'"),
        (["Ada"], "share", "sideways", "", "given or received"),
        (["Ada"], "share", "given", "not a url", "no spaces"),
    ],
)
def test_bad_acts_are_refused_and_nothing_is_written(
    folks, people, kind, direction, url, message
) -> None:
    with pytest.raises(BadInput, match=message):
        acts.log_act([folks[p] for p in people], kind, on=D, direction=direction, url=url)
    assert Act.select().count() == 0 and ActPerson.select().count() == 0


def test_unknown_person_id_is_not_found(folks) -> None:
    with pytest.raises(NotFound):
        acts.log_act([folks["Ada"], 999], "share", on=D)
    assert Act.select().count() == 0


def test_same_person_twice_counts_once(folks) -> None:
    act_id, _ = acts.log_act([folks["Ada"], folks["Ada"]], "share", on=D)
    assert ActPerson.select().where(ActPerson.act == act_id).count() == 1


def test_update_keeps_the_copies_in_step(folks) -> None:
    act_id, _ = acts.log_act([folks["Ada"], folks["Grace"]], "intro", on=D)
    changes = acts.update_act(
        act_id,
        person_ids=[folks["Grace"], folks["Linus"]],
        kind="call",
        on=date(2026, 4, 1),
        direction="received",
        note="rang",
    )
    assert changes.people == {folks["Ada"], folks["Grace"], folks["Linus"]}
    rows = sorted(
        (ap.person_id, ap.date, ap.ledger)
        for ap in ActPerson.select().where(ActPerson.act == act_id)
    )
    assert rows == [(folks["Grace"], date(2026, 4, 1), ""), (folks["Linus"], date(2026, 4, 1), "")]
    act = Act.get_by_id(act_id)
    assert (act.kind, act.direction, act.note, act.date) == (
        "call",
        "received",
        "rang",
        date(2026, 4, 1),
    )


def test_update_refuses_an_intro_with_one_person(folks) -> None:
    act_id, _ = acts.log_act([folks["Ada"]], "share", on=D)
    with pytest.raises(BadInput):
        acts.update_act(act_id, kind="intro")
    assert Act.get_by_id(act_id).kind == "share"


def test_delete_reports_the_people(folks) -> None:
    a, _ = acts.log_act([folks["Ada"]], "share", on=D)
    b, _ = acts.log_act([folks["Grace"], folks["Linus"]], "intro", on=D)
    changes = acts.delete_acts([a, b])
    assert changes.people == set(folks.values()) and changes.acts
    assert Act.select().count() == 0 and ActPerson.select().count() == 0
    assert not acts.delete_acts([])


def test_undo_brings_back_a_deleted_act_with_its_copies(journal, folks) -> None:
    log = UndoLog(journal.db)
    act_id, _ = acts.log_act([folks["Ada"], folks["Grace"]], "intro", on=D)
    with log.recording() as step:
        acts.delete_acts([act_id])
    _inverse, changes = log.undo(step)
    assert changes.acts and folks["Ada"] in changes.people
    assert [
        (ap.person_id, ap.date, ap.ledger) for ap in ActPerson.select().order_by(ActPerson.id)
    ] == [
        (folks["Ada"], D, "given"),
        (folks["Grace"], D, "given"),
    ]


def test_merging_people_moves_their_acts(folks) -> None:
    acts.log_act([folks["Ada"]], "share", on=D)
    acts.log_act([folks["Grace"]], "thanks", on=D, direction="received")
    merge_people(folks["Ada"], [folks["Grace"]])
    assert {ap.person_id for ap in ActPerson.select()} == {folks["Ada"]}


def test_deleting_a_person_keeps_acts_of_others(folks) -> None:
    act_id, _ = acts.log_act([folks["Ada"], folks["Grace"]], "intro", on=D)
    delete_people([folks["Ada"]])
    assert [ap.person_id for ap in ActPerson.select()] == [folks["Grace"]]
    assert Act.get_by_id(act_id)


def test_resolve_people_by_name_and_id(folks) -> None:
    assert acts.resolve_people(["grace", f"#{folks['Ada']}", "Grace"]) == [
        folks["Grace"],
        folks["Ada"],
    ]
    create_person("Grace")
    with pytest.raises(Ambiguous):
        acts.resolve_people(["Grace"])
    with pytest.raises(NotFound):
        acts.resolve_people(["Nobody"])


# -- reading the log -----------------------------------------------------------------------


@pytest.fixture
def log(folks):
    ada, grace, linus = folks["Ada"], folks["Grace"], folks["Linus"]
    ids = {
        "old": acts.log_act([ada], "share", on=date(2025, 1, 5), note="pricing essay")[0],
        "thanks": acts.log_act([grace], "thanks", on=date(2026, 2, 1), direction="received")[0],
        "intro": acts.log_act([ada, linus], "intro", on=date(2026, 2, 1), url="https://e.x/100%")[
            0
        ],
        "coffee": acts.log_act([linus], "coffee", on=date(2026, 3, 1), note="50% off_beans")[0],
    }
    return folks, ids


def test_newest_first_ties_by_newest_id(log) -> None:
    _folks, ids = log
    assert [r.id for r in act_page()] == [ids["coffee"], ids["intro"], ids["thanks"], ids["old"]]


def test_rows_carry_people_in_logged_order(log) -> None:
    folks, ids = log
    row = next(r for r in act_page() if r.id == ids["intro"])
    assert row.people == ((folks["Ada"], "Ada"), (folks["Linus"], "Linus"))
    assert row.as_dict() == {
        "id": ids["intro"],
        "date": "2026-02-01",
        "kind": "intro",
        "direction": "given",
        "people": ["Ada", "Linus"],
        "url": "https://e.x/100%",
        "note": "",
    }


@pytest.mark.parametrize(
    ("flt", "expected"),
    [
        (lambda f: ActFilter(person_id=f["Ada"]), ["intro", "old"]),
        (lambda f: ActFilter(kinds=("thanks", "coffee")), ["coffee", "thanks"]),
        (lambda f: ActFilter(direction="received"), ["thanks"]),
        (lambda f: ActFilter(since=date(2026, 2, 1)), ["coffee", "intro", "thanks"]),
        (lambda f: ActFilter(until=date(2026, 2, 1)), ["intro", "thanks", "old"]),
        (lambda f: ActFilter(text="PRICING"), ["old"]),
        (lambda f: ActFilter(text="linus"), ["coffee", "intro"]),
        (lambda f: ActFilter(text="100%"), ["intro"]),
        (lambda f: ActFilter(text="%"), ["coffee", "intro"]),
        (lambda f: ActFilter(text="f_b"), ["coffee"]),
        (
            lambda f: ActFilter(person_id=f["Linus"], kinds=("intro",), since=date(2026, 1, 1)),
            ["intro"],
        ),
    ],
)
def test_filters(log, flt, expected) -> None:
    folks, ids = log
    names = {v: k for k, v in ids.items()}
    chosen = flt(folks)
    assert [names[r.id] for r in act_page(chosen)] == expected
    assert count_acts(chosen) == len(expected)


def test_pages_continue_after_the_key(log) -> None:
    _folks, ids = log
    first = act_page(limit=2)
    rest = act_page(after=(first[-1].date, first[-1].id), limit=10)
    assert [r.id for r in first + rest] == [ids["coffee"], ids["intro"], ids["thanks"], ids["old"]]
    assert [r.id for r in iter_acts(limit=3)] == [r.id for r in (first + rest)[:3]]


def test_filter_refuses_unknown_kind() -> None:
    with pytest.raises(BadInput):
        ActFilter(kinds=("hug",))


def test_completion_matches_starts_words_and_accents(journal) -> None:
    ids = {
        name: create_person(name, organization=org)[0]
        for name, org in (
            ("Zoë Adams", "Fjord Labs"),
            ("Adam Zed", ""),
            ("Madam Ada", ""),
            ("José García", ""),
            ("50%_off Shop", ""),
        )
    }
    archived = create_person("Adamant Archived")[0]
    from rapport.core.people import set_archived

    set_archived([archived])
    assert [name for _id, name, _org in acts.complete_people("ada")] == [
        "Adam Zed",  # the name starts with it
        "Madam Ada",  # a word starts with it
        "Zoë Adams",
    ]
    assert acts.complete_people("zoe")[0][1:] == ("Zoë Adams", "Fjord Labs")
    assert [n for _i, n, _o in acts.complete_people("garcia")] == ["José García"]
    assert [n for _i, n, _o in acts.complete_people("50%_")] == ["50%_off Shop"]
    assert acts.complete_people("  ") == []
    assert len(acts.complete_people("a", limit=2)) == 2
    assert acts.resolve_people(["Madam"], loose=True) == [ids["Madam Ada"]]
    with pytest.raises(NotFound):
        acts.resolve_people(["Madam"])
    with pytest.raises(NotFound):
        acts.resolve_people(["Ada"], loose=True)  # three people start so: not a guess
