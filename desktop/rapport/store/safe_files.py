"""Private, crash-safe file writing: owner-only temp files, fsync, atomic rename, stale cleanup."""

from __future__ import annotations

import contextlib
import os
import re
import secrets
from collections.abc import Iterator
from pathlib import Path

PRIVATE_MODE = 0o600

# Temp names carry the writer's pid so a later run can tell a crashed writer's leftovers
# (pid gone) from a file another process is still writing.
_TEMP_RE = re.compile(r"^\.(?P<stem>.+)\.(?P<pid>\d+)\.[0-9a-f]{8}\.tmp$")


def temp_path_for(dest: Path, folder: Path | None = None) -> Path:
    """A fresh hidden temp name for ``dest``, in ``folder`` (default: dest's own folder)."""
    where = dest.parent if folder is None else folder
    return where / f".{dest.name}.{os.getpid()}.{secrets.token_hex(4)}.tmp"


def create_private(path: Path) -> int:
    """Create ``path`` (it must not exist) readable by the owner only; return a write fd."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o600)
    try:
        # umask can only remove bits, but a platform may ignore the mode: say it explicitly.
        if hasattr(os, "fchmod"):
            os.fchmod(fd, PRIVATE_MODE)
        else:
            os.chmod(path, PRIVATE_MODE)
    except BaseException:
        os.close(fd)
        raise
    return fd


def fsync_path(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_BINARY", 0))
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def fsync_dir(folder: Path) -> None:
    """Make a rename or unlink in ``folder`` durable (a no-op where folders cannot be opened)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def unlink_quietly(path: Path) -> None:
    with contextlib.suppress(FileNotFoundError):
        path.unlink()


def replace_durably(tmp: Path, dest: Path) -> None:
    """Atomically move a fully written, fsynced ``tmp`` over ``dest`` and persist the rename."""
    os.replace(tmp, dest)
    fsync_dir(dest.parent)


@contextlib.contextmanager
def private_temp(dest: Path, folder: Path | None = None) -> Iterator[Path]:
    """Yield a not-yet-created temp path for ``dest``; remove whatever is left there on exit."""
    tmp = temp_path_for(dest, folder)
    try:
        yield tmp
    finally:
        unlink_quietly(tmp)


def write_bytes_atomically(dest: Path, data: bytes) -> None:
    """Write a small file (an index, settings) so readers see the old or the new, never half."""
    with private_temp(dest) as tmp:
        fd = create_private(tmp)
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view) :]
            os.fsync(fd)
        finally:
            os.close(fd)
        replace_durably(tmp, dest)


def _pid_alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OSError):
        return True
    return True


def remove_stale_temps(folder: Path, stem_prefix: str) -> list[Path]:
    """Delete temp files for names starting with ``stem_prefix`` whose writer process is gone.

    A killed backup or restore can leave a plain copy of the journal behind; this is where it
    is cleaned up. Returns the paths removed.
    """
    removed: list[Path] = []
    try:
        entries = list(os.scandir(folder))
    except FileNotFoundError:
        return removed
    for entry in entries:
        m = _TEMP_RE.match(entry.name)
        # A temp of a temp (a copy made into a temp name) starts with more dots.
        if not m or not m["stem"].lstrip(".").startswith(stem_prefix):
            continue
        if _pid_alive(int(m["pid"])):
            continue
        path = Path(entry.path)
        unlink_quietly(path)
        removed.append(path)
    return removed
