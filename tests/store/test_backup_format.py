"""The encrypted file format refuses every change: flipped bits, cuts, reordering, wrong keys."""

from __future__ import annotations

import hashlib
import os
import stat
import struct
import tracemalloc
from datetime import UTC, datetime
from pathlib import Path

import pytest

from rapport.store.backup_format import (
    HEADER_SIZE,
    TAG_SIZE,
    BackupError,
    KeyMismatch,
    decrypt_file,
    encrypt_file,
    key_id_of,
    read_header,
)

KEY = bytes(range(32))
CHUNK = 64


def encrypt(tmp_path: Path, data: bytes, chunk: int = CHUNK) -> Path:
    src = tmp_path / "plain"
    src.write_bytes(data)
    dest = tmp_path / "b.rbak"
    encrypt_file(src, dest, KEY, key_id_of(KEY), chunk_size=chunk)
    src.unlink()
    return dest


def refused(tmp_path: Path, backup: Path, key: bytes = KEY) -> str:
    out = tmp_path / "out"
    with pytest.raises(BackupError) as err:
        decrypt_file(backup, out, key)
    assert not out.exists()
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]
    return str(err.value)


def flip(path: Path, offset: int, bit: int = 0) -> None:
    data = bytearray(path.read_bytes())
    data[offset] ^= 1 << bit
    path.write_bytes(bytes(data))


@pytest.mark.parametrize("size", [0, 1, CHUNK - 1, CHUNK, CHUNK + 1, 3 * CHUNK, 1000])
def test_round_trip(tmp_path: Path, size: int) -> None:
    data = os.urandom(size)
    backup = encrypt(tmp_path, data)
    out = tmp_path / "out"

    header = decrypt_file(backup, out, KEY)

    assert out.read_bytes() == data
    assert header.chunk_size == CHUNK
    chunks = max(1, -(-size // CHUNK))
    if size and size % CHUNK == 0:
        chunks = size // CHUNK  # a full last chunk carries the last flag itself
    assert backup.stat().st_size == HEADER_SIZE + size + chunks * TAG_SIZE


def test_files_are_private_and_the_header_is_readable_without_the_key(tmp_path: Path) -> None:
    when = datetime(2025, 3, 1, 12, 30, tzinfo=UTC)
    src = tmp_path / "plain"
    src.write_bytes(b"the journal")
    backup = tmp_path / "b.rbak"
    encrypt_file(src, backup, KEY, created=when)
    decrypt_file(backup, tmp_path / "out", KEY)

    assert stat.S_IMODE(backup.stat().st_mode) == 0o600
    assert stat.S_IMODE((tmp_path / "out").stat().st_mode) == 0o600
    header = read_header(backup)
    assert header.key_id == key_id_of(KEY)
    assert header.created == when
    assert header.kdf.name == "raw"
    assert b"the journal" not in backup.read_bytes()


def test_the_same_content_never_encrypts_the_same_way(tmp_path: Path) -> None:
    a = encrypt(tmp_path, b"x" * 300).read_bytes()
    b = encrypt(tmp_path, b"x" * 300).read_bytes()
    assert a[HEADER_SIZE:] != b[HEADER_SIZE:]


# Offsets into a 4-chunk file (200 bytes, 64-byte chunks): header fields, the first chunk,
# a middle chunk, a tag, the very last byte.
FLIPS = {
    "magic": 3,
    "version": 9,
    "kdf": 12,
    "file salt": 40,
    "nonce": 55,
    "chunk size": 65,
    "key id": 70,
    "created": 80,
    "header check": 92,
    "first chunk": HEADER_SIZE + 5,
    "middle chunk": HEADER_SIZE + 2 * (CHUNK + TAG_SIZE) + 30,
    "a tag": HEADER_SIZE + CHUNK + 3,
    "last byte": -1,
}


@pytest.mark.parametrize("where", list(FLIPS))
@pytest.mark.parametrize("bit", [0, 7])
def test_one_flipped_bit_anywhere_is_refused(tmp_path: Path, where: str, bit: int) -> None:
    backup = encrypt(tmp_path, os.urandom(200))
    offset = FLIPS[where] % backup.stat().st_size
    flip(backup, offset, bit)

    message = refused(tmp_path, backup)

    if offset < HEADER_SIZE:
        assert "not a Rapport backup" in message or "damaged" in message
    else:
        assert "damaged" in message or "truncated" in message


def test_a_flipped_version_is_not_mistaken_for_a_newer_rapport(tmp_path: Path) -> None:
    backup = encrypt(tmp_path, b"data")
    flip(backup, 9, 1)
    assert "header does not match its checksum" in refused(tmp_path, backup)


def test_a_genuinely_newer_format_says_so(tmp_path: Path) -> None:
    backup = encrypt(tmp_path, b"data")
    raw = bytearray(backup.read_bytes())
    struct.pack_into(">H", raw, 8, 2)
    raw[HEADER_SIZE - 8 : HEADER_SIZE] = hashlib.sha256(raw[: HEADER_SIZE - 8]).digest()[:8]
    backup.write_bytes(bytes(raw))
    assert "newer Rapport" in refused(tmp_path, backup)


@pytest.mark.parametrize(
    ("cut_to", "expected"),
    [
        (HEADER_SIZE + 2 * (CHUNK + TAG_SIZE), "truncated: it ends after chunk 1"),
        (HEADER_SIZE + CHUNK + TAG_SIZE + 30, "damaged"),
        (HEADER_SIZE + CHUNK + TAG_SIZE + 10, "truncated: it ends in the middle of chunk 1"),
        (HEADER_SIZE + 8, "truncated"),
        (HEADER_SIZE, "truncated"),
        (50, "truncated"),
        (0, "not a Rapport backup"),
    ],
)
def test_truncation_is_refused(tmp_path: Path, cut_to: int, expected: str) -> None:
    backup = encrypt(tmp_path, os.urandom(200))
    backup.write_bytes(backup.read_bytes()[:cut_to])
    assert expected in refused(tmp_path, backup)


def test_reordered_dropped_or_repeated_chunks_are_refused(tmp_path: Path) -> None:
    backup = encrypt(tmp_path, os.urandom(4 * CHUNK + 10))
    raw = backup.read_bytes()
    head, body = raw[:HEADER_SIZE], raw[HEADER_SIZE:]
    sealed = CHUNK + TAG_SIZE
    chunks = [body[i : i + sealed] for i in range(0, len(body), sealed)]
    assert len(chunks) == 5
    variants = {
        "swapped": [chunks[1], chunks[0], *chunks[2:]],
        "dropped": [chunks[0], *chunks[2:]],
        "repeated": [chunks[0], chunks[1], chunks[1], *chunks[2:]],
        "extra at end": [*chunks, chunks[0]],
        "garbage at end": [*chunks, b"\0" * 20],
    }
    for name, parts in variants.items():
        backup.write_bytes(head + b"".join(parts))
        assert "damaged" in refused(tmp_path, backup), name


def test_a_header_moved_onto_other_chunks_is_refused(tmp_path: Path) -> None:
    first = encrypt(tmp_path, os.urandom(200)).read_bytes()
    second = encrypt(tmp_path, os.urandom(200))
    second.write_bytes(first[:HEADER_SIZE] + second.read_bytes()[HEADER_SIZE:])
    assert "damaged" in refused(tmp_path, second)


def test_wrong_key_names_the_key_it_needs(tmp_path: Path) -> None:
    backup = encrypt(tmp_path, b"secret notes")
    with pytest.raises(KeyMismatch) as err:
        decrypt_file(backup, tmp_path / "out", os.urandom(32))
    assert err.value.needs == "recovery_key"
    assert key_id_of(KEY) in str(err.value)
    assert "recovery key" in str(err.value)


def test_not_a_backup(tmp_path: Path) -> None:
    other = tmp_path / "holiday.jpg"
    other.write_bytes(os.urandom(500))
    assert "not a Rapport backup" in refused(tmp_path, other)


def test_key_id_must_belong_to_the_key(tmp_path: Path) -> None:
    src = tmp_path / "plain"
    src.write_bytes(b"x")
    with pytest.raises(ValueError, match="key_id"):
        encrypt_file(src, tmp_path / "b.rbak", KEY, key_id_of(os.urandom(32)))


def test_large_files_stream_in_chunks(tmp_path: Path) -> None:
    size, chunk = 8 << 20, 64 << 10
    src = tmp_path / "plain"
    with open(src, "wb") as f:
        for _ in range(size // (1 << 20)):
            f.write(os.urandom(1 << 20))
    backup, out = tmp_path / "b.rbak", tmp_path / "out"

    tracemalloc.start()
    try:
        encrypt_file(src, backup, KEY, chunk_size=chunk)
        decrypt_file(backup, out, KEY)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()

    assert peak < 8 * chunk  # a few chunk buffers, never the file
    assert hashlib.sha256(out.read_bytes()).digest() == hashlib.sha256(src.read_bytes()).digest()


def test_progress_reaches_the_total(tmp_path: Path) -> None:
    src = tmp_path / "plain"
    src.write_bytes(os.urandom(1000))
    seen: list[tuple[int, int]] = []
    encrypt_file(
        src, tmp_path / "b.rbak", KEY, chunk_size=CHUNK, progress=lambda d, t: seen.append((d, t))
    )
    assert seen[-1] == (1000, 1000)
    assert [d for d, _ in seen] == sorted(d for d, _ in seen)
