"""``rapport backup ...`` and ``rapport check``: the JSON shapes and exit codes scripts rely on."""

from __future__ import annotations

import io
import json
import os
import sqlite3
import stat
from pathlib import Path
from typing import Any

import keyring
import keyring.backends.fail
import pytest

from rapport.cli import backup_cmd
from rapport.main import main

BACKUP_KEYS = ["id", "path", "created", "size", "verified"]


def run(capsys: pytest.CaptureFixture[str], data: Path, *args: str) -> tuple[int, str, str]:
    code = main(["--data-dir", str(data), *args])
    out, err = capsys.readouterr()
    return code, out, err


def run_json(capsys: pytest.CaptureFixture[str], data: Path, *args: str) -> Any:
    code, out, err = run(capsys, data, *args, "--json")
    assert code == 0, err
    return json.loads(out)


def contacts(capsys: pytest.CaptureFixture[str], data: Path) -> list[str]:
    return [p["name"] for p in run_json(capsys, data, "contacts")]


def flip_a_bit(path: Path) -> None:
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0x10
    path.write_bytes(bytes(data))


@pytest.fixture
def data(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    folder = tmp_path / "d"
    assert run(capsys, folder, "add", "Ada Lovelace", "--org", "Engines")[0] == 0
    return folder


@pytest.fixture
def not_a_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(backup_cmd, "interactive", lambda: False)


def test_backup_now_json_is_the_promised_shape(capsys, data: Path) -> None:
    info = run_json(capsys, data, "backup", "now")
    assert list(info)[:5] == BACKUP_KEYS
    assert info["verified"] is True
    assert info["id"] and info["created"].endswith("Z")
    path = Path(info["path"])
    assert path.parent == data / "backups" and path.stat().st_size == info["size"]
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert b"Ada Lovelace" not in path.read_bytes()  # encrypted

    listed = run_json(capsys, data, "backup", "list")
    assert isinstance(listed, list) and len(listed) == 1
    assert {k: listed[0][k] for k in BACKUP_KEYS} == {k: info[k] for k in BACKUP_KEYS}


def test_text_output_and_an_empty_list(capsys, data: Path, tmp_path: Path) -> None:
    code, out, _ = run(capsys, tmp_path / "empty", "backup", "list")
    assert code == 0 and "No backups yet" in out
    code, out, _ = run(capsys, data, "backup", "now")
    assert code == 0 and out.startswith("backed up to ") and "verified" in out
    code, out, _ = run(capsys, data, "backup", "list")
    assert code == 0 and "\tverified\tmanual" in out


def test_backup_now_without_a_journal_is_an_error_not_a_new_journal(capsys, tmp_path) -> None:
    code, out, err = run(capsys, tmp_path / "nothing", "backup", "now")
    assert code == 1 and out == "" and err.startswith("rapport: ") and err.count("\n") == 1
    assert not (tmp_path / "nothing" / "journal.sqlite").exists()


def test_verify_all_and_one_and_a_tampered_backup(capsys, data: Path) -> None:
    first = run_json(capsys, data, "backup", "now")
    run(capsys, data, "add", "Grace Hopper")
    second = run_json(capsys, data, "backup", "now")
    code, out, err = run(capsys, data, "backup", "verify")
    assert code == 0, err
    assert out.count("\tok") == 2

    flip_a_bit(Path(first["path"]))
    code, out, err = run(capsys, data, "backup", "verify", first["id"])
    assert code == 2
    assert err.startswith(f"rapport: backup {first['id']} is bad") and err.count("\n") == 1
    assert "Traceback" not in err

    code, out, err = run(capsys, data, "backup", "verify", second["path"])
    assert code == 0, err

    code, out, err = run(capsys, data, "backup", "verify", "--json")
    assert code == 2
    results = {r["id"]: r for r in json.loads(out)}
    assert results[first["id"]]["verified"] is False and results[first["id"]]["error"]
    assert results[second["id"]]["verified"] is True
    assert err.startswith("rapport: 1 of 2 backups are bad") and err.count("\n") == 1
    listed = {r["id"]: r["state"] for r in run_json(capsys, data, "backup", "list")}
    assert listed == {first["id"]: "failed", second["id"]: "good"}


def test_a_truncated_backup_and_unknown_names_are_bad_input(capsys, data: Path, tmp_path) -> None:
    info = run_json(capsys, data, "backup", "now")
    with open(info["path"], "r+b") as f:
        f.truncate(info["size"] - 100)
    assert run(capsys, data, "backup", "verify", info["id"])[0] == 2
    code, _, err = run(capsys, data, "backup", "verify", "19990101T000000Z")
    assert code == 2 and "no backup with id" in err
    code, _, err = run(capsys, data, "backup", "restore", str(tmp_path / "missing.rbak"), "--yes")
    assert code == 2 and "no such backup file" in err


def test_restore_round_trip(capsys, data: Path) -> None:
    info = run_json(capsys, data, "backup", "now")
    run(capsys, data, "add", "Grace Hopper")
    run(capsys, data, "edit", "Ada Lovelace", "--org", "Analytical Engines Ltd")
    assert contacts(capsys, data) == ["Ada Lovelace", "Grace Hopper"]

    code, out, err = run(capsys, data, "backup", "restore", info["id"], "--yes")
    assert code == 0, err
    assert out.startswith("restored the backup of ") and "1 person" in out

    rows = run_json(capsys, data, "contacts")
    assert [(r["name"], r["organization"]) for r in rows] == [("Ada Lovelace", "Engines")]
    safety = [
        b for b in run_json(capsys, data, "backup", "list") if b["reason"] == "before restore"
    ]
    assert len(safety) == 1 and safety[0]["counts"]["person"] == 2  # the journal we replaced
    code, out, err = run(capsys, data, "check", "--json")
    assert code == 0 and json.loads(out) == {"integrity": "ok", "foreign_keys": []}


def test_restore_asks_on_a_terminal_and_refuses_without_one(
    capsys, data: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    info = run_json(capsys, data, "backup", "now")
    run(capsys, data, "add", "Grace Hopper")

    monkeypatch.setattr(backup_cmd, "interactive", lambda: False)
    code, out, err = run(capsys, data, "backup", "restore", info["id"])
    assert code == 2 and "--yes" in err and err.count("\n") == 1
    assert contacts(capsys, data) == ["Ada Lovelace", "Grace Hopper"]

    monkeypatch.setattr(backup_cmd, "interactive", lambda: True)
    asked: list[str] = []
    monkeypatch.setattr(backup_cmd, "ask_yes", lambda prompt: asked.append(prompt) or False)
    code, out, _ = run(capsys, data, "backup", "restore", info["id"])
    assert code == 0 and "Nothing restored" in out
    assert "1 person" in asked[0] and "backed up first" in asked[0]
    assert contacts(capsys, data) == ["Ada Lovelace", "Grace Hopper"]

    monkeypatch.setattr(backup_cmd, "ask_yes", lambda prompt: True)
    assert run(capsys, data, "backup", "restore", info["id"])[0] == 0
    assert contacts(capsys, data) == ["Ada Lovelace"]


def test_restore_refuses_while_the_journal_is_open_elsewhere(capsys, data: Path) -> None:
    info = run_json(capsys, data, "backup", "now")
    window = sqlite3.connect(data / "journal.sqlite")  # an idle window, say
    window.execute("SELECT count(*) FROM person").fetchone()
    try:
        code, _, err = run(capsys, data, "backup", "restore", info["id"], "--yes")
    finally:
        window.close()
    assert code == 1 and "still open" in err


def test_check_reports_broken_links_and_exits_1(capsys, data: Path) -> None:
    conn = sqlite3.connect(data / "journal.sqlite")
    conn.execute("PRAGMA foreign_keys = OFF")
    conn.execute(
        "INSERT INTO email (person_id, address, key, label) VALUES (99, 'a@b.c', 'a@b.c', '')"
    )
    conn.commit()
    conn.close()
    code, out, err = run(capsys, data, "check", "--json")
    assert code == 1
    report = json.loads(out)
    assert list(report) == ["integrity", "foreign_keys"]
    assert report["integrity"] == "ok"
    assert report["foreign_keys"][0]["table"] == "email"
    assert err.startswith("rapport: the journal failed its check") and err.count("\n") == 1
    # ... and such a journal is not backed up.
    code, _, err = run(capsys, data, "backup", "now")
    assert code == 1 and "no backup was made" in err
    assert run_json(capsys, data, "backup", "list") == []


def test_check_of_a_file_that_is_no_database(capsys, tmp_path: Path) -> None:
    folder = tmp_path / "d"
    folder.mkdir()
    (folder / "journal.sqlite").write_bytes(b"this is not a database " * 200)
    code, out, _ = run(capsys, folder, "check", "--json")
    assert code == 1 and json.loads(out)["integrity"] != "ok"


def test_data_dir_keeps_journals_and_backups_apart(capsys, tmp_path: Path) -> None:
    one, two = tmp_path / "one", tmp_path / "two"
    run(capsys, one, "add", "Ada Lovelace")
    run(capsys, two, "add", "Grace Hopper")
    a = run_json(capsys, one, "backup", "now")
    assert run_json(capsys, two, "backup", "list") == []
    b = run_json(capsys, two, "backup", "now")
    assert [x["id"] for x in run_json(capsys, one, "backup", "list")] == [a["id"]]
    assert Path(b["path"]).parent == two / "backups"
    # The environment's default data dir was never touched.
    assert not Path(os.environ["RAPPORT_DATA_DIR"]).exists()
    # A backup of one journal restored into the other, by path.
    assert run(capsys, two, "backup", "restore", a["path"], "--yes")[0] == 0
    assert contacts(capsys, two) == ["Ada Lovelace"]


def test_the_backup_folder_setting_is_followed(capsys, data: Path, tmp_path: Path) -> None:
    synced = tmp_path / "Synced" / "Rapport"
    assert run(capsys, data, "config", "set", "backup.folder", str(synced))[0] == 0
    info = run_json(capsys, data, "backup", "now")
    assert Path(info["path"]).parent == synced


def test_risky_commands_back_up_first(capsys, data: Path, fixtures: Path) -> None:
    run(capsys, data, "add", "Ada King")
    code, _, err = run(capsys, data, "merge", "Ada Lovelace", "Ada King")
    assert code == 0, err
    vcf = next((fixtures / "contacts").glob("*.vcf"))
    code, _, err = run(capsys, data, "import", str(vcf))
    assert code == 0, err
    reasons = [b["reason"] for b in run_json(capsys, data, "backup", "list")]
    assert sorted(reasons) == ["before import", "before merging people"]
    merged = next(b for b in run_json(capsys, data, "backup", "list") if "merging" in b["reason"])
    assert merged["counts"]["person"] == 2  # the state before the merge


# --- keys -----------------------------------------------------------------------------------


def test_key_state_and_the_recovery_key_restore_on_a_new_machine(
    capsys, data: Path, monkeypatch: pytest.MonkeyPatch, not_a_terminal: None
) -> None:
    ring = keyring.get_keyring()
    state = run_json(capsys, data, "backup", "key")
    assert state["mode"] == "keyring"
    assert set(state) == {"mode", "backend", "message", "passphrase_from_environment"}
    code, _, err = run(capsys, data, "backup", "now")
    assert code == 0 and "backup key --show-recovery" in err  # said once, without the key
    code, out, err = run(capsys, data, "backup", "key", "--show-recovery")
    recovery = out.strip()
    assert code == 0 and len(recovery.split("-")) == 14

    ring.passwords.clear()  # a new machine: the keyring is empty
    code, _, err = run(capsys, data, "backup", "verify")
    assert code == 2 and "recovery key" in err

    monkeypatch.setattr("sys.stdin", io.StringIO(recovery + "\n"))
    assert run(capsys, data, "backup", "verify", "--recovery-key")[0] == 0

    monkeypatch.setattr("sys.stdin", io.StringIO(recovery.lower().replace("-", " ") + "\n"))
    code, out, err = run(capsys, data, "backup", "key", "--use-recovery")
    assert code == 0, err
    assert run(capsys, data, "backup", "verify")[0] == 0

    monkeypatch.setattr("sys.stdin", io.StringIO("AAAA-BBBB\n"))
    code, _, err = run(capsys, data, "backup", "key", "--use-recovery")
    assert code == 2 and "recovery key" in err


def test_passphrase_mode_from_the_environment(
    capsys, data: Path, monkeypatch: pytest.MonkeyPatch, not_a_terminal: None
) -> None:
    keyring.set_keyring(keyring.backends.fail.Keyring())  # a headless box
    code, _, err = run(capsys, data, "backup", "now")
    assert code == 2 and "RAPPORT_BACKUP_PASSPHRASE" in err and err.count("\n") == 1
    state = run_json(capsys, data, "backup", "key")
    assert state["mode"] == "passphrase" and state["passphrase_from_environment"] is False
    code, _, err = run(capsys, data, "backup", "key", "--show-recovery")
    assert code == 2 and "passphrase" in err

    monkeypatch.setenv("RAPPORT_BACKUP_PASSPHRASE", "coffee with Ada in Lisbon")
    info = run_json(capsys, data, "backup", "now")
    assert info["verified"] is True
    monkeypatch.setenv("RAPPORT_BACKUP_PASSPHRASE", "tea with Grace")
    code, _, err = run(capsys, data, "backup", "verify", info["id"])
    assert code == 2 and "wrong passphrase" in err
    code, _, err = run(capsys, data, "backup", "restore", info["id"], "--yes")
    assert code == 2 and "wrong passphrase" in err
    assert run_json(capsys, data, "backup", "list")[0]["verified"] is True  # not its fault


def test_a_new_passphrase_is_asked_twice_on_a_terminal(
    capsys, data: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    keyring.set_keyring(keyring.backends.fail.Keyring())
    monkeypatch.setattr(backup_cmd, "interactive", lambda: True)
    answers = iter(["one passphrase", "another one"])
    monkeypatch.setattr(backup_cmd, "ask_secret", lambda prompt: next(answers))
    code, _, err = run(capsys, data, "backup", "now")
    assert code == 2 and "differ" in err
    answers = iter(["same words", "same words", "same words"])
    assert run(capsys, data, "backup", "now")[0] == 0
    assert run(capsys, data, "backup", "verify")[0] == 0  # asked once, at the prompt
