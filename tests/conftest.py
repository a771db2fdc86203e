"""Every test gets a fresh journal and settings; nothing touches the user's data or keyring."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.pop("RAPPORT_BACKUP_PASSPHRASE", None)

import keyring

from helpers_keyring import MemoryKeyring
from rapport.store.journal import Journal, open_journal

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture(autouse=True)
def _isolated(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> Iterator[MemoryKeyring]:
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / ".local" / "share"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / ".config"))
    monkeypatch.setenv("RAPPORT_DATA_DIR", str(home / "rapport-data"))
    monkeypatch.delenv("RAPPORT_BACKUP_PASSPHRASE", raising=False)
    ring = MemoryKeyring()
    previous = keyring.get_keyring()
    keyring.set_keyring(ring)
    yield ring
    keyring.set_keyring(previous)


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    path = tmp_path / "data"
    path.mkdir()
    return path


@pytest.fixture
def journal(data_dir: Path) -> Iterator[Journal]:
    """A fresh journal file, bound to the models for this test."""
    j = open_journal(data_dir / "journal.sqlite")
    yield j
    j.close()


@pytest.fixture
def fixtures() -> Path:
    return FIXTURES
