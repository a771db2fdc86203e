"""Backups of the journal: made with SQLite's backup API, encrypted, verified, thinned, restored.

Works on any SQLite file; it knows nothing of the journal's tables. A backup is listed as
good only after it was decrypted again and checked (``integrity_check`` and row counts per
table equal to the source's, counted in the same read transaction as the copy). The folder
holds the ``.rbak`` files and ``backups.json``, a small index; a file missing from the index is
still found by reading its header.
"""

from __future__ import annotations

import builtins
import contextlib
import dataclasses
import json
import os
import sqlite3
import sys
import threading
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta, tzinfo
from pathlib import Path
from typing import Any, Literal

from rapport.store.backup_format import (
    BACKUP_SUFFIX,
    DEFAULT_CHUNK_SIZE,
    BackupError,
    KeyMismatch,
    decrypt_file,
    encrypt_file,
    read_header,
)
from rapport.store.change_token import (
    AUTO_BACKUP_EVERY,
    ChangeToken,
    change_token,
    changed_since,
    should_back_up,
)
from rapport.store.retention import Retention, obsolete_backups
from rapport.store.safe_files import (
    private_temp,
    remove_stale_temps,
    replace_durably,
    temp_path_for,
    unlink_quietly,
    write_bytes_atomically,
)
from rapport.store.secrets import KeyProvider
from rapport.store.sqlite_copy import (
    Progress,
    copy_database,
    foreign_key_problems,
    integrity,
    open_for_reading,
    open_snapshot_file,
    read_transaction,
    table_counts,
)

if sys.platform != "win32":
    import fcntl

INDEX_NAME = "backups.json"
LOCK_NAME = ".backups.lock"
FILE_PREFIX = "rapport-"
ID_FORMAT = "%Y%m%dT%H%M%SZ"
COPY_STEP_PAGES = 4096
DEFAULT_RETENTION = Retention()

__all__ = [
    "AUTO_BACKUP_EVERY",
    "BackupError",
    "BackupInfo",
    "BackupManager",
    "ChangeToken",
    "CheckResult",
    "KeyMismatch",
    "Retention",
    "ThinResult",
    "change_token",
    "changed_since",
    "check_journal",
    "obsolete_backups",
    "should_back_up",
]


# --- what the window and the command line show ----------------------------------------------


@dataclass(frozen=True)
class BackupInfo:
    """One backup file. ``verified`` is True only once it was decrypted and checked."""

    id: str
    path: Path
    created: datetime
    size: int
    verified: bool
    counts: dict[str, int] = field(default_factory=dict)
    reason: str = ""
    key_id: str = ""
    error: str | None = None  # why it failed its check; None if good or never checked
    checked: datetime | None = None

    @property
    def state(self) -> Literal["good", "failed", "unverified"]:
        if self.verified:
            return "good"
        return "failed" if self.error else "unverified"

    def to_json(self) -> dict[str, Any]:
        """The command line's ``--json`` shape: these five keys first, extra keys after."""
        return {
            "id": self.id,
            "path": str(self.path),
            "created": _iso(self.created),
            "size": self.size,
            "verified": self.verified,
            "state": self.state,
            "reason": self.reason,
            "counts": dict(self.counts),
            "key_id": self.key_id,
            "error": self.error,
        }


@dataclass(frozen=True)
class ThinResult:
    deleted: list[BackupInfo]
    kept: list[BackupInfo]
    attention: list[BackupInfo]
    """Backups that failed their check or were never checked: left in place, for the user."""


@dataclass(frozen=True)
class CheckResult:
    integrity: str
    foreign_keys: list[dict[str, Any]]

    @property
    def ok(self) -> bool:
        return self.integrity == "ok" and not self.foreign_keys

    def to_json(self) -> dict[str, Any]:
        return {"integrity": self.integrity, "foreign_keys": self.foreign_keys}


def check_journal(conn: sqlite3.Connection) -> CheckResult:
    """ "Check journal": ``quick_check`` and ``foreign_key_check`` on an open connection."""
    return CheckResult(integrity(conn, quick=True), foreign_key_problems(conn))


# --- the manager ------------------------------------------------------------------------------


class BackupManager:
    """Backups of the SQLite file ``journal_path`` in ``backup_dir``.

    Plain copies exist only as owner-only temp files in ``scratch_dir`` (default: the
    journal's own folder, never the backup folder, which may be a synced one) and are deleted
    as soon as they are encrypted or checked. One manager may be used from several threads;
    several processes on one backup folder are serialised by a lock file (POSIX).
    """

    def __init__(
        self,
        journal_path: Path,
        backup_dir: Path,
        keys: KeyProvider,
        policy: Retention = DEFAULT_RETENTION,
        *,
        chunk_size: int = DEFAULT_CHUNK_SIZE,
        scratch_dir: Path | None = None,
        clock: Callable[[], datetime] | None = None,
        tz: tzinfo | None = None,
    ) -> None:
        self.journal_path = Path(journal_path)
        self.backup_dir = Path(backup_dir)
        self.keys = keys
        self.policy = policy
        self.chunk_size = chunk_size
        self.scratch_dir = Path(scratch_dir) if scratch_dir else self.journal_path.parent
        self._clock = clock or (lambda: datetime.now(UTC))
        self._tz = tz
        self._thread_lock = threading.RLock()
        self._depth = 0
        self._lock_fd: int | None = None

    # -- locking and the index --

    @contextlib.contextmanager
    def _locked(self) -> Iterator[None]:
        with self._thread_lock:
            if self._depth == 0:
                self.backup_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
                fd = os.open(self.backup_dir / LOCK_NAME, os.O_RDWR | os.O_CREAT, 0o600)
                if sys.platform != "win32":
                    fcntl.flock(fd, fcntl.LOCK_EX)
                self._lock_fd = fd
                self._cleanup_temps()
            self._depth += 1
            try:
                yield
            finally:
                self._depth -= 1
                if self._depth == 0 and self._lock_fd is not None:
                    os.close(self._lock_fd)  # closing releases the flock
                    self._lock_fd = None

    def _cleanup_temps(self) -> None:
        # Leftovers of a killed backup or restore: plain copies next to the journal, half
        # written files in the backup folder.
        remove_stale_temps(self.scratch_dir, self.journal_path.name)
        remove_stale_temps(self.journal_path.parent, self.journal_path.name)
        remove_stale_temps(self.backup_dir, FILE_PREFIX)
        remove_stale_temps(self.backup_dir, INDEX_NAME)

    def _read_index(self) -> dict[str, dict[str, Any]]:
        try:
            data = json.loads((self.backup_dir / INDEX_NAME).read_text("utf-8"))
            entries = data["backups"]
            return {str(e["file"]): e for e in entries if isinstance(e, dict) and "file" in e}
        except (OSError, ValueError, KeyError, TypeError):
            # No index, or a damaged one: the files' headers are the truth, rebuild from them.
            return {}

    def _write_index(self, entries: dict[str, dict[str, Any]]) -> None:
        ordered = sorted(entries.values(), key=lambda e: str(e.get("id", "")))
        payload = json.dumps({"format": 1, "backups": ordered}, ensure_ascii=False)
        write_bytes_atomically(self.backup_dir / INDEX_NAME, payload.encode("utf-8") + b"\n")

    def _record(self, info: BackupInfo) -> None:
        with self._locked():
            entries = self._read_index()
            entries[info.path.name] = _entry(info)
            self._write_index(entries)

    def _forget(self, infos: Sequence[BackupInfo]) -> None:
        with self._locked():
            entries = self._read_index()
            for info in infos:
                entries.pop(info.path.name, None)
            self._write_index(entries)

    # -- listing --

    def list(self) -> builtins.list[BackupInfo]:
        """Every backup in the folder, newest first.

        Takes no lock (the index is replaced atomically), so the window can call it while a
        backup runs in the background.
        """
        entries = self._read_index()
        infos: builtins.list[BackupInfo] = []
        try:
            found = list(os.scandir(self.backup_dir))
        except FileNotFoundError:
            return infos
        for entry in found:
            name = entry.name
            if not (name.startswith(FILE_PREFIX) and name.endswith(BACKUP_SUFFIX)):
                continue
            try:
                if not entry.is_file():
                    continue
                size = entry.stat().st_size
            except FileNotFoundError:
                continue  # thinned or deleted while we looked
            path = Path(entry.path)
            known = entries.get(name)
            infos.append(_from_entry(known, path, size) if known else _from_file(path, size))
        infos.sort(key=lambda i: (i.created, i.id), reverse=True)
        return infos

    def latest_good(self) -> BackupInfo | None:
        return next((i for i in self.list() if i.verified), None)

    def get(self, id_or_path: str | Path) -> BackupInfo:
        """A backup by id (or a unique start of one), or by the path of any backup file."""
        text = str(id_or_path)
        as_path = Path(id_or_path)
        if isinstance(id_or_path, Path) or text.endswith(BACKUP_SUFFIX) or os.sep in text:
            if not as_path.is_absolute() and not as_path.exists():
                as_path = self.backup_dir / as_path
            if not as_path.is_file():
                raise BackupError(f"{text}: no such backup file")
            if as_path.resolve().parent == self.backup_dir.resolve():
                for info in self.list():
                    if info.path.name == as_path.name:
                        return info
            return _from_file(as_path, as_path.stat().st_size)
        infos = self.list()
        exact = [i for i in infos if i.id == text]
        if exact:
            return exact[0]
        matches = [i for i in infos if i.id.startswith(text)] if text else []
        if len(matches) == 1:
            return matches[0]
        if matches:
            raise BackupError(f"{text!r} matches {len(matches)} backups: give more of the id")
        raise BackupError(f"no backup with id {text!r} in {self.backup_dir}")

    # -- making backups --

    def backup_now(
        self, reason: str, progress: Progress | None = None, *, verify: bool = True
    ) -> BackupInfo:
        """Back up the journal now, check the backup, then thin old ones.

        Raises BackupError if the backup cannot be made or fails its check (a failed one is
        kept and listed as failed; nothing is thinned). ``verify=False`` leaves it listed as
        unverified, for callers that check later (and the benchmark).
        """
        with self._locked():
            steps = _Steps(progress, 3 if verify else 2)
            info = self._write_backup(reason, steps)
            if not verify:
                self._record(info)
                return info
            info = self._check_and_record(info, info.counts, steps)
            if not info.verified:
                raise BackupError(
                    f"backup {info.id} failed its check and is kept as failed: {info.error}; "
                    "your earlier backups are untouched"
                )
            self._thin_quietly()
            steps.finish()
            return info

    def _new_slot(self) -> tuple[datetime, Path]:
        # Ids are UTC seconds; a second backup within the same second takes the next one.
        when = self._clock().astimezone(UTC).replace(microsecond=0)
        known = self._read_index()
        while True:
            path = self.backup_dir / f"{FILE_PREFIX}{when.strftime(ID_FORMAT)}{BACKUP_SUFFIX}"
            if not path.exists() and path.name not in known:
                return when, path
            when += timedelta(seconds=1)

    def _write_backup(self, reason: str, steps: _Steps) -> BackupInfo:
        journal = self.journal_path
        if not journal.is_file():
            raise BackupError(f"{journal}: there is no journal to back up")
        key = self.keys.encryption_key()
        created, dest = self._new_slot()
        plain = temp_path_for(journal, self.scratch_dir)
        try:
            with contextlib.closing(open_for_reading(journal)) as conn, read_transaction(conn):
                # Counted in the same snapshot the copy is taken from, so verify can demand
                # equality even while the app keeps writing.
                counts = table_counts(conn)
                page_size = int(conn.execute("PRAGMA page_size").fetchone()[0])
                page_count = int(conn.execute("PRAGMA page_count").fetchone()[0])
                steps.start(page_size * page_count)
                copy_database(
                    conn,
                    plain,
                    pages=COPY_STEP_PAGES,
                    progress=lambda done, _total: steps.update(done * page_size),
                    durable=False,
                )
            steps.next()
            steps.start(plain.stat().st_size)
            encrypt_file(
                plain,
                dest,
                key.key,
                key.key_id,
                kdf=key.kdf,
                chunk_size=self.chunk_size,
                created=created,
                progress=lambda done, _total: steps.update(done),
            )
            steps.next()
        except sqlite3.DatabaseError as err:
            raise BackupError(f"the journal could not be read for a backup: {err}") from err
        except OSError as err:
            raise BackupError(f"the backup could not be written: {err}") from err
        finally:
            unlink_quietly(plain)
        info = BackupInfo(
            id=created.strftime(ID_FORMAT),
            path=dest,
            created=created,
            size=dest.stat().st_size,
            verified=False,
            counts=counts,
            reason=reason,
            key_id=key.key_id,
        )
        # Not in the index yet: the caller records it once, checked or not. If we are killed
        # before that, the folder scan still finds it (as unverified).
        return info

    # -- checking --

    def verify(self, id_or_path: str | Path, progress: Progress | None = None) -> BackupInfo:
        """Decrypt and check one backup; record the result. Raises BackupError if it is bad
        (KeyMismatch if this session has no key for it: the file is not judged then)."""
        with self._locked():
            info = self.get(id_or_path)
            checked = self._check_and_record(info, info.counts or None, _Steps(progress, 1))
            if not checked.verified:
                raise BackupError(f"backup {info.id} is bad: {checked.error}")
            return checked

    def verify_all(self, progress: Progress | None = None) -> builtins.list[BackupInfo]:
        """Check every backup; never raises for a bad one (see each one's ``error``)."""
        with self._locked():
            infos = self.list()
            steps = _Steps(progress, len(infos) or 1)
            results: builtins.list[BackupInfo] = []
            for info in infos:
                try:
                    results.append(self._check_and_record(info, info.counts or None, steps))
                except KeyMismatch as err:
                    results.append(dataclasses.replace(info, verified=False, error=err.message))
            return results

    def _check_and_record(
        self, info: BackupInfo, expected: dict[str, int] | None, steps: _Steps
    ) -> BackupInfo:
        checked = self._check(info, expected, steps)
        if checked.path.parent.resolve() == self.backup_dir.resolve():
            self._record(checked)
        return checked

    def _check(
        self, info: BackupInfo, expected: dict[str, int] | None, steps: _Steps
    ) -> BackupInfo:
        counts: dict[str, int] = {}
        key_id = info.key_id
        with private_temp(self.journal_path, self.scratch_dir) as plain:
            try:
                header = read_header(info.path)
                key_id = header.key_id
                key = self.keys.key_for(header)  # KeyMismatch propagates: not the file's fault
                steps.start(max(info.path.stat().st_size, 1))
                decrypt_file(
                    info.path,
                    plain,
                    key,
                    progress=lambda done, _total: steps.update(done),
                    durable=False,
                )
                counts, error = _check_copy(plain, expected)
            except KeyMismatch:
                raise
            except BackupError as err:
                error = err.message
            except OSError as err:
                error = f"it could not be read: {err}"
        steps.next()
        return dataclasses.replace(
            info,
            verified=error is None,
            error=error,
            counts=counts or info.counts,
            key_id=key_id,
            size=_size(info.path, info.size),
            checked=self._clock().astimezone(UTC),
        )

    # -- thinning --

    def thin(self, now: datetime | None = None) -> ThinResult:
        """Delete the good backups the retention policy no longer keeps.

        Only good (verified) backups are ever deleted, and never the newest good one; failed
        and unverified ones are left in place and returned in ``attention`` for the user.
        Days are counted in ``now``'s time zone (default: now, in the manager's zone).
        """
        with self._locked():
            if now is None:
                now = self._clock().astimezone(self._tz)
            infos = self.list()
            good = [i for i in infos if i.verified]
            doomed = obsolete_backups(good, self.policy, now)
            if good:
                newest = max(good, key=lambda i: i.created)
                doomed = [i for i in doomed if i is not newest]
            for info in doomed:
                unlink_quietly(info.path)
            if doomed:
                self._forget(doomed)
            gone = {id(i) for i in doomed}
            return ThinResult(
                deleted=doomed,
                kept=[i for i in good if id(i) not in gone],
                attention=[i for i in infos if not i.verified],
            )

    def _thin_quietly(self) -> None:
        # The backup or restore itself succeeded; a file that cannot be deleted now is
        # thinned next time.
        with contextlib.suppress(OSError):
            self.thin()

    def delete(self, id_or_path: str | Path) -> BackupInfo:
        """Delete one backup (the user asked for it)."""
        with self._locked():
            info = self.get(id_or_path)
            unlink_quietly(info.path)
            self._forget([info])
            return info

    # -- restoring --

    def restore(
        self,
        id_or_path: str | Path,
        progress: Progress | None = None,
        *,
        safety_backup: bool = True,
    ) -> BackupInfo:
        """Replace the journal with the content of a backup.

        Contract: the caller has closed every connection to the journal (in this process and
        in others) and reopens it afterwards (its opener migrates an older schema). Restore
        refuses with BackupError if the journal is still open elsewhere.

        Steps: decrypt into a temp file in the journal's folder and check it (integrity,
        and row counts if the index knows them); take a safety backup of the current journal
        (a damaged journal is still saved, listed as failed); fold the old journal's WAL into
        it so no -wal or rollback journal of the old file remains; fsync; rename the temp
        file over the journal. A kill at any moment leaves the old journal or the new one.
        """
        with self._locked():
            info = self.get(id_or_path)
            header = read_header(info.path)
            key = self.keys.key_for(header)
            journal = self.journal_path
            journal.parent.mkdir(parents=True, exist_ok=True)
            steps = _Steps(progress, 2 if safety_backup else 1)
            with private_temp(journal) as fresh:
                steps.start(max(info.size, 1))
                decrypt_file(info.path, fresh, key, progress=lambda done, _t: steps.update(done))
                counts, error = _check_copy(fresh, info.counts or None)
                if error is not None:
                    bad = dataclasses.replace(info, verified=False, error=error)
                    if info.path.parent.resolve() == self.backup_dir.resolve():
                        self._record(bad)
                    raise BackupError(f"backup {info.id} cannot be restored: {error}")
                steps.next()
                if safety_backup and journal.exists():
                    self._safety_backup()
                _retire_old_journal(journal)
                replace_durably(fresh, journal)
                for side in _side_files(journal):
                    unlink_quietly(side)
                steps.finish()
            self._thin_quietly()
            return dataclasses.replace(info, counts=counts or info.counts)

    def _safety_backup(self) -> BackupInfo:
        reason = "before restore"
        try:
            info = self._write_backup(reason, _Steps(None, 1))
        except KeyMismatch:
            raise
        except BackupError as err:
            return self._raw_safety_copy(err)
        # A damaged journal still deserves its copy: keep it, listed as failed.
        return self._check_and_record(info, info.counts, _Steps(None, 1))

    def _raw_safety_copy(self, why: BackupError) -> BackupInfo:
        # SQLite cannot read the journal at all. Nothing has it open (the restore contract),
        # so its bytes are saved as they are, encrypted, for a later rescue.
        key = self.keys.encryption_key()
        created, dest = self._new_slot()
        try:
            encrypt_file(
                self.journal_path,
                dest,
                key.key,
                key.key_id,
                kdf=key.kdf,
                chunk_size=self.chunk_size,
                created=created,
            )
        except OSError as err:
            raise BackupError(
                f"the current journal could not be saved before restoring ({why.message}; "
                f"{err}); restore without a safety backup only if you mean to lose it"
            ) from err
        info = BackupInfo(
            id=created.strftime(ID_FORMAT),
            path=dest,
            created=created,
            size=dest.stat().st_size,
            verified=False,
            reason="before restore (raw copy of an unreadable journal)",
            key_id=key.key_id,
            error=why.message,
        )
        self._record(info)
        return info


# --- helpers ------------------------------------------------------------------------------


class _Steps:
    """Turns the phases of one operation into a single ``progress(done, total)`` stream."""

    def __init__(self, progress: Progress | None, phases: int) -> None:
        self._progress = progress
        self._phases = max(phases, 1)
        self._phase = 0
        self._scale = 1

    def start(self, units: int) -> None:
        self._scale = max(units, 1)
        self.update(0)

    def update(self, done: int) -> None:
        if self._progress is not None:
            within = min(max(done, 0), self._scale) / self._scale
            self._progress(int((self._phase + within) * 1000), self._phases * 1000)

    def next(self) -> None:
        self.update(self._scale)
        self._phase = min(self._phase + 1, self._phases)

    def finish(self) -> None:
        if self._progress is not None:
            self._progress(self._phases * 1000, self._phases * 1000)


def _check_copy(plain: Path, expected: dict[str, int] | None) -> tuple[dict[str, int], str | None]:
    """Integrity and row counts of a decrypted copy: (counts, None) or (counts, the problem)."""
    try:
        with contextlib.closing(open_snapshot_file(plain)) as conn:
            found = integrity(conn)
            if found != "ok":
                first = found.splitlines()[0] if found else "unknown problem"
                return {}, f"the database inside is damaged ({first})"
            counts = table_counts(conn)
    except sqlite3.DatabaseError as err:
        return {}, f"the database inside cannot be read ({err})"
    if expected is not None and counts != expected:
        diffs = [
            f"{t}: {counts.get(t, 'missing')} instead of {expected.get(t, 'none')}"
            for t in sorted(set(counts) | set(expected))
            if counts.get(t) != expected.get(t)
        ]
        more = f" and {len(diffs) - 3} more" if len(diffs) > 3 else ""
        return counts, "row counts differ from the journal's: " + "; ".join(diffs[:3]) + more
    return counts, None


def _side_files(journal: Path) -> builtins.list[Path]:
    return [journal.with_name(journal.name + s) for s in ("-wal", "-shm", "-journal")]


def _retire_old_journal(journal: Path) -> None:
    """Leave the old journal whole in its main file, with no -wal or rollback journal that
    could be replayed into the file about to replace it."""
    if not journal.exists():
        for side in _side_files(journal):
            unlink_quietly(side)  # orphans of a journal that is gone
        return
    try:
        conn = sqlite3.connect(journal, isolation_level=None, timeout=0)
        try:
            # The first read recovers a WAL or rolls back a hot journal left by a crash.
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
            row = conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
        finally:
            conn.close()  # the last connection to close removes the emptied -wal and -shm
    except sqlite3.OperationalError as err:
        if "locked" in str(err) or "busy" in str(err):
            raise _in_use() from err
        row = None
        _set_aside_side_files(journal)
    except sqlite3.DatabaseError:
        # Not a database any more: nothing can replay its side files; keep them aside.
        row = None
        _set_aside_side_files(journal)
    if row is not None and row[0]:
        raise _in_use()


def _set_aside_side_files(journal: Path) -> None:
    stamp = datetime.now(UTC).strftime(ID_FORMAT)
    for side in _side_files(journal):
        if side.exists():
            os.replace(side, side.with_name(f".{side.name}.before-restore-{stamp}"))


def _in_use() -> BackupError:
    return BackupError(
        "the journal is still open (another Rapport window or command?); close it and try again"
    )


def _iso(when: datetime) -> str:
    return when.astimezone(UTC).isoformat().replace("+00:00", "Z")


def _parse_iso(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00")).astimezone(UTC)


def _size(path: Path, fallback: int) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return fallback


def _entry(info: BackupInfo) -> dict[str, Any]:
    return {
        "id": info.id,
        "file": info.path.name,
        "created": _iso(info.created),
        "size": info.size,
        "verified": info.verified,
        "error": info.error,
        "checked": _iso(info.checked) if info.checked else None,
        "reason": info.reason,
        "counts": info.counts,
        "key_id": info.key_id,
    }


def _from_entry(entry: dict[str, Any], path: Path, size: int) -> BackupInfo:
    try:
        info = BackupInfo(
            id=str(entry["id"]),
            path=path,
            created=_parse_iso(str(entry["created"])),
            size=size,
            verified=bool(entry.get("verified")),
            counts={str(k): int(v) for k, v in dict(entry.get("counts") or {}).items()},
            reason=str(entry.get("reason") or ""),
            key_id=str(entry.get("key_id") or ""),
            error=entry.get("error") or None,
            checked=_parse_iso(entry["checked"]) if entry.get("checked") else None,
        )
    except (KeyError, TypeError, ValueError):
        return _from_file(path, size)
    if info.verified and size != int(entry.get("size", size)):
        # The file changed after it was checked: it must be checked again.
        return dataclasses.replace(info, verified=False, error=None)
    return info


def _from_file(path: Path, size: int) -> BackupInfo:
    """A backup the index does not know: what its name and header tell."""
    stem = path.name.removeprefix(FILE_PREFIX).removesuffix(BACKUP_SUFFIX)
    try:
        header = read_header(path)
    except BackupError as err:
        return BackupInfo(
            id=stem,
            path=path,
            created=_created_from_name(stem, path),
            size=size,
            verified=False,
            error=err.message,
        )
    return BackupInfo(
        id=stem, path=path, created=header.created, size=size, verified=False, key_id=header.key_id
    )


def _created_from_name(stem: str, path: Path) -> datetime:
    try:
        return datetime.strptime(stem, ID_FORMAT).replace(tzinfo=UTC)
    except ValueError:
        return datetime.fromtimestamp(_mtime(path), UTC)


def _mtime(path: Path) -> float:
    try:
        return path.stat().st_mtime
    except OSError:
        return 0.0
