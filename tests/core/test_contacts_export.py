"""Contact export: vCard 3.0 and CSV for other apps, JSON with everything, private files."""

from __future__ import annotations

import csv
import io
import json
import stat
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from rapport.core import circles, goals, importers, people
from rapport.core.contact_formats import parse_vcards
from rapport.core.contacts_export import (
    contact_records,
    export_contacts,
    export_document,
    format_for,
)
from rapport.core.errors import BadInput


def make_people() -> dict[str, int]:
    ada, _ = people.create_person(
        "Ada Lovelace",
        given_name="Ada",
        family_name="Lovelace",
        organization="Analytical Engines",
        title="Countess",
        how_we_met="Babbage's salon",
        notes="Wrote the first program.\nLine two; with, punctuation.",
        birthday="1815-12-10",
    )
    people.add_email(ada, "ada@example.com", "work")
    people.add_phone(ada, "+44 20 7946 0000", "mobile")
    people.add_link(ada, "https://www.linkedin.com/in/ada-lovelace")
    people.add_link(ada, "https://github.com/ada-lovelace")
    grace, _ = people.create_person("Grace Hopper", organization='=HYPERLINK("http://x")')
    people.add_email(grace, "grace@example.com")
    people.add_phone(grace, "+1 202 555 0100")
    mentors, _ = circles.circle_by_path("Work/Mentors", create=True)
    friends, _ = circles.create_circle("Friends")
    circles.add_to_circle([ada, grace], mentors)
    circles.add_to_circle([grace], friends)
    goal, _ = goals.create_goal(
        "Ship the compiler", why="Nanoseconds", target_date=date(2026, 3, 1)
    )
    goals.link_people(goal, [ada], "expert")
    slot, _ = goals.add_slot(goal, "someone who runs a Navy computing lab", "decision maker")
    goals.fill_slot(slot, grace)
    goals.add_slot(goal, "an investor in developer tools", "investor")
    return {"ada": ada, "grace": grace, "goal": goal, "mentors": mentors, "friends": friends}


def test_records_carry_every_contact_point_in_bulk(journal) -> None:
    make_people()
    ada, grace = contact_records()
    assert ada.full_name == "Ada Lovelace" and ada.emails == [("work", "ada@example.com")]
    assert ada.phones == [("mobile", "+44 20 7946 0000")]
    assert ada.links == [
        ("linkedin", "https://www.linkedin.com/in/ada-lovelace"),
        ("github", "https://github.com/ada-lovelace"),
    ]
    assert ada.categories == ["Work/Mentors"]
    assert grace.categories == ["Friends", "Work/Mentors"]


def test_the_extension_picks_the_format(tmp_path) -> None:
    assert [format_for(tmp_path / n) for n in ("a.vcf", "b.VCF", "c.csv", "d.json")] == [
        "vcard",
        "vcard",
        "csv",
        "json",
    ]
    with pytest.raises(BadInput, match=r"x\.xlsx: cannot export to '\.xlsx' files"):
        format_for("x.xlsx")
    with pytest.raises(BadInput, match="without an extension"):
        format_for("contacts")


@pytest.mark.parametrize("name", ["out.vcf", "out.csv", "out.json"])
def test_the_file_is_private_and_written_whole(journal, tmp_path, name) -> None:
    make_people()
    folder = tmp_path / "exports"
    folder.mkdir()
    target = folder / name
    target.write_text("old, readable by all")
    target.chmod(0o644)
    result = export_contacts(target)
    assert result.people == 2 and result.path == str(target)
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert [p.name for p in folder.iterdir()] == [name]  # no temporary file left behind


def test_csv_escapes_cells_a_spreadsheet_would_run(journal, tmp_path) -> None:
    make_people()
    export_contacts(tmp_path / "out.csv")
    data = (tmp_path / "out.csv").read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))
    grace = next(r for r in rows if r["Name"] == "Grace Hopper")
    assert grace["Organization"] == '\'=HYPERLINK("http://x")'
    assert grace["Phones"] == "'+1 202 555 0100"
    assert not any(v.startswith(("=", "+", "-", "@")) for r in rows for v in r.values())


def test_vcard_export_reads_back_the_same(journal, tmp_path) -> None:
    make_people()
    export_contacts(tmp_path / "out.vcf")
    text = (tmp_path / "out.vcf").read_bytes().decode("utf-8")
    assert text.startswith("BEGIN:VCARD\r\nVERSION:3.0\r\n")
    back = parse_vcards(text.encode(), "out.vcf").records
    assert [(r.full_name, r.emails, r.links, r.categories) for r in back] == [
        (r.full_name, r.emails, r.links, r.categories) for r in contact_records()
    ]
    assert back[0].notes == "Wrote the first program.\nLine two; with, punctuation."
    assert back[0].how_we_met == "Babbage's salon"


def test_json_holds_people_circles_and_goals_by_id(journal, tmp_path) -> None:
    ids = make_people()
    doc = export_document(now=datetime(2025, 5, 1, 9, 30, 15, 123, tzinfo=UTC))
    assert list(doc) == ["format", "version", "exported", "people", "circles", "goals"]
    assert (doc["format"], doc["version"], doc["exported"]) == (
        "rapport-export",
        1,
        "2025-05-01T09:30:15Z",
    )
    assert [p["name"] for p in doc["people"]] == ["Ada Lovelace", "Grace Hopper"]
    work = next(c for c in doc["circles"] if c["name"] == "Work")
    [mentors] = work["children"]
    assert mentors == {
        "id": ids["mentors"],
        "name": "Mentors",
        "path": "Work/Mentors",
        "people": sorted([ids["ada"], ids["grace"]]),
        "children": [],
    }
    [goal] = doc["goals"]
    assert (goal["title"], goal["target_date"], goal["status"]) == (
        "Ship the compiler",
        "2026-03-01",
        "active",
    )
    assert {(p["id"], p["role"]) for p in goal["people"]} == {
        (ids["ada"], "expert"),
        (ids["grace"], "decision maker"),
    }
    filled, open_slot = goal["slots"]
    assert filled["person"] == {"id": ids["grace"], "name": "Grace Hopper"}
    assert open_slot["person"] is None and open_slot["role"] == "investor"
    export_contacts(tmp_path / "all.json")
    assert json.loads((tmp_path / "all.json").read_text("utf-8"))["people"] == doc["people"]


def test_an_empty_journal_exports_an_empty_file(journal, tmp_path) -> None:
    assert export_contacts(tmp_path / "none.vcf").people == 0
    assert (tmp_path / "none.vcf").read_bytes() == b""
    assert export_contacts(tmp_path / "none.json").people == 0


def test_export_then_import_elsewhere_gives_the_same_people(journal, tmp_path) -> None:
    make_people()
    export_contacts(tmp_path / "out.vcf")
    first = _snapshot()
    journal.close()
    from rapport.store.journal import open_journal

    other = open_journal(tmp_path / "other" / "journal.sqlite")
    try:
        [report] = importers.import_files([tmp_path / "out.vcf"])
        assert report.added == 2
        assert _snapshot() == first
    finally:
        other.close()


def _snapshot() -> list[tuple]:
    out = []
    for p in contact_records():
        out.append(
            (
                p.full_name,
                p.organization,
                p.title,
                sorted(p.emails),
                sorted(p.links),
                sorted(p.phones),
                p.categories,
                p.birthday,
                p.notes,
                p.how_we_met,
            )
        )
    return out


def test_unwritable_target_is_bad_input(journal, tmp_path) -> None:
    with pytest.raises(BadInput, match="cannot write"):
        export_contacts(tmp_path / "missing-folder" / "out.vcf")


def test_path_is_kept_as_given(journal, tmp_path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert export_contacts(Path("rel.json")).path == "rel.json"
