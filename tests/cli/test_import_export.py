"""``rapport import`` and ``rapport export``: the JSON contract, counts, refusals, round trips."""

from __future__ import annotations

import csv
import io
import json
import sqlite3
import stat
from pathlib import Path

import pytest

from rapport.main import main

CONTACTS = Path(__file__).parent.parent / "fixtures" / "contacts"
REPORT_KEYS = ["path", "kind", "added", "updated", "merged", "skipped", "warnings"]

# Each fixture imported alone into an empty journal: kind, added, updated, merged, skipped.
FIXTURE_COUNTS = {
    "android_2.1.vcf": ("vcard", 3, 0, 0, 0),
    "apple_contacts_3.0.vcf": ("vcard", 4, 0, 0, 0),
    "google_contacts.csv": ("google_csv", 7, 0, 0, 0),
    "google_contacts_3.0.vcf": ("vcard", 2, 0, 0, 0),
    "google_contacts_legacy.csv": ("google_csv", 3, 0, 0, 0),
    "latin1_names.vcf": ("vcard", 2, 0, 0, 0),
    "linkedin_Connections.csv": ("linkedin_csv", 19, 0, 0, 0),
    "outlook_contacts.csv": ("outlook_csv", 2, 0, 0, 0),
    "vcard_4.0.vcf": ("vcard", 2, 0, 0, 0),
}
BROKEN = {
    "broken_linkedin.csv": 7,
    "broken_unterminated.vcf": 12,
    "not_contacts.txt": None,
}


def run(capsys: pytest.CaptureFixture[str], data: Path, *args: str) -> tuple[int, str, str]:
    code = main(["--data-dir", str(data), *args])
    out, err = capsys.readouterr()
    return code, out, err


def import_json(capsys, data: Path, *files: str | Path) -> list[dict]:
    code, out, err = run(capsys, data, "import", *map(str, files), "--json")
    assert code == 0, err
    return json.loads(out)["files"]


def contacts(capsys, data: Path) -> list[dict]:
    code, out, err = run(capsys, data, "contacts", "--json", "--archived")
    assert code == 0, err
    return json.loads(out)


def dump(data: Path) -> dict[str, list[tuple]]:
    """Every row of every table, read with plain sqlite3 (not through Rapport)."""
    con = sqlite3.connect(data / "journal.sqlite")
    try:
        tables = [
            r[0]
            for r in con.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"
            )
        ]
        return {t: con.execute(f'SELECT * FROM "{t}" ORDER BY rowid').fetchall() for t in tables}
    finally:
        con.close()


def test_import_json_has_exactly_the_promised_shape(capsys, tmp_path, monkeypatch) -> None:
    monkeypatch.chdir(CONTACTS)
    code, out, err = run(
        capsys,
        tmp_path / "d",
        "import",
        "linkedin_Connections.csv",
        "google_contacts.csv",
        "--json",
    )
    assert code == 0, err
    doc = json.loads(out)
    assert list(doc) == ["files"]
    first, second = doc["files"]
    assert list(first) == REPORT_KEYS and list(second) == REPORT_KEYS
    assert (first["path"], first["kind"], second["path"]) == (
        "linkedin_Connections.csv",
        "linkedin_csv",
        "google_contacts.csv",
    )
    for key in ("added", "updated", "merged", "skipped"):
        assert isinstance(first[key], int)
    assert first["warnings"] and all(
        w.startswith("linkedin_Connections.csv: ") for w in first["warnings"]
    )


@pytest.mark.parametrize("name", sorted(FIXTURE_COUNTS))
def test_counts_for_each_fixture(capsys, tmp_path, name) -> None:
    [report] = import_json(capsys, tmp_path / "d", CONTACTS / name)
    got = (report["kind"], report["added"], report["updated"], report["merged"], report["skipped"])
    assert got == FIXTURE_COUNTS[name]
    assert len(contacts(capsys, tmp_path / "d")) == report["added"]


def test_overlapping_linkedin_vcard_and_google_exports_make_no_duplicates(capsys, tmp_path) -> None:
    data = tmp_path / "d"
    linkedin, apple = import_json(
        capsys, data, CONTACTS / "linkedin_Connections.csv", CONTACTS / "apple_contacts_3.0.vcf"
    )
    assert (linkedin["added"], apple["added"], apple["merged"]) == (19, 1, 3)
    _google, google_vcf, legacy = import_json(
        capsys,
        data,
        CONTACTS / "google_contacts.csv",
        CONTACTS / "google_contacts_3.0.vcf",
        CONTACTS / "google_contacts_legacy.csv",
    )
    assert google_vcf["merged"] + google_vcf["skipped"] == 2  # the same people as the CSV
    assert legacy["updated"] >= 1  # Kenji Watanabe was on LinkedIn
    rows = contacts(capsys, data)
    names = [r["name"] for r in rows]
    assert len(names) == len(set(names))
    emails = [e.casefold() for r in rows for e in r["emails"]]
    assert len(emails) == len(set(emails))
    kenji = next(r for r in rows if r["name"] == "Kenji Watanabe")
    assert kenji["links"]["linkedin"] == "https://www.linkedin.com/in/kenji-watanabe-jp"
    assert kenji["emails"]


def test_importing_again_skips_everything_and_changes_nothing(capsys, tmp_path) -> None:
    data = tmp_path / "d"
    files = [CONTACTS / n for n in sorted(FIXTURE_COUNTS)]
    import_json(capsys, data, *files)
    before = dump(data)
    again = import_json(capsys, data, *files)
    assert dump(data) == before
    for report, name in zip(again, sorted(FIXTURE_COUNTS), strict=True):
        assert (report["added"], report["updated"], report["merged"]) == (0, 0, 0), name
        assert report["skipped"] == sum(FIXTURE_COUNTS[name][1:])


@pytest.mark.parametrize("name", sorted(BROKEN))
def test_a_broken_file_is_refused_and_the_journal_is_untouched(capsys, tmp_path, name) -> None:
    data = tmp_path / "d"
    import_json(capsys, data, CONTACTS / "vcard_4.0.vcf")
    before = dump(data)
    code, out, err = run(
        capsys, data, "import", str(CONTACTS / "linkedin_Connections.csv"), str(CONTACTS / name)
    )
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and "Traceback" not in err
    line = BROKEN[name]
    where = f"{CONTACTS / name}: line {line}: " if line else f"{CONTACTS / name}: "
    assert err.startswith(f"rapport: {where}")
    assert dump(data) == before


def test_contacts_and_a_calendar_in_one_import(capsys, tmp_path) -> None:
    calendar = Path(__file__).parents[1] / "fixtures" / "calendar" / "gmail_flight.ics"
    code, out, err = run(
        capsys, tmp_path / "d", "import", str(CONTACTS / "vcard_4.0.vcf"), str(calendar), "--json"
    )
    assert code == 0, err
    files = json.loads(out)["files"]
    assert [f["kind"] for f in files] == ["vcard", "ics"]
    assert {
        "path",
        "kind",
        "added",
        "updated",
        "merged",
        "skipped",
        "warnings",
        "events",
        "trips",
    } <= set(files[1])
    assert files[1]["events"] >= 1


def test_a_broken_calendar_is_exit_2_with_its_line(capsys, tmp_path) -> None:
    ics = tmp_path / "trip.ics"
    ics.write_bytes(b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nUID:x\r\n")
    code, out, err = run(capsys, tmp_path / "d", "import", str(ics))
    assert (code, out) == (2, "")
    assert err.startswith(f"rapport: {ics}: line ")
    assert "Traceback" not in err


def test_human_output_is_one_line_per_file(capsys, tmp_path) -> None:
    code, out, err = run(
        capsys,
        tmp_path / "d",
        "import",
        str(CONTACTS / "vcard_4.0.vcf"),
        str(CONTACTS / "linkedin_Connections.csv"),
    )
    assert code == 0, err
    lines = out.splitlines()
    assert len(lines) == 2
    assert (
        lines[0] == f"{CONTACTS / 'vcard_4.0.vcf'} (vCard): 2 added, 0 updated, 0 merged, 0 skipped"
    )
    assert lines[1].startswith(
        f"{CONTACTS / 'linkedin_Connections.csv'} (LinkedIn connections): 19 added"
    )
    assert "warning:" in err  # the warnings go to stderr, one per line


def test_a_damaged_journal_is_exit_1(capsys, tmp_path) -> None:
    data = tmp_path / "d"
    data.mkdir()
    (data / "journal.sqlite").write_bytes(b"this is not SQLite" * 100)
    code, _out, err = run(capsys, data, "import", str(CONTACTS / "vcard_4.0.vcf"))
    assert code == 1 and err.startswith("rapport: ") and "Traceback" not in err


def _people(rows: list[dict]) -> list[tuple]:
    return sorted(
        (
            r["name"],
            sorted(e.casefold() for e in r["emails"]),
            sorted(r["links"].values()),
            sorted(r["circles"]),
            r["organization"],
            r["title"],
        )
        for r in rows
    )


def test_export_vcard_then_import_into_a_new_journal_round_trips(capsys, tmp_path) -> None:
    data, fresh = tmp_path / "d", tmp_path / "fresh"
    import_json(capsys, data, *(CONTACTS / n for n in sorted(FIXTURE_COUNTS)))
    run(
        capsys,
        data,
        "add",
        "Circle Person",
        "--add-circle",
        "Work/Investors",
        "--add-email",
        "cp@example.com",
        "--add-link",
        "https://github.com/circle-person",
    )
    target = tmp_path / "everyone.vcf"
    code, out, err = run(capsys, data, "export", str(target))
    assert code == 0, err
    original = contacts(capsys, data)
    assert out == f"wrote {len(original)} people to {target} (vCard 3.0)\n"
    [report] = import_json(capsys, fresh, target)
    assert report["added"] == len(original) and report["skipped"] == 0
    assert _people(contacts(capsys, fresh)) == _people(original)
    again = import_json(capsys, fresh, target)[0]
    assert again["skipped"] == len(original)


def test_export_csv_escapes_formulas_and_is_private(capsys, tmp_path) -> None:
    data = tmp_path / "d"
    import_json(capsys, data, CONTACTS / "linkedin_Connections.csv")
    target = tmp_path / "out.csv"
    code, _out, err = run(capsys, data, "export", str(target))
    assert code == 0, err
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    rows = list(csv.DictReader(io.StringIO(target.read_bytes().decode("utf-8-sig"))))
    victor = next(r for r in rows if r["Name"] == "Victor Hugo-Lambert")
    assert victor["Organization"] == '\'=HYPERLINK("http://x","y")'
    for row in rows:
        for value in row.values():
            assert not value.startswith(("=", "+", "-", "@", "\t", "\r")), value


@pytest.mark.parametrize("suffix", [".vcf", ".csv", ".json"])
def test_every_export_is_readable_by_the_owner_only(capsys, tmp_path, suffix) -> None:
    data = tmp_path / "d"
    import_json(capsys, data, CONTACTS / "vcard_4.0.vcf")
    target = tmp_path / f"out{suffix}"
    assert run(capsys, data, "export", str(target))[0] == 0
    assert stat.S_IMODE(target.stat().st_mode) == 0o600


def test_export_json_is_everything(capsys, tmp_path) -> None:
    data = tmp_path / "d"
    import_json(capsys, data, CONTACTS / "google_contacts.csv")
    target = tmp_path / "all.json"
    code, out, err = run(capsys, data, "export", str(target))
    assert code == 0, err
    assert out.endswith("(JSON, everything)\n")
    doc = json.loads(target.read_text("utf-8"))
    assert list(doc)[:3] == ["format", "version", "exported"]
    assert doc["people"] == contacts(capsys, data)
    paths = {c["path"] for c in doc["circles"]}
    assert "Investors" in paths


def test_export_to_an_unknown_extension_is_exit_2(capsys, tmp_path) -> None:
    code, out, err = run(capsys, tmp_path / "d", "export", str(tmp_path / "x.xlsx"))
    assert (code, out) == (2, "")
    expected = "cannot export to '.xlsx' files: use .vcf, .csv or .json"
    assert err == f"rapport: {tmp_path / 'x.xlsx'}: {expected}\n"
    assert not (tmp_path / "x.xlsx").exists()
