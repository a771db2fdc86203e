"""The encrypted backup file: AES-256-GCM in authenticated chunks behind a bound header.

Layout (all integers big-endian)::

    header, 96 bytes
      0   8  magic  b"RPRTBKUP"
      8   2  format version (1)
     10   2  header length (96)
     12   1  KDF id: 0 = raw 256-bit key (keyring or recovery key), 1 = scrypt(passphrase)
     13   1  scrypt log2(N)   (0 for a raw key)
     14   2  scrypt r         (0 for a raw key)
     16   2  scrypt p         (0 for a raw key)
     18  16  KDF salt         (zeros for a raw key)
     34  16  file salt: this file's data key = HKDF-SHA256(master key, file salt)
     50  12  base nonce
     62   4  chunk size: plaintext bytes in every chunk but the last
     66   8  key id: SHA-256("rapport backup key id" || master key)[:8]
     74   8  created, microseconds since 1970-01-01 UTC
     82   6  reserved, zero
     88   8  header check: SHA-256(bytes 0..87)[:8] (tells a damaged header from a wrong key)
    chunks 0..n-1, each ciphertext || 16-byte GCM tag
      nonce_i = base nonce XOR i (as 12 bytes)
      AAD_i   = the 96 header bytes || i (8 bytes) || 1 if last chunk else 0 (1 byte)

Every chunk but the last holds exactly ``chunk size`` plaintext bytes; the last holds 0 to
``chunk size`` (an empty file is one empty last chunk). Binding the header into every chunk
makes any header change fail; the index in the nonce and AAD catches reordering; the
last-chunk flag catches truncation at a chunk boundary.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import os
import struct
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Literal

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from rapport.store.safe_files import (
    create_private,
    private_temp,
    replace_durably,
)

MAGIC = b"RPRTBKUP"
FORMAT_VERSION = 1
HEADER_SIZE = 96
TAG_SIZE = 16
KEY_SIZE = 32
DEFAULT_CHUNK_SIZE = 4 << 20
MAX_CHUNK_SIZE = 64 << 20
MAX_HEADER_SIZE = 4096
BACKUP_SUFFIX = ".rbak"

KDF_RAW = 0
KDF_SCRYPT = 1

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_HEADER = struct.Struct(">8sHHBBHH16s16s12sI8sq6s")
_CHUNK_AAD = struct.Struct(">QB")
assert _HEADER.size == HEADER_SIZE - 8

Progress = Callable[[int, int], None]


class BackupError(Exception):
    """A backup cannot be made, read, checked or restored; ``str(err)`` is for the user."""

    def __init__(self, message: str) -> None:
        self.message = message
        super().__init__(message)


class KeyMismatch(BackupError):
    """The backup is fine but needs another key: ``needs`` says what to ask the user for."""

    def __init__(self, message: str, needs: Literal["recovery_key", "passphrase"]) -> None:
        self.needs = needs
        super().__init__(message)


@dataclass(frozen=True)
class Kdf:
    """How the master key was made: a raw key, or scrypt over a passphrase with these params."""

    name: Literal["raw", "scrypt"] = "raw"
    salt: bytes = bytes(16)
    log2_n: int = 0
    r: int = 0
    p: int = 0

    @property
    def n(self) -> int:
        return 1 << self.log2_n


RAW_KEY = Kdf()


@dataclass(frozen=True)
class BackupHeader:
    version: int
    kdf: Kdf
    file_salt: bytes
    base_nonce: bytes
    chunk_size: int
    key_id: str
    created: datetime
    raw: bytes


def key_id_of(key: bytes) -> str:
    """A short public fingerprint of a master key, so restore can name the key it needs."""
    return hashlib.sha256(b"rapport backup key id\x00" + key).digest()[:8].hex()


def _data_key(master: bytes, file_salt: bytes) -> bytes:
    hkdf = HKDF(
        algorithm=hashes.SHA256(),
        length=KEY_SIZE,
        salt=file_salt,
        info=b"rapport backup v1 data key",
    )
    return hkdf.derive(master)


def _pack_header(
    kdf: Kdf,
    file_salt: bytes,
    base_nonce: bytes,
    chunk_size: int,
    key_id: str,
    created: datetime,
) -> bytes:
    micros = (created - _EPOCH) // timedelta(microseconds=1)
    body = _HEADER.pack(
        MAGIC,
        FORMAT_VERSION,
        HEADER_SIZE,
        KDF_SCRYPT if kdf.name == "scrypt" else KDF_RAW,
        kdf.log2_n,
        kdf.r,
        kdf.p,
        kdf.salt if kdf.name == "scrypt" else bytes(16),
        file_salt,
        base_nonce,
        chunk_size,
        bytes.fromhex(key_id),
        micros,
        bytes(6),
    )
    return body + hashlib.sha256(body).digest()[:8]


def parse_header(raw: bytes, name: str = "the backup") -> BackupHeader:
    """Decode and check a header; a damaged or foreign file gives a clear BackupError.

    Bytes 0..11 (magic, version, header length) and the trailing 8-byte check are the same
    in every format version, so damage is told apart from "made by a newer Rapport".
    """
    if len(raw) < len(MAGIC) or raw[: len(MAGIC)] != MAGIC:
        raise BackupError(f"{name} is not a Rapport backup")
    if len(raw) < 12:
        raise BackupError(f"{name} is truncated: its header is incomplete")
    version, header_len = struct.unpack_from(">HH", raw, 8)
    if not HEADER_SIZE <= header_len <= MAX_HEADER_SIZE:
        raise BackupError(f"{name} is damaged: its header is not valid")
    if len(raw) < header_len:
        raise BackupError(f"{name} is truncated: its header is incomplete")
    raw = raw[:header_len]
    if hashlib.sha256(raw[:-8]).digest()[:8] != raw[-8:]:
        raise BackupError(f"{name} is damaged: its header does not match its checksum")
    if version > FORMAT_VERSION:
        raise BackupError(
            f"{name} was made by a newer Rapport (backup format {version}); "
            "update Rapport to read it"
        )
    if version != FORMAT_VERSION or header_len != HEADER_SIZE:
        raise BackupError(f"{name} is damaged: its header is not valid")
    (
        _magic,
        _version,
        _header_len,
        kdf_id,
        log2_n,
        r,
        p,
        kdf_salt,
        file_salt,
        base_nonce,
        chunk_size,
        key_id,
        micros,
        _reserved,
    ) = _HEADER.unpack(raw[:-8])
    if kdf_id not in (KDF_RAW, KDF_SCRYPT):
        raise BackupError(f"{name} is damaged: its key derivation is not known")
    if not 1 <= chunk_size <= MAX_CHUNK_SIZE:
        raise BackupError(f"{name} is damaged: its chunk size is not valid")
    kdf = Kdf("scrypt", kdf_salt, log2_n, r, p) if kdf_id == KDF_SCRYPT else RAW_KEY
    try:
        created = _EPOCH + timedelta(microseconds=micros)
    except OverflowError:
        raise BackupError(f"{name} is damaged: its date is not valid") from None
    return BackupHeader(
        version=version,
        kdf=kdf,
        file_salt=file_salt,
        base_nonce=base_nonce,
        chunk_size=chunk_size,
        key_id=key_id.hex(),
        created=created,
        raw=raw,
    )


def read_header(path: Path) -> BackupHeader:
    """The header of the backup at ``path`` (no key needed)."""
    try:
        with open(path, "rb") as f:
            raw = f.read(MAX_HEADER_SIZE)
    except FileNotFoundError:
        raise BackupError(f"{path.name}: no such backup file") from None
    except IsADirectoryError:
        raise BackupError(f"{path.name} is a folder, not a backup") from None
    except OSError as err:
        raise BackupError(f"{path.name} cannot be read: {err.strerror or err}") from None
    return parse_header(raw, path.name)


def _nonce(base: bytes, index: int) -> bytes:
    return (int.from_bytes(base, "big") ^ index).to_bytes(12, "big")


def _aad(header: bytes, index: int, last: bool) -> bytes:
    return header + _CHUNK_AAD.pack(index, 1 if last else 0)


def _read_full(f: io.FileIO, view: memoryview) -> int:
    """Fill ``view`` from ``f``; return how many bytes were read (less only at end of file)."""
    got = 0
    while got < len(view):
        n = f.readinto(view[got:])
        if not n:
            break
        got += n
    return got


def _write_all(fd: int, data: bytes | memoryview) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]


def _finish(fd: int, tmp: Path, dest: Path, durable: bool) -> None:
    if durable:
        os.fsync(fd)
    os.close(fd)
    if durable:
        replace_durably(tmp, dest)
    else:
        os.replace(tmp, dest)


def encrypt_file(
    src: Path,
    dest: Path,
    key: bytes,
    key_id: str | None = None,
    *,
    kdf: Kdf = RAW_KEY,
    chunk_size: int = DEFAULT_CHUNK_SIZE,
    created: datetime | None = None,
    progress: Progress | None = None,
    durable: bool = True,
) -> BackupHeader:
    """Encrypt the file ``src`` (which must not change meanwhile) into a new backup ``dest``.

    ``dest`` is created owner-only and appears atomically, fsynced if ``durable``. ``key``
    is the 32-byte master key; ``key_id`` must be ``key_id_of(key)`` (computed when
    omitted). ``kdf`` records how a passphrase became that key, so it can be re-derived.
    """
    if len(key) != KEY_SIZE:
        raise ValueError("a backup key is 32 bytes")
    if key_id is None:
        key_id = key_id_of(key)
    elif key_id != key_id_of(key):
        raise ValueError("key_id does not belong to this key")
    if not 1 <= chunk_size <= MAX_CHUNK_SIZE:
        raise ValueError(f"chunk size must be 1..{MAX_CHUNK_SIZE}")
    if kdf.name == "scrypt" and not (
        len(kdf.salt) == 16 and 0 < kdf.log2_n < 64 and 0 < kdf.r < 65536 and 0 < kdf.p < 65536
    ):
        raise ValueError("scrypt parameters out of range for the backup header")
    when = created or datetime.now(UTC)
    if when.tzinfo is None:
        raise ValueError("created must be an aware datetime")
    file_salt = os.urandom(16)
    base_nonce = os.urandom(12)
    header = _pack_header(kdf, file_salt, base_nonce, chunk_size, key_id, when.astimezone(UTC))
    aead = AESGCM(_data_key(key, file_salt))

    with private_temp(dest) as tmp, open(src, "rb", buffering=0) as inp:
        total = os.fstat(inp.fileno()).st_size
        chunks = max(1, -(-total // chunk_size))
        # Buffers are reused chunk after chunk, and no larger than the file needs.
        plain = memoryview(bytearray(min(chunk_size, total)))
        sealed = memoryview(bytearray(min(chunk_size, total) + TAG_SIZE))
        fd = create_private(tmp)
        try:
            _write_all(fd, header)
            done = 0
            for index in range(chunks):
                want = min(chunk_size, total - done)
                if _read_full(inp, plain[:want]) != want:
                    raise BackupError(f"{src.name} changed while it was being encrypted")
                last = index == chunks - 1
                out = sealed[: want + TAG_SIZE]
                aead.encrypt_into(
                    _nonce(base_nonce, index), plain[:want], _aad(header, index, last), out
                )
                _write_all(fd, out)
                done += want
                if progress is not None:
                    progress(done, total)
            if inp.read(1):
                raise BackupError(f"{src.name} changed while it was being encrypted")
        except BaseException:
            os.close(fd)
            raise
        _finish(fd, tmp, dest, durable)
    return parse_header(header, dest.name)


def decrypt_file(
    src: Path,
    dest: Path,
    key: bytes,
    *,
    progress: Progress | None = None,
    durable: bool = True,
) -> BackupHeader:
    """Decrypt the backup ``src`` into ``dest`` (owner-only, atomic; fsynced if ``durable``).

    Every chunk is authenticated before any of it is written, and ``dest`` only appears once
    the whole file has been read and the last chunk seen: a damaged, truncated, reordered or
    foreign-key file raises ``BackupError`` and leaves ``dest`` untouched.
    """
    name = src.name
    if len(key) != KEY_SIZE:
        raise ValueError("a backup key is 32 bytes")
    with private_temp(dest) as tmp, open(src, "rb", buffering=0) as inp:
        header = parse_header(inp.read(MAX_HEADER_SIZE), name)
        if key_id_of(key) != header.key_id:
            raise KeyMismatch(
                f"{name} was made with a different key (key id {header.key_id}): "
                "enter its recovery key",
                needs="recovery_key",
            )
        aead = AESGCM(_data_key(key, header.file_salt))
        inp.seek(len(header.raw))
        total = os.fstat(inp.fileno()).st_size - len(header.raw)
        sealed_size = header.chunk_size + TAG_SIZE
        full, rest = divmod(total, sealed_size)
        if total == 0:
            raise BackupError(f"{name} is truncated: it holds a header and no data")
        if 0 < rest < TAG_SIZE:
            raise BackupError(f"{name} is truncated: it ends in the middle of chunk {full}")
        chunks = full + (1 if rest else 0)
        sealed = memoryview(bytearray(min(sealed_size, total)))
        plain = memoryview(bytearray(min(sealed_size, total) - TAG_SIZE))
        fd = create_private(tmp)
        try:
            done = 0
            for index in range(chunks):
                want = min(sealed_size, total - done)
                if _read_full(inp, sealed[:want]) != want:
                    raise BackupError(f"{name} changed while it was being read")
                last = index == chunks - 1
                nonce = _nonce(header.base_nonce, index)
                piece, out = sealed[:want], plain[: want - TAG_SIZE]
                try:
                    aead.decrypt_into(nonce, piece, _aad(header.raw, index, last), out)
                except InvalidTag:
                    raise _chunk_error(aead, nonce, piece, header, index, last, name) from None
                _write_all(fd, out)
                done += want
                if progress is not None:
                    progress(done, total)
        except BaseException:
            os.close(fd)
            raise
        _finish(fd, tmp, dest, durable)
    return header


def _chunk_error(
    aead: AESGCM,
    nonce: bytes,
    piece: memoryview,
    header: BackupHeader,
    index: int,
    last: bool,
    name: str,
) -> BackupError:
    if last and len(piece) == header.chunk_size + TAG_SIZE:
        # A full chunk at the end of the file that authenticates as a middle chunk:
        # the file was cut exactly at a chunk boundary.
        with contextlib.suppress(InvalidTag):
            aead.decrypt(nonce, bytes(piece), _aad(header.raw, index, False))
            return BackupError(f"{name} is truncated: it ends after chunk {index}")
    return BackupError(
        f"{name} is damaged or was altered: chunk {index} does not authenticate "
        "(the file was changed, corrupted or cut short after it was written)"
    )
