"""The backups of one journal as the window and the command line both use them.

``BackupService`` joins the journal to the store's ``BackupManager``: which folder and which
retention (the ``backup.*`` settings), which key (``BackupKeys``: the keyring, or a passphrase
from the window or ``RAPPORT_BACKUP_PASSPHRASE``), and the rules around a backup: the journal
is checked first and a journal that fails its check is never backed up (its backup could
count as good and thin good ones away); a risky operation is preceded by a backup; a
restore refuses while anything else has the journal open. Neither the CLI nor the window
derives any of this on its own.
"""

from __future__ import annotations

import builtins
import contextlib
import json
import os
import sqlite3
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta, tzinfo
from pathlib import Path
from typing import Any, Literal, TypeVar

from rapport.core.errors import BadInput, Cancelled, NotFound, RapportError
from rapport.core.progress import Progress
from rapport.store import settings
from rapport.store.backup_format import BackupError, KeyMismatch
from rapport.store.backups import BackupInfo, BackupManager, CheckResult, Retention
from rapport.store.change_token import ChangeToken, change_token, changed_since, should_back_up
from rapport.store.journal import Journal
from rapport.store.models import Setting, db_proxy
from rapport.store.safe_files import unlink_quietly, write_bytes_atomically
from rapport.store.secrets import PASSPHRASE_ENV, BackupKeys, KeyState
from rapport.store.sqlite_copy import (
    foreign_key_problems,
    integrity,
    open_for_reading,
    user_tables,
)

T = TypeVar("T")

DEFAULT_FOLDER = "backups"
STATE_SUFFIX = ".backup-state.json"
CHECK_INTERRUPT_STEPS = 20_000  # SQLite VM steps between looks at the Cancel button

# Reasons, as the Backups window lists them.
MANUAL = "manual"
AUTOMATIC = "automatic"
ON_CLOSE = "on close"
BEFORE_IMPORT = "before import"
BEFORE_MERGE = "before merging people"


class BackupFailed(RapportError):
    """No backup could be made (or restored) for a reason that is not the backup file's."""


class BadBackup(BadInput):
    """A backup file that is damaged, tampered with, truncated, or not a backup."""


class NeedsKey(BadInput):
    """The backup needs a passphrase or a recovery key this session does not have."""

    def __init__(self, message: str, needs: Literal["recovery_key", "passphrase"]) -> None:
        super().__init__(message)
        self.needs = needs


class JournalCheckFailed(BackupFailed):
    """The journal failed ``quick_check`` or ``foreign_key_check``: it is not backed up."""

    def __init__(self, result: CheckResult) -> None:
        self.result = result
        super().__init__(
            f"the journal failed its check ({describe_check(result)}): no backup was made, "
            "and your earlier backups are kept; restore a good one from Backups"
        )


# --- configuration ------------------------------------------------------------------------


@dataclass(frozen=True)
class BackupConfig:
    """The ``backup.*`` settings, resolved: an absolute folder, counts, an interval."""

    folder: Path
    retention: Retention
    interval: timedelta


def default_folder(journal_path: Path) -> Path:
    return Path(journal_path).parent / DEFAULT_FOLDER


def read_config(journal_path: Path) -> BackupConfig:
    """The backup settings stored in the journal at ``journal_path``, defaults where unset.

    Read through a short-lived plain connection rather than the models: a restore needs them
    while the journal is closed everywhere, and the start-up check while it may be damaged
    (then every value is its default).
    """
    stored: dict[str, Any] = {}
    table = Setting._meta.table_name
    with contextlib.suppress(sqlite3.DatabaseError, OSError):
        with contextlib.closing(open_for_reading(Path(journal_path))) as conn:
            rows = conn.execute(
                f'SELECT key, value FROM "{table}" WHERE key LIKE ?', ("backup.%",)
            ).fetchall()
        for key, value in rows:
            with contextlib.suppress(ValueError, TypeError):
                stored[str(key)] = json.loads(value)

    def number(key: str, least: int) -> int:
        default = int(settings.definition(key).default)
        value = stored.get(key, default)
        if isinstance(value, bool) or not isinstance(value, int) or value < least:
            return default
        return value

    folder_text = stored.get("backup.folder", "")
    folder = default_folder(journal_path)
    if isinstance(folder_text, str) and folder_text.strip():
        chosen = Path(folder_text.strip()).expanduser()
        folder = chosen if chosen.is_absolute() else Path(journal_path).parent / chosen
    return BackupConfig(
        folder=folder,
        retention=Retention(
            number("backup.daily", 0), number("backup.weekly", 0), number("backup.monthly", 0)
        ),
        interval=timedelta(minutes=number("backup.interval_minutes", 1)),
    )


# --- words for what a backup holds ---------------------------------------------------------

_COUNT_WORDS = (
    ("person", "person", "people"),
    ("act", "act", "acts"),
    ("meeting", "meeting", "meetings"),
    ("goal", "goal", "goals"),
    ("circle", "circle", "circles"),
    ("trip", "trip", "trips"),
    ("event", "calendar event", "calendar events"),
)


def describe_counts(counts: dict[str, int]) -> str:
    """What a backup holds, as "120 people, 45 acts, 3 goals": people always, the other
    tables a person recognises when they have rows."""
    parts = []
    for table, one, many in _COUNT_WORDS:
        n = counts.get(table, 0)
        if n or (table == "person" and table in counts):
            parts.append(f"{n:,} {one if n == 1 else many}")
    return ", ".join(parts)


def human_size(size: int) -> str:
    value = float(size)
    for unit in ("bytes", "KB", "MB", "GB"):
        if value < 1000 or unit == "GB":
            return f"{int(value)} {unit}" if unit == "bytes" else f"{value:.1f} {unit}"
        value /= 1000
    return f"{size} bytes"


# --- checks -------------------------------------------------------------------------------


def describe_check(result: CheckResult) -> str:
    """One line for a failed check: the first integrity problem, or how many broken links."""
    parts = []
    if result.integrity != "ok":
        first = result.integrity.splitlines()[0] if result.integrity else "unknown problem"
        parts.append(f"integrity: {first}")
    if result.foreign_keys:
        count = len(result.foreign_keys)
        tables = sorted({str(p["table"]) for p in result.foreign_keys})
        parts.append(
            f"{count} row{'s' if count != 1 else ''} pointing at missing rows ({', '.join(tables)})"
        )
    return "; ".join(parts) or "ok"


def check_file(path: Path, progress: Progress | None = None) -> CheckResult:
    """The "Check journal" command: ``quick_check`` and ``foreign_key_check`` of ``path``.

    Uses its own connection, so it runs on any thread; Cancel interrupts it.
    """
    try:
        conn = open_for_reading(Path(path))
    except FileNotFoundError:
        return CheckResult(f"{path}: there is no journal file", [])
    except sqlite3.DatabaseError as err:
        return CheckResult(str(err), [])
    with contextlib.closing(conn):
        if progress is not None:
            conn.set_progress_handler(lambda: 1 if progress.cancelled else 0, CHECK_INTERRUPT_STEPS)
        found = integrity(conn, quick=True)
        if progress is not None and progress.cancelled:
            raise Cancelled()
        try:
            problems = foreign_key_problems(conn)
        except sqlite3.DatabaseError as err:
            if progress is not None and progress.cancelled:
                raise Cancelled() from err
            return CheckResult(found if found != "ok" else str(err), [])
    return CheckResult(found, problems)


def journal_in_use(path: Path) -> bool:
    """Whether any other connection has the journal at ``path`` open, even an idle one.

    An idle connection holds no lock, so we ask the way SQLite itself knows: the last
    connection to close a WAL database deletes its -wal and -shm files; if they survive our
    own open and close, someone else still has it open.
    """
    path = Path(path)
    if not path.exists():
        return False
    try:
        conn = sqlite3.connect(path, isolation_level=None, timeout=0)
        try:
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
            mode = str(conn.execute("PRAGMA journal_mode").fetchone()[0]).lower()
            busy = conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()[0]
        finally:
            conn.close()
    except sqlite3.OperationalError as err:
        return "locked" in str(err) or "busy" in str(err)
    except sqlite3.DatabaseError:
        return False  # damaged: nothing can have it usefully open; restore handles it
    if busy:
        return True
    sides = [path.with_name(path.name + s) for s in ("-wal", "-shm")]
    return mode == "wal" and any(s.exists() for s in sides)


# --- progress -----------------------------------------------------------------------------


class _Phases:
    """Adapts the store's ``progress(done, total)`` to a core ``Progress`` with a label.

    It also remembers how far the work got (a restore's first half is reading the backup),
    and never relays the final 100 % call: the store makes it after the point of no return,
    where a Cancel must not turn a finished restore into an error.
    """

    def __init__(self, progress: Progress | None, label: str) -> None:
        self.progress = progress
        self.label = label
        self.fraction = 0.0

    def __call__(self, done: int, total: int) -> None:
        if total > 0:
            self.fraction = max(self.fraction, done / total)
        if self.progress is not None and done < total:
            self.progress.update(done, total, self.label)


# --- the service --------------------------------------------------------------------------


@dataclass(frozen=True)
class Attempt:
    """The outcome of the latest backup attempt of this session (or one remembered)."""

    when: datetime
    reason: str
    error: str | None = None
    backup: BackupInfo | None = None
    needs: Literal["recovery_key", "passphrase"] | None = None  # what the user could give

    @property
    def failed(self) -> bool:
        return self.error is not None


Listener = Callable[[Attempt], None]


@dataclass
class _Watch:
    """A private read-only connection whose ``data_version`` shows other connections' commits."""

    conn: sqlite3.Connection | None = None
    lock: threading.Lock = field(default_factory=threading.Lock)


class BackupService:
    """The backups of the journal at ``journal_path``, configured from its settings."""

    def __init__(
        self,
        journal_path: Path,
        keys: BackupKeys | None = None,
        *,
        clock: Callable[[], datetime] | None = None,
        tz: tzinfo | None = None,
    ) -> None:
        self.journal_path = Path(journal_path)
        self.keys = keys if keys is not None else BackupKeys()
        self.clock: Callable[[], datetime] = clock or (lambda: datetime.now(UTC))
        self._tz = tz
        self._listeners: list[Listener] = []
        self._last: Attempt | None = self._remembered_failure()
        self._watch = _Watch()
        self._passphrase_given = False

    # -- configuration --

    def config(self) -> BackupConfig:
        return read_config(self.journal_path)

    def manager(self, config: BackupConfig | None = None) -> BackupManager:
        config = config or self.config()
        return BackupManager(
            self.journal_path,
            config.folder,
            self.keys,
            config.retention,
            clock=self.clock,
            tz=self._tz,
        )

    @property
    def folder(self) -> Path:
        return self.config().folder

    # -- keys --

    def key_state(self) -> KeyState:
        return self.keys.state()

    def set_passphrase(self, passphrase: str) -> None:
        """Use ``passphrase`` for this session's backups (kept in memory only)."""
        try:
            self.keys.set_passphrase(passphrase)
        except BackupError as err:
            raise BadInput(err.message) from None
        self._passphrase_given = True

    def key_available_without_asking(self) -> bool:
        """A key is at hand without a prompt: the keyring, or a passphrase already given."""
        state = self.keys.state()
        if state.mode == "keyring":
            return True
        return self._passphrase_given or bool(os.environ.get(PASSPHRASE_ENV))

    # -- listing --

    def list(self) -> list[BackupInfo]:
        return self.manager().list()

    def latest(self) -> BackupInfo | None:
        infos = self.list()
        return infos[0] if infos else None

    def latest_good(self) -> BackupInfo | None:
        return self.manager().latest_good()

    def get(self, id_or_path: str | Path) -> BackupInfo:
        try:
            return self.manager().get(id_or_path)
        except BackupError as err:
            raise NotFound(err.message) from None

    # -- checking --

    def check(self, progress: Progress | None = None) -> CheckResult:
        return check_file(self.journal_path, progress)

    # -- backing up --

    @property
    def last_attempt(self) -> Attempt | None:
        return self._last

    def subscribe(self, listener: Listener) -> None:
        """Call ``listener(attempt)`` after every backup attempt, on the thread that made it."""
        self._listeners.append(listener)

    def unsubscribe(self, listener: Listener) -> None:
        with contextlib.suppress(ValueError):
            self._listeners.remove(listener)

    def back_up(self, reason: str, progress: Progress | None = None) -> BackupInfo:
        """Check the journal, back it up, verify the backup, thin old ones.

        Raises ``JournalCheckFailed`` (nothing written, nothing thinned) if the journal
        fails its check, ``NeedsKey`` without a key, ``BackupFailed`` otherwise.
        """
        when = self.clock()
        try:
            self._encryption_key()
            result = self.check(progress)
            if not result.ok:
                raise JournalCheckFailed(result)
            info = self.manager().backup_now(reason, _Phases(progress, "Backing up the journal…"))
        except Cancelled:
            raise
        except NeedsKey as err:
            self._attempted(Attempt(when, reason, str(err), needs=err.needs))
            raise
        except BackupError as err:
            self._attempted(Attempt(when, reason, err.message))
            raise BackupFailed(err.message) from None
        except RapportError as err:
            self._attempted(Attempt(when, reason, str(err)))
            raise
        self._attempted(Attempt(when, reason, None, info))
        return info

    def _encryption_key(self) -> None:
        """Fetch (or make) the key first: without one, the user has something to give."""
        try:
            self.keys.encryption_key()
        except BackupError as err:
            if self.keys.mode == "passphrase":
                raise NeedsKey(err.message, "passphrase") from None
            raise BackupFailed(err.message) from None

    def backup_before(self, reason: str, progress: Progress | None = None) -> Attempt:
        """The backup before a risky operation: never stops the operation, says what happened.

        Call it before the operation's transaction opens (it reads the journal through its
        own connection). A failure is recorded (the window's status line shows it) and
        returned; only Cancel propagates, cancelling the operation too.
        """
        try:
            info = self.back_up(reason, progress)
        except Cancelled:
            raise
        except RapportError as err:
            return self._last or Attempt(self.clock(), reason, str(err))
        return Attempt(self.clock(), reason, None, info)

    def _attempted(self, attempt: Attempt) -> None:
        self._last = attempt
        self._remember_failure(attempt)
        for listener in list(self._listeners):
            listener(attempt)

    # -- verifying --

    def verify(
        self, id_or_path: str | Path | None = None, progress: Progress | None = None
    ) -> builtins.list[BackupInfo]:
        """Check one backup (raising ``BadBackup`` if it is bad) or all (never raising)."""
        manager = self.manager()
        phases = _Phases(progress, "Verifying backups…")
        if id_or_path is None:
            return manager.verify_all(phases)
        info = self.get(id_or_path)
        try:
            return [manager.verify(info.path, phases)]
        except KeyMismatch as err:
            raise NeedsKey(err.message, err.needs) from None
        except BackupError as err:
            raise BadBackup(err.message) from None

    # -- restoring --

    def restore(self, id_or_path: str | Path, progress: Progress | None = None) -> BackupInfo:
        """Replace the journal with a backup, after a safety backup of the current one.

        Every connection to the journal must be closed (the window closes its own; this
        service's watch connection is closed here). The caller reopens the journal with
        ``open_journal`` afterwards, which migrates an older schema.
        """
        manager = self.manager()
        info = self.get(id_or_path)
        self.close()
        if journal_in_use(self.journal_path):
            raise BackupFailed(
                "the journal is still open (another Rapport window or command?); "
                "close it and try again"
            )
        phases = _Phases(progress, "Restoring the backup…")
        try:
            restored = manager.restore(info.path, phases)
        except KeyMismatch as err:
            raise NeedsKey(err.message, err.needs) from None
        except BackupError as err:
            # The first half of a restore reads and checks the backup: failing there is the
            # file's fault; later (the safety backup, the swap) it is ours.
            if phases.fraction < 0.5:
                raise BadBackup(err.message) from None
            raise BackupFailed(err.message) from None
        self._forget_journal_mark()
        return restored

    # -- "has anything changed since the last backup" (the window's timer) --

    def _watch_conn(self) -> sqlite3.Connection:
        if self._watch.conn is None:
            self._watch.conn = open_for_reading(self.journal_path)
        return self._watch.conn

    def change_token(self) -> ChangeToken:
        with self._watch.lock:
            return change_token(self._watch_conn())

    def changed_since(self, token: ChangeToken | None) -> bool:
        with self._watch.lock:
            return changed_since(self._watch_conn(), token)

    def due(self, token: ChangeToken | None, now: datetime) -> bool:
        """The timer's question: something changed since ``token`` and the interval passed
        since the last attempt (a failing one is not retried every minute either)."""
        config = self.config()
        times = [i.created for i in self.list()[:1]]
        if self._last is not None:
            times.append(self._last.when)
        last = max(times) if times else None
        with self._watch.lock:
            return should_back_up(self._watch_conn(), token, last, now, config.interval)

    def close(self) -> None:
        """Close the watch connection (before a restore, and when the window closes)."""
        with self._watch.lock:
            if self._watch.conn is not None:
                self._watch.conn.close()
                self._watch.conn = None

    # -- what the previous session left: a clean close, a failed backup --

    @property
    def state_path(self) -> Path:
        return self.journal_path.with_name(self.journal_path.name + STATE_SUFFIX)

    def _read_state(self) -> dict[str, Any]:
        try:
            data = json.loads(self.state_path.read_text("utf-8"))
        except (OSError, ValueError):
            return {}
        return data if isinstance(data, dict) else {}

    def _write_state(self, data: dict[str, Any]) -> None:
        with contextlib.suppress(OSError):
            payload = json.dumps({"format": 1, **data}, ensure_ascii=False).encode("utf-8")
            write_bytes_atomically(self.state_path, payload + b"\n")

    def _journal_stat(self) -> dict[str, int] | None:
        try:
            st = self.journal_path.stat()
        except OSError:
            return None
        return {"size": st.st_size, "mtime_ns": st.st_mtime_ns}

    def _wal_is_empty(self) -> bool:
        wal = self.journal_path.with_name(self.journal_path.name + "-wal")
        try:
            return wal.stat().st_size == 0
        except FileNotFoundError:
            return True

    def remember_clean_close(self) -> None:
        """Note that the closed journal, as it is on disk now, is in the latest backup."""
        state = self._read_state()
        if self._wal_is_empty():
            state["journal"] = self._journal_stat()
        else:
            state.pop("journal", None)
        self._write_state(state)

    def _forget_journal_mark(self) -> None:
        state = self._read_state()
        if state.pop("journal", None) is not None:
            self._write_state(state)

    def unchanged_since_last_backup(self) -> bool:
        """At start: the journal is byte for byte what the last session left backed up, or
        holds nothing worth backing up. Then the first close need not back it up again."""
        mark = self._read_state().get("journal")
        if mark is not None and mark == self._journal_stat() and self._wal_is_empty():
            return True
        return journal_is_empty(self.journal_path)

    def _remember_failure(self, attempt: Attempt) -> None:
        state = self._read_state()
        if attempt.failed:
            state["failure"] = {
                "when": attempt.when.astimezone(UTC).isoformat(),
                "reason": attempt.reason,
                "error": attempt.error,
            }
        elif "failure" not in state:
            return
        else:
            state.pop("failure", None)
        self._write_state(state)

    def _remembered_failure(self) -> Attempt | None:
        failure = self._read_state().get("failure")
        if not isinstance(failure, dict):
            return None
        try:
            when = datetime.fromisoformat(str(failure["when"]))
            return Attempt(when, str(failure.get("reason", "")), str(failure["error"]))
        except (KeyError, ValueError, TypeError):
            return None

    # -- migrations --

    def secure_pre_migration_copy(self, journal: Journal) -> str | None:
        """Turn the plain copy a migration left into an encrypted, verified backup.

        Only when a key is at hand without asking (a migration happens while opening, where
        no one can be asked): then the plain copy is deleted. Otherwise it stays, readable
        by its owner only, and the returned sentence says where. None if there was no copy.
        """
        copy = journal.pre_migration_copy
        if copy is None or not copy.exists():
            return None
        version = journal.migrated_from
        if not self.key_available_without_asking():
            return (
                f"the journal was upgraded; its copy from before the upgrade is kept "
                f"unencrypted (readable by you only) at {copy}, because no backup key was "
                f"available without asking: set a passphrase ({PASSPHRASE_ENV}) to encrypt it"
            )
        config = self.config()
        manager = BackupManager(
            copy,
            config.folder,
            self.keys,
            config.retention,
            clock=self.clock,
            tz=self._tz,
        )
        try:
            manager.backup_now(f"before upgrading from schema {version}")
        except BackupError as err:
            return (
                f"the journal was upgraded; its copy from before the upgrade could not be "
                f"encrypted ({err.message}) and is kept, readable by you only, at {copy}"
            )
        unlink_quietly(copy)
        with contextlib.suppress(OSError):
            copy.parent.rmdir()  # only if now empty
        journal.pre_migration_copy = None
        return None


def journal_is_empty(path: Path) -> bool:
    """No row in any table: a journal just created has nothing a backup could save."""
    try:
        with contextlib.closing(open_for_reading(Path(path))) as conn:
            for table in user_tables(conn):
                quoted = '"' + table.replace('"', '""') + '"'
                if conn.execute(f"SELECT 1 FROM {quoted} LIMIT 1").fetchone():
                    return False
    except (sqlite3.DatabaseError, OSError):
        return False
    return True


# --- one service per journal per process (the window's passphrase lives in it) -------------

_services: dict[Path, BackupService] = {}
_services_lock = threading.Lock()


def service_for(journal_path: Path) -> BackupService:
    """The service of ``journal_path`` in this process, made on first use.

    The window and the risky operations it runs share it, so a passphrase entered in the
    Backups window serves the backup before an import too.
    """
    key = Path(journal_path).resolve()
    with _services_lock:
        service = _services.get(key)
        if service is None:
            service = BackupService(key)
            _services[key] = service
        return service


def forget_service(journal_path: Path) -> None:
    """Drop the shared service of ``journal_path`` (its window closed)."""
    with _services_lock:
        service = _services.pop(Path(journal_path).resolve(), None)
    if service is not None:
        service.close()


def bound_journal_path() -> Path:
    """The file of the journal the models are bound to (``open_journal`` binds it)."""
    return Path(db_proxy.obj.database)


def backup_before(reason: str, progress: Progress | None = None) -> Attempt:
    """Back up the bound journal before a risky operation (import, merge, calendar import).

    Call it where the operation starts, before its transaction; see
    ``BackupService.backup_before``.
    """
    return service_for(bound_journal_path()).backup_before(reason, progress)


def after_backup(reason: str, op: Callable[[Progress], T]) -> Callable[[Progress], T]:
    """``op`` preceded by ``backup_before(reason)``: wrap a risky change with one call."""

    def guarded(progress: Progress) -> T:
        backup_before(reason, progress)
        return op(progress)

    return guarded


def secure_after_open(journal: Journal) -> str | None:
    """After ``open_journal`` migrated: encrypt the pre-migration copy if a key is at hand
    (see ``BackupService.secure_pre_migration_copy``); the sentence to show, or None."""
    if journal.pre_migration_copy is None:
        return None
    return service_for(journal.path).secure_pre_migration_copy(journal)
