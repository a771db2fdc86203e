"""Undo and redo for any core operation, recorded by SQLite itself.

Temporary triggers on the journal's tables write, for every row an operation inserts,
updates or deletes, the SQL that puts it back (the classic SQLite undo log). Undoing a
step runs those statements newest first in one transaction, and records *their*
inverse as a new step: redo is simply the undo of an undo. Cascaded deletes fire the
triggers too, so deleting or merging a person comes back whole.

The triggers live on one connection: the one that performs writes (the UI's single
writer thread). The command line does not record.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import peewee as pw

from rapport.core.changes import Changes

# Imported calendar data and the gazetteer cache are rebuilt, not undone.
TRACKED_TABLES = (
    "person",
    "email",
    "phone",
    "link",
    "address",
    "circle",
    "person_circle",
    "goal",
    "goal_person",
    "slot",
    "act",
    "act_person",
    "meeting",
    "meeting_person",
    "flag",
    "event_person",
    "trip",
)
MAX_STEPS = 100
BATCH = 500  # rowids per folded DELETE, under SQLite's variable limit

_AREA = {
    "circle": "circles",
    "person_circle": "circles",
    "goal": "goals",
    "goal_person": "goals",
    "slot": "goals",
    "act": "acts",
    "act_person": "acts",
    "meeting": "meetings",
    "meeting_person": "meetings",
    "flag": "trips",
    "trip": "trips",
    "event_person": "calendar",
}


def _columns(db: pw.SqliteDatabase, table: str) -> list[str]:
    return [row[1] for row in db.execute_sql(f'PRAGMA main.table_info("{table}")').fetchall()]


class UndoLog:
    """Records steps on the current connection of ``db``; ``undo(step)`` reverts one."""

    def __init__(self, db: pw.SqliteDatabase) -> None:
        self.db = db
        self._next = 1
        self._install()

    def _install(self) -> None:
        ex = self.db.execute_sql
        ex(
            "CREATE TEMP TABLE IF NOT EXISTS undo_log("
            "seq INTEGER PRIMARY KEY, step INTEGER, tbl TEXT, rid INTEGER, pid INTEGER, sql TEXT)"
        )
        ex("CREATE INDEX IF NOT EXISTS temp.undo_log_step ON undo_log(step)")
        ex("CREATE TEMP TABLE IF NOT EXISTS undo_state(step INTEGER)")
        ex("DELETE FROM temp.undo_state")
        ex("INSERT INTO temp.undo_state VALUES (NULL)")
        ex("DELETE FROM temp.undo_log")
        for table in TRACKED_TABLES:
            cols = _columns(self.db, table)
            if not cols:
                continue
            self._triggers(table, cols)

    def _triggers(self, table: str, cols: list[str]) -> None:
        ex = self.db.execute_sql
        when = "WHEN (SELECT step FROM undo_state) IS NOT NULL"
        step = "(SELECT step FROM undo_state)"

        def pid(row: str) -> str:
            if table == "person":
                return f"{row}.id"
            return f"{row}.person_id" if "person_id" in cols else "NULL"

        names = ",".join(f'"{c}"' for c in cols)
        values = "||','||".join(f'quote(old."{c}")' for c in cols)
        sets = "||','||".join(f'\'"{c}"=\'||quote(old."{c}")' for c in cols)
        for name in ("ins", "upd", "del"):
            ex(f'DROP TRIGGER IF EXISTS temp."undo_{table}_{name}"')
        ex(
            f'CREATE TEMP TRIGGER "undo_{table}_ins" AFTER INSERT ON main."{table}" {when} BEGIN '
            f"INSERT INTO undo_log(step,tbl,rid,pid,sql) VALUES({step},'{table}',"
            f"new.rowid,{pid('new')},'DELETE FROM \"{table}\" WHERE rowid='||new.rowid); END"
        )
        ex(
            f'CREATE TEMP TRIGGER "undo_{table}_upd" AFTER UPDATE ON main."{table}" {when} BEGIN '
            f"INSERT INTO undo_log(step,tbl,rid,pid,sql) VALUES({step},'{table}',"
            f"old.rowid,{pid('old')},'UPDATE \"{table}\" SET '||{sets}||"
            f"' WHERE rowid='||old.rowid); END"
        )
        ex(
            f'CREATE TEMP TRIGGER "undo_{table}_del" BEFORE DELETE ON main."{table}" {when} BEGIN '
            f"INSERT INTO undo_log(step,tbl,rid,pid,sql) VALUES({step},'{table}',"
            f'old.rowid,{pid("old")},\'INSERT INTO "{table}"(rowid,{names})'
            f" VALUES('||old.rowid||','||{values}||')'); END"
        )

    def _set_step(self, step: int | None) -> None:
        self.db.execute_sql("UPDATE temp.undo_state SET step = ?", (step,))

    @contextmanager
    def recording(self) -> Iterator[int]:
        """Record everything written inside the block as one step; yields the step id."""
        step = self._next
        self._next += 1
        self._set_step(step)
        try:
            yield step
        finally:
            self._set_step(None)
            self._prune()

    def has(self, step: int) -> bool:
        row = self.db.execute_sql(
            "SELECT 1 FROM temp.undo_log WHERE step = ? LIMIT 1", (step,)
        ).fetchone()
        return row is not None

    def changes_of(self, step: int) -> Changes:
        changes = Changes()
        rows = self.db.execute_sql(
            "SELECT DISTINCT tbl, pid FROM temp.undo_log WHERE step = ?", (step,)
        ).fetchall()
        for table, pid in rows:
            if pid is not None:
                changes.people.add(int(pid))
            area = _AREA.get(table)
            if area:
                setattr(changes, area, True)
        return changes

    def undo(self, step: int) -> tuple[int, Changes]:
        """Revert ``step``; returns the new step that would revert this undo, and what changed."""
        rows = self.db.execute_sql(
            "SELECT tbl, rid, sql FROM temp.undo_log WHERE step = ? ORDER BY seq DESC", (step,)
        ).fetchall()
        changes = self.changes_of(step)
        with self.recording() as inverse, self.db.atomic():
            # Rows come back parent-after-child in log order; check keys at commit instead.
            self.db.execute_sql("PRAGMA defer_foreign_keys = ON")
            for sql, params in _batched(rows):
                self.db.execute_sql(sql, params)
            self.db.execute_sql("DELETE FROM temp.undo_log WHERE step = ?", (step,))
        return inverse, changes | self.changes_of(inverse)

    def forget(self, step: int) -> None:
        self.db.execute_sql("DELETE FROM temp.undo_log WHERE step = ?", (step,))

    def clear(self) -> None:
        self.db.execute_sql("DELETE FROM temp.undo_log")

    def _prune(self) -> None:
        oldest = self._next - MAX_STEPS
        if oldest > 0:
            self.db.execute_sql("DELETE FROM temp.undo_log WHERE step < ?", (oldest,))


def _batched(rows: list[tuple[str, int, str]]) -> Iterator[tuple[str, tuple[int, ...]]]:
    """The log's statements in order, with runs of deletes from one table folded into one.

    Undoing a 20,000-person import is then a few hundred statements, not 100,000.
    """
    run_table: str | None = None
    run: list[int] = []

    def flush() -> Iterator[tuple[str, tuple[int, ...]]]:
        for i in range(0, len(run), BATCH):
            chunk = tuple(run[i : i + BATCH])
            marks = ",".join("?" * len(chunk))
            yield f'DELETE FROM "{run_table}" WHERE rowid IN ({marks})', chunk

    for table, rid, sql in rows:
        if sql.startswith("DELETE FROM "):
            if table != run_table:
                yield from flush()
                run_table, run = table, []
            run.append(rid)
            continue
        yield from flush()
        run_table, run = None, []
        yield sql, ()
    yield from flush()
