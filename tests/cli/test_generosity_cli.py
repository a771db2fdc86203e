"""``rapport log``, ``log add``, ``serve``, ``due``, ``week``: the contract scripts rely on."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from rapport.main import main

TODAY = "2026-06-01"


@pytest.fixture
def data(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("RAPPORT_TODAY", TODAY)
    return tmp_path / "d"


def run(capsys: pytest.CaptureFixture[str], data: Path, *args: str) -> tuple[int, str, str]:
    code = main(["--data-dir", str(data), *args])
    out, err = capsys.readouterr()
    return code, out, err


def jrun(capsys: pytest.CaptureFixture[str], data: Path, *args: str) -> object:
    code, out, err = run(capsys, data, *args, "--json")
    assert code == 0, err
    return json.loads(out)


@pytest.fixture
def people(capsys, data) -> Path:
    for name, extra in (
        ("Ada Lovelace", ["--tier", "1"]),
        ("Grace Hopper", ["--tier", "2", "--cadence", "30"]),
        ("Linus", []),
    ):
        assert run(capsys, data, "add", name, *extra)[0] == 0
    return data


def test_log_add_and_list_in_the_promised_shape(capsys, people) -> None:
    data = people
    act = jrun(
        capsys,
        data,
        "log",
        "add",
        "--person",
        "Ada Lovelace",
        "--person",
        "grace hopper",
        "--kind",
        "intro",
        "--url",
        "https://example.org/a",
        "--note",
        "both build engines",
    )
    assert act == {
        "id": 1,
        "date": TODAY,
        "kind": "intro",
        "direction": "given",
        "people": ["Ada Lovelace", "Grace Hopper"],
        "url": "https://example.org/a",
        "note": "both build engines",
    }
    jrun(
        capsys,
        data,
        "log",
        "add",
        "--person",
        "Ada Lovelace",
        "--kind",
        "thanks",
        "--received",
        "--date",
        "2026-05-01",
    )
    code, out, err = run(
        capsys, data, "log", "add", "--person", "#3", "--kind", "coffee", "--date", "2026-05-20"
    )
    assert code == 0, err
    assert out.startswith("logged #3\t2026-05-20\tcoffee\tgiven\tLinus")
    rows = jrun(capsys, data, "log")
    assert [(r["id"], r["date"], r["kind"], r["direction"]) for r in rows] == [
        (1, TODAY, "intro", "given"),
        (3, "2026-05-20", "coffee", "given"),
        (2, "2026-05-01", "thanks", "received"),
    ]
    assert all(set(r) == {"id", "date", "kind", "direction", "people", "url", "note"} for r in rows)


def test_log_filters(capsys, people) -> None:
    data = people
    run(
        capsys,
        data,
        "log",
        "add",
        "--person",
        "Ada Lovelace",
        "--kind",
        "share",
        "--date",
        "2026-01-01",
    )
    run(
        capsys,
        data,
        "log",
        "add",
        "--person",
        "Grace Hopper",
        "--kind",
        "share",
        "--date",
        "2026-03-01",
        "--received",
    )
    run(
        capsys,
        data,
        "log",
        "add",
        "--person",
        "Ada Lovelace",
        "--kind",
        "call",
        "--date",
        "2026-04-01",
        "--note",
        "about the seed round",
    )

    def ids(*args: str) -> list[int]:
        return [r["id"] for r in jrun(capsys, data, "log", *args)]

    assert ids("--person", "Ada Lovelace") == [3, 1]
    assert ids("--kind", "share") == [2, 1]
    assert ids("--kind", "share", "--kind", "call") == [3, 2, 1]
    assert ids("--since", "2026-03-01") == [3, 2]
    assert ids("--until", "2026-03-01") == [2, 1]
    assert ids("--received") == [2]
    assert ids("--given") == [3, 1]
    assert ids("--search", "seed") == [3]
    assert ids("--limit", "1") == [3]
    assert ids("--person", "Linus") == []
    code, out, _ = run(capsys, data, "log", "--person", "Linus")
    assert code == 0 and "Nothing logged" in out


def test_log_delete(capsys, people) -> None:
    data = people
    run(capsys, data, "log", "add", "--person", "Linus", "--kind", "share")
    code, out, err = run(capsys, data, "log", "delete", "9", "1")
    assert code == 2 and "no act with id 9" in err
    assert len(jrun(capsys, data, "log")) == 1
    code, out, err = run(capsys, data, "log", "delete", "#1")
    assert code == 0 and out.startswith("deleted #1")
    assert jrun(capsys, data, "log") == []


def test_serve_ranks_with_reasons(capsys, people) -> None:
    data = people
    run(
        capsys,
        data,
        "log",
        "add",
        "--person",
        "Grace Hopper",
        "--kind",
        "share",
        "--date",
        "2026-05-22",
    )
    rows = jrun(capsys, data, "serve")
    assert [r["person"] for r in rows] == ["Ada Lovelace", "Grace Hopper"]
    assert all(set(r) == {"person", "score", "reasons"} for r in rows)
    assert rows[0]["reasons"][:2] == ["tier 1", "nothing given yet"]
    assert rows[1]["reasons"] == ["tier 2", "nothing given in 10 days"]
    assert isinstance(rows[0]["score"], int) and rows[0]["score"] > rows[1]["score"]
    assert len(jrun(capsys, data, "serve", "--limit", "1")) == 1
    code, out, _ = run(capsys, data, "serve")
    assert code == 0 and out.splitlines()[0].split("\t")[1] == "Ada Lovelace"


def test_due_and_contacts_json(capsys, people, monkeypatch) -> None:
    data = people
    run(
        capsys,
        data,
        "log",
        "add",
        "--person",
        "Grace Hopper",
        "--kind",
        "call",
        "--date",
        "2026-04-01",
    )
    run(
        capsys,
        data,
        "log",
        "add",
        "--person",
        "Ada Lovelace",
        "--kind",
        "share",
        "--date",
        "2026-05-31",
    )
    assert jrun(capsys, data, "due") == [
        {
            "person": "Grace Hopper",
            "cadence_days": 30,
            "last_contact": "2026-04-01",
            "days_overdue": 31,
        },
    ]
    contacts = {r["name"]: r for r in jrun(capsys, data, "contacts")}
    assert (contacts["Ada Lovelace"]["given"], contacts["Ada Lovelace"]["received"]) == (1, 0)
    assert contacts["Ada Lovelace"]["last_contact"] == "2026-05-31"
    assert contacts["Grace Hopper"]["given"] == 0
    assert contacts["Grace Hopper"]["last_contact"] == "2026-04-01"
    assert contacts["Linus"]["last_contact"] is None
    run(capsys, data, "edit", "Grace Hopper", "--cadence", "90")
    assert jrun(capsys, data, "due") == []
    monkeypatch.setenv("RAPPORT_TODAY", "2026-07-01")
    assert [(r["person"], r["days_overdue"]) for r in jrun(capsys, data, "due")] == [
        ("Ada Lovelace", 10),
        ("Grace Hopper", 1),
    ]


def test_week_plan(capsys, people) -> None:
    data = people
    plan = jrun(capsys, data, "week")
    assert set(plan) == {"give", "meet", "reconnect", "follow_ups"}
    assert [i["person"] for i in plan["give"]] == ["Ada Lovelace", "Grace Hopper"]
    code, out, _ = run(capsys, data, "week")
    assert code == 0 and out.startswith("Give:\n  Ada Lovelace")


@pytest.mark.parametrize(
    "args",
    [
        ["log", "add", "--person", "Nobody", "--kind", "share"],
        ["log", "add", "--person", "Ada Lovelace", "--person", "Nobody", "--kind", "intro"],
        ["log", "add", "--person", "Twin", "--kind", "share"],
        ["log", "add", "--person", "Ada Lovelace", "--kind", "hug"],
        ["log", "add", "--person", "Ada Lovelace", "--kind", "intro"],
        ["log", "add", "--person", "Ada Lovelace", "--kind", "share", "--date", "2026-13-01"],
        ["log", "add", "--person", "Ada Lovelace", "--kind", "share", "--url", "a b"],
        ["log", "add", "--kind", "share"],
        ["log", "add", "--person", "Ada Lovelace"],
        ["log", "--person", "Nobody"],
        ["log", "--kind", "hug"],
        ["log", "--since", "yesterday"],
        ["serve", "--limit", "0"],
        ["due", "--limit", "x"],
    ],
)
def test_bad_input_is_exit_2_and_writes_nothing(capsys, people, args) -> None:
    data = people
    run(capsys, data, "add", "Twin")
    run(capsys, data, "add", "Twin")
    code, out, err = run(capsys, data, *args)
    assert code == 2, (out, err)
    assert err.startswith("rapport: ") and err.count("\n") == 1
    assert "Traceback" not in err
    assert jrun(capsys, data, "log") == []


def test_ambiguous_person_names_the_ids(capsys, people) -> None:
    data = people
    run(capsys, data, "add", "Twin")
    run(capsys, data, "add", "Twin")
    code, _, err = run(capsys, data, "log", "add", "--person", "Twin", "--kind", "share")
    assert code == 2 and "#4" in err and "#5" in err
    code, _, _ = run(capsys, data, "log", "add", "--person", "#5", "--kind", "share")
    assert code == 0


def test_a_bad_pinned_today_is_bad_input(capsys, people, monkeypatch) -> None:
    monkeypatch.setenv("RAPPORT_TODAY", "someday")
    code, _, err = run(capsys, people, "serve")
    assert code == 2 and "RAPPORT_TODAY" in err
