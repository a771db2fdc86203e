"""``rapport contacts``, ``add``, ``edit``, ``merge``: the contract scripts rely on."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from rapport.main import main


def run(capsys: pytest.CaptureFixture[str], data: Path, *args: str) -> tuple[int, str, str]:
    code = main(["--data-dir", str(data), *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_contacts_json_has_the_promised_shape(capsys, tmp_path) -> None:
    data = tmp_path / "d"
    assert (
        run(
            capsys,
            data,
            "add",
            "Ada Lovelace",
            "--org",
            "Engines",
            "--title",
            "Countess",
            "--add-email",
            "ada@example.com",
            "--add-link",
            "https://www.linkedin.com/in/ada",
            "--add-circle",
            "Work/Mentors",
        )[0]
        == 0
    )
    code, out, err = run(capsys, data, "contacts", "--json")
    assert code == 0, err
    rows = json.loads(out)
    assert len(rows) == 1
    ada = rows[0]
    for key in (
        "id",
        "name",
        "organization",
        "title",
        "city",
        "country",
        "emails",
        "links",
        "circles",
        "goals",
    ):
        assert key in ada
    assert ada["name"] == "Ada Lovelace"
    assert ada["emails"] == ["ada@example.com"]
    assert ada["links"] == {"linkedin": "https://www.linkedin.com/in/ada"}
    assert ada["circles"] == ["Work/Mentors"]
    assert ada["goals"] == []


def test_edit_changes_one_person(capsys, tmp_path) -> None:
    data = tmp_path / "d"
    run(capsys, data, "add", "Grace Hopper")
    code, out, err = run(
        capsys,
        data,
        "edit",
        "Grace Hopper",
        "--org",
        "Navy",
        "--tier",
        "1",
        "--add-circle",
        "Heroes",
        "--note",
        "Nanoseconds!",
        "--json",
    )
    assert code == 0, err
    grace = json.loads(out)
    assert (grace["organization"], grace["tier"], grace["circles"]) == ("Navy", 1, ["Heroes"])
    assert "Nanoseconds!" in grace["notes"]
    code, out, err = run(capsys, data, "edit", str(grace["id"]), "--cadence", "30", "--json")
    assert json.loads(out)["cadence_days"] == 30


@pytest.mark.parametrize(
    "args",
    [
        ["edit", "Nobody", "--org", "X"],
        ["edit", "Twin", "--org", "X"],
        ["edit", "Grace Hopper", "--tier", "9"],
        ["frobnicate"],
        ["edit"],
    ],
)
def test_bad_input_is_exit_2_with_one_line(capsys, tmp_path, args) -> None:
    data = tmp_path / "d"
    run(capsys, data, "add", "Grace Hopper")
    run(capsys, data, "add", "Twin")
    run(capsys, data, "add", "Twin")
    code, _out, err = run(capsys, data, *args)
    assert code == 2
    assert err.startswith("rapport: ")
    assert err.count("\n") == 1
    assert "Traceback" not in err


def test_ambiguous_name_names_the_ids(capsys, tmp_path) -> None:
    data = tmp_path / "d"
    run(capsys, data, "add", "Twin")
    run(capsys, data, "add", "Twin")
    code, _, err = run(capsys, data, "edit", "Twin", "--org", "X")
    assert code == 2
    assert "#1" in err and "#2" in err


def test_merge_from_the_command_line(capsys, tmp_path) -> None:
    data = tmp_path / "d"
    run(capsys, data, "add", "Jane Doe", "--add-email", "jane@example.com")
    run(capsys, data, "add", "Jane D", "--add-email", "jd@example.org", "--org", "Acme")
    code, out, err = run(capsys, data, "merge", "Jane Doe", "Jane D", "--json")
    assert code == 0, err
    jane = json.loads(out)
    assert sorted(jane["emails"]) == ["jane@example.com", "jd@example.org"]
    assert jane["organization"] == "Acme"
    _, out, _ = run(capsys, data, "contacts", "--json")
    assert [p["name"] for p in json.loads(out)] == ["Jane Doe"]


def test_data_dir_from_environment(capsys, tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("RAPPORT_DATA_DIR", str(tmp_path / "env"))
    assert main(["add", "Env Person"]) == 0
    capsys.readouterr()
    assert (tmp_path / "env" / "journal.sqlite").exists()


def test_config_get_and_set(capsys, tmp_path) -> None:
    data = tmp_path / "d"
    assert run(capsys, data, "config", "get", "reach_km")[1].strip() == "50.0"
    assert run(capsys, data, "config", "set", "reach_km", "80")[0] == 0
    assert run(capsys, data, "config", "get", "reach_km")[1].strip() == "80.0"
    code, _, err = run(capsys, data, "config", "set", "reach_km", "lots")
    assert code == 2 and "reach_km" in err
    code, _, err = run(capsys, data, "config", "get", "no_such_thing")
    assert code == 2


def test_demo_journal_is_kept_apart(capsys, tmp_path) -> None:
    data = tmp_path / "d"
    run(capsys, data, "add", "My Own Friend")
    code, out, _ = run(capsys, data, "--demo", "contacts", "--json")
    assert code == 0
    demo = json.loads(out)
    assert len(demo) > 150
    assert "My Own Friend" not in {p["name"] for p in demo}
    _, out, _ = run(capsys, data, "contacts", "--json")
    assert [p["name"] for p in json.loads(out)] == ["My Own Friend"]
