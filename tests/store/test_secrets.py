"""The backup key: secure keyrings only, passphrase otherwise, recovery keys that catch typos."""

from __future__ import annotations

import os
from pathlib import Path

import keyring.backends.chainer
import keyring.backends.fail
import keyring.backends.null
import pytest
from keyring.backend import KeyringBackend
from keyrings.alt.file import PlaintextKeyring

from helpers_keyring import ForgetfulKeyring, MemoryKeyring
from rapport.store.backup_format import BackupError, KeyMismatch, encrypt_file, read_header
from rapport.store.secrets import (
    DEFAULT_SCRYPT,
    NO_SECURE_KEYRING,
    PASSPHRASE_ENV,
    BackupKeys,
    ScryptParams,
    choose_secure_backend,
    derive_key,
    is_secure_backend,
    key_from_recovery,
    new_scrypt_kdf,
    recovery_from_key,
)

FAST = ScryptParams(log2_n=10, r=8, p=1)


def backup_made_with(tmp_path: Path, keys: BackupKeys) -> Path:
    key = keys.encryption_key()
    src = tmp_path / "plain"
    src.write_bytes(b"journal")
    dest = tmp_path / f"{os.urandom(4).hex()}.rbak"
    encrypt_file(src, dest, key.key, key.key_id, kdf=key.kdf)
    return dest


class UntouchablePlaintext(PlaintextKeyring):
    """The plaintext keyring, failing the test if anything is read from or written to it."""

    viable = False

    def get_password(self, service: str, username: str) -> str | None:
        raise AssertionError("a plaintext keyring was read")

    def set_password(self, service: str, username: str, password: str) -> None:
        raise AssertionError("a secret was written to a plaintext keyring")


class Lukewarm(MemoryKeyring):
    priority = 0.9  # type: ignore[assignment]


class Chain(keyring.backends.chainer.ChainerBackend):
    viable = False
    backends = [UntouchablePlaintext(), MemoryKeyring()]


# --- recovery keys -------------------------------------------------------------------------


def test_recovery_key_round_trip_and_shape() -> None:
    key = os.urandom(32)
    text = recovery_from_key(key)
    groups = text.split("-")
    assert len(groups) == 14
    assert all(len(g) == 4 and g.isalnum() and g.upper() == g for g in groups)
    assert not set(text) & set("ILOU")
    assert key_from_recovery(text) == key


def test_recovery_key_forgives_case_spacing_and_lookalikes() -> None:
    key = bytes(32)
    text = recovery_from_key(key)  # all zeros: "0000-0000-…"
    typed = text.lower().replace("-", " ").replace("0", "o")
    assert key_from_recovery(typed) == key
    key2 = os.urandom(32)
    text2 = recovery_from_key(key2).replace("1", "l")
    assert key_from_recovery("  " + text2.replace("-", "") + "\n") == key2


def test_a_mistyped_recovery_key_is_rejected_clearly() -> None:
    text = recovery_from_key(os.urandom(32))
    position = 17 if text[17] != "-" else 18
    wrong = "Z" if text[position] != "Z" else "Y"
    typo = text[:position] + wrong + text[position + 1 :]
    with pytest.raises(BackupError, match="mistyped"):
        key_from_recovery(typo)
    groups = text.split("-")
    swapped = "-".join([groups[1], groups[0], *groups[2:]])
    if swapped != text:
        with pytest.raises(BackupError, match="mistyped"):
            key_from_recovery(swapped)
    with pytest.raises(BackupError, match="has 56 letters and digits; this one has 52"):
        key_from_recovery(text[:-5])
    with pytest.raises(BackupError, match="'U' never appears"):
        key_from_recovery("U" + text[1:])


# --- which keyrings count ------------------------------------------------------------------


@pytest.mark.parametrize(
    "backend",
    [
        keyring.backends.fail.Keyring(),
        keyring.backends.null.Keyring(),
        UntouchablePlaintext(),
        Lukewarm(),
    ],
    ids=["fail", "null", "plaintext", "priority 0.9"],
)
def test_insecure_backends_are_refused(backend: KeyringBackend) -> None:
    assert not is_secure_backend(backend)
    assert choose_secure_backend(backend) is None


def test_a_plaintext_keyring_is_refused_even_with_a_high_priority() -> None:
    class Boosted(UntouchablePlaintext):
        priority = 50

    assert not is_secure_backend(Boosted())


def test_a_chain_is_looked_through_to_its_secure_member() -> None:
    chosen = choose_secure_backend(Chain())
    assert isinstance(chosen, MemoryKeyring)


# --- keyring mode --------------------------------------------------------------------------


def test_keyring_mode_makes_one_key_and_shows_its_recovery_key_once() -> None:
    ring = MemoryKeyring()
    keys = BackupKeys(ring, environ={})
    assert keys.state().mode == "keyring"
    assert not keys.state().needs_passphrase

    first = keys.encryption_key()
    shown = keys.pop_new_recovery_key()

    assert shown is not None
    assert key_from_recovery(shown) == first.key
    assert keys.pop_new_recovery_key() is None
    assert keys.recovery_key() == shown
    # The keyring holds the key in its checked form, and nothing else was stored.
    assert list(ring.passwords.values()) == [shown]
    again = BackupKeys(ring, environ={})
    assert again.encryption_key() == first
    assert again.pop_new_recovery_key() is None


def test_a_new_machine_restores_with_the_recovery_key(tmp_path: Path) -> None:
    old = BackupKeys(MemoryKeyring(), environ={})
    backup = backup_made_with(tmp_path, old)
    recovery = old.recovery_key()
    assert recovery is not None

    fresh = BackupKeys(MemoryKeyring(), environ={})
    header = read_header(backup)
    with pytest.raises(KeyMismatch) as err:
        fresh.key_for(header)
    assert err.value.needs == "recovery_key"
    assert header.key_id in str(err.value)

    wrong = recovery_from_key(os.urandom(32))
    fresh.add_recovery_key(wrong)
    with pytest.raises(KeyMismatch, match="different key"):
        fresh.key_for(header)

    fresh.add_recovery_key(recovery.lower())
    assert fresh.key_for(header) == old.encryption_key().key


def test_adopting_a_recovery_key_makes_it_this_machines_key() -> None:
    old = BackupKeys(MemoryKeyring(), environ={})
    text = recovery_from_key(old.encryption_key().key)
    ring = MemoryKeyring()
    fresh = BackupKeys(ring, environ={})

    fresh.adopt_recovery_key(text)

    assert fresh.encryption_key() == old.encryption_key()
    assert fresh.pop_new_recovery_key() is None
    other = BackupKeys(MemoryKeyring(), environ={})
    other.encryption_key()
    with pytest.raises(BackupError, match="already has a different backup key"):
        other.adopt_recovery_key(text)
    other.adopt_recovery_key(text, replace=True)
    assert other.encryption_key() == old.encryption_key()


def test_a_keyring_that_keeps_nothing_is_noticed() -> None:
    with pytest.raises(BackupError, match="did not keep the backup key"):
        BackupKeys(ForgetfulKeyring(), environ={}).encryption_key()


def test_a_locked_keyring_without_passphrase_is_an_error() -> None:
    ring = MemoryKeyring()
    ring.locked = True
    with pytest.raises(BackupError, match=r"system keyring .* could not be used"):
        BackupKeys(ring, environ={}).encryption_key()


def test_a_locked_keyring_falls_back_to_the_passphrase_and_says_so() -> None:
    ring = MemoryKeyring()
    ring.locked = True
    keys = BackupKeys(ring, environ={PASSPHRASE_ENV: "correct horse"}, scrypt=FAST)
    key = keys.encryption_key()
    assert key.kdf.name == "scrypt"
    state = keys.state()
    assert state.mode == "passphrase"
    assert "could not be used" in state.message
    assert "backups use your passphrase" in state.message


# --- passphrase mode -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "backend",
    [keyring.backends.fail.Keyring(), keyring.backends.null.Keyring(), UntouchablePlaintext()],
    ids=["missing keyring", "null keyring", "plaintext keyring"],
)
def test_without_a_secure_keyring_backups_use_the_passphrase(
    tmp_path: Path, backend: KeyringBackend
) -> None:
    keys = BackupKeys(backend, environ={})
    state = keys.state()
    assert state.mode == "passphrase"
    assert state.message.startswith(NO_SECURE_KEYRING)
    assert state.needs_passphrase
    with pytest.raises(BackupError, match=PASSPHRASE_ENV):
        keys.encryption_key()

    keys = BackupKeys(backend, environ={PASSPHRASE_ENV: "tea with Ada"}, scrypt=FAST)
    assert not keys.state().needs_passphrase
    key = keys.encryption_key()
    assert key.kdf.name == "scrypt"
    assert (key.kdf.log2_n, key.kdf.r, key.kdf.p) == (10, 8, 1)
    assert derive_key("tea with Ada", key.kdf) == key.key
    assert keys.recovery_key() is None
    assert keys.encryption_key() is key  # derived once per session

    backup = backup_made_with(tmp_path, keys)
    reader = BackupKeys(backend, environ={}, passphrase=lambda: "tea with Ada")
    assert reader.key_for(read_header(backup)) == key.key


def test_a_wrong_passphrase_is_refused(tmp_path: Path) -> None:
    maker = BackupKeys(keyring.backends.fail.Keyring(), passphrase="right one", scrypt=FAST)
    header = read_header(backup_made_with(tmp_path, maker))

    asked: list[str] = []

    def ask() -> str:
        asked.append("asked")
        return "wrong one"

    reader = BackupKeys(keyring.backends.fail.Keyring(), environ={}, passphrase=ask)
    with pytest.raises(KeyMismatch, match="wrong passphrase") as err:
        reader.key_for(header)
    assert err.value.needs == "passphrase"
    assert asked == ["asked"]
    reader.set_passphrase("right one")
    assert reader.key_for(header) == maker.encryption_key().key


def test_a_passphrase_backup_reads_in_keyring_mode_once_the_passphrase_is_given(
    tmp_path: Path,
) -> None:
    maker = BackupKeys(keyring.backends.null.Keyring(), passphrase="pw", scrypt=FAST)
    header = read_header(backup_made_with(tmp_path, maker))
    keys = BackupKeys(MemoryKeyring(), environ={})
    with pytest.raises(KeyMismatch, match="made with a passphrase") as err:
        keys.key_for(header)
    assert err.value.needs == "passphrase"
    keys.set_passphrase("pw")
    assert keys.key_for(header) == maker.encryption_key().key


def test_a_header_asking_for_absurd_scrypt_costs_is_refused_without_trying() -> None:
    kdf = new_scrypt_kdf(ScryptParams(log2_n=30, r=8, p=1))
    with pytest.raises(BackupError, match="too costly"):
        derive_key("pw", kdf)


def test_default_scrypt_parameters() -> None:
    # Tuned to about half a second here (see bench/bench_backup.py for the measurement).
    assert (DEFAULT_SCRYPT.log2_n, DEFAULT_SCRYPT.r, DEFAULT_SCRYPT.p) == (17, 8, 1)
    assert DEFAULT_SCRYPT.memory == 128 << 20
