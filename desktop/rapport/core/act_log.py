"""Reading the generosity log: filtered pages of acts, newest first, with their people.

Pages are keyset-paginated on (date, id) so the first rows come back in milliseconds at
a million acts, and each further page costs the same as the first.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from rapport.core.acts import DIRECTIONS, KINDS
from rapport.core.errors import BadInput
from rapport.store.models import db_proxy

PAGE = 200


@dataclass(frozen=True)
class ActFilter:
    """Which acts to show; an empty field does not filter."""

    person_id: int | None = None
    kinds: tuple[str, ...] = ()
    direction: str | None = None
    since: date | None = None
    until: date | None = None
    text: str = ""

    def __post_init__(self) -> None:
        unknown = [k for k in self.kinds if k not in KINDS]
        if unknown:
            raise BadInput(f"unknown kind {unknown[0]!r}; use one of: {', '.join(KINDS)}")
        if self.direction is not None and self.direction not in DIRECTIONS:
            raise BadInput(f"direction is given or received, not {self.direction!r}")


@dataclass(frozen=True)
class ActRow:
    id: int
    date: date
    kind: str
    direction: str
    url: str
    note: str
    people: tuple[tuple[int, str], ...]  # (id, name) in the order they were logged
    meeting_id: int | None = None

    @property
    def names(self) -> list[str]:
        return [name for _pid, name in self.people]

    def as_dict(self) -> dict[str, Any]:
        """The ``rapport log --json`` shape."""
        return {
            "id": self.id,
            "date": self.date.isoformat(),
            "kind": self.kind,
            "direction": self.direction,
            "people": self.names,
            "url": self.url,
            "note": self.note,
        }


def _like(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _where(flt: ActFilter) -> tuple[str, str, list[Any]]:
    """(FROM clause, WHERE clause, parameters) for ``flt``; ``a`` is the act table."""
    params: list[Any] = []
    clauses: list[str] = []
    if flt.person_id is not None:
        # Drive from the person's index entries: a person has a handful of acts, not a million.
        source = "act_person ap JOIN act a ON a.id = ap.act_id"
        clauses.append("ap.person_id = ?")
        params.append(flt.person_id)
    else:
        source = "act a"
    if flt.kinds:
        clauses.append(f"a.kind IN ({','.join('?' * len(flt.kinds))})")
        params.extend(flt.kinds)
    if flt.direction is not None:
        clauses.append("a.direction = ?")
        params.append(flt.direction)
    if flt.since is not None:
        clauses.append("a.date >= ?")
        params.append(flt.since.isoformat())
    if flt.until is not None:
        clauses.append("a.date <= ?")
        params.append(flt.until.isoformat())
    text = flt.text.strip()
    if text:
        like = _like(text)
        clauses.append(
            "(a.note LIKE ? ESCAPE '\\' OR a.url LIKE ? ESCAPE '\\' OR a.id IN ("
            "SELECT t.act_id FROM act_person t JOIN person tp ON tp.id = t.person_id "
            "WHERE tp.name LIKE ? ESCAPE '\\'))"
        )
        params.extend([like, like, like])
    where = " AND ".join(clauses) if clauses else "1"
    return source, where, params


def act_page(
    flt: ActFilter = ActFilter(), *, after: tuple[date, int] | None = None, limit: int = PAGE
) -> list[ActRow]:
    """Up to ``limit`` acts matching ``flt``, newest first, strictly after the (date, id) key."""
    if flt.person_id is None and len(flt.kinds) > 1:
        # Each kind is one ordered range of the (kind, date) index; SQLite cannot merge
        # several ranges in order, so it would sort every match. Merge the pages here.
        rows: list[Any] = []
        for kind in flt.kinds:
            rows += _page_rows(replace(flt, kinds=(kind,)), after, limit)
        rows.sort(key=lambda r: (str(r[1]), int(r[0])), reverse=True)
        return _with_people(rows[:limit])
    return _with_people(_page_rows(flt, after, limit))


def _page_rows(flt: ActFilter, after: tuple[date, int] | None, limit: int) -> list[Any]:
    source, where, params = _where(flt)
    if after is not None:
        where += " AND (a.date < ? OR (a.date = ? AND a.id < ?))"
        params.extend([after[0].isoformat(), after[0].isoformat(), after[1]])
    sql = (
        "SELECT a.id, a.date, a.kind, a.direction, a.url, a.note, a.meeting_id "
        f"FROM {source} WHERE {where} ORDER BY a.date DESC, a.id DESC LIMIT ?"
    )
    return list(db_proxy.execute_sql(sql, [*params, int(limit)]).fetchall())


def count_acts(flt: ActFilter = ActFilter()) -> int:
    source, where, params = _where(flt)
    row = db_proxy.execute_sql(f"SELECT count(*) FROM {source} WHERE {where}", params).fetchone()
    return int(row[0])


def iter_acts(flt: ActFilter = ActFilter(), *, limit: int | None = None) -> Iterator[ActRow]:
    """Every act matching ``flt`` (or the first ``limit``), newest first, a page at a time."""
    after: tuple[date, int] | None = None
    left = limit
    while left is None or left > 0:
        size = PAGE if left is None else min(PAGE, left)
        page = act_page(flt, after=after, limit=size)
        yield from page
        if len(page) < size:
            return
        if left is not None:
            left -= len(page)
        after = (page[-1].date, page[-1].id)


def acts_by_id(act_ids: Sequence[int]) -> list[ActRow]:
    """These acts (those that exist), newest first."""
    if not act_ids:
        return []
    marks = ",".join("?" * len(act_ids))
    rows = db_proxy.execute_sql(
        "SELECT a.id, a.date, a.kind, a.direction, a.url, a.note, a.meeting_id FROM act a "
        f"WHERE a.id IN ({marks}) ORDER BY a.date DESC, a.id DESC",
        list(act_ids),
    ).fetchall()
    return _with_people(rows)


def _with_people(rows: Sequence[Sequence[Any]]) -> list[ActRow]:
    people: dict[int, list[tuple[int, str]]] = defaultdict(list)
    ids = [int(r[0]) for r in rows]
    for i in range(0, len(ids), 500):
        chunk = ids[i : i + 500]
        marks = ",".join("?" * len(chunk))
        for act_id, pid, name in db_proxy.execute_sql(
            "SELECT ap.act_id, p.id, p.name FROM act_person ap JOIN person p ON p.id = ap.person_id"
            f" WHERE ap.act_id IN ({marks}) ORDER BY ap.id",
            chunk,
        ).fetchall():
            people[int(act_id)].append((int(pid), str(name)))
    return [
        ActRow(
            id=int(r[0]),
            date=_as_date(r[1]),
            kind=str(r[2]),
            direction=str(r[3]),
            url=str(r[4]),
            note=str(r[5]),
            people=tuple(people.get(int(r[0]), ())),
            meeting_id=None if r[6] is None else int(r[6]),
        )
        for r in rows
    ]


def _as_date(value: Any) -> date:
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])
