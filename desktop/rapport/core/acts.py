"""The generosity log's writes: log, edit and delete acts and touchpoints, and their kinds.

An act is something given or received (a shared link, an introduction, a thank-you); a
touchpoint is an interaction (a coffee, a call). Both are rows of ``Act`` so that "last
contact" has one answer. Each ``ActPerson`` row repeats its act's date and ledger (given,
received, or "" for a touchpoint); every write here keeps them equal.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date

from rapport.core.changes import Changes
from rapport.core.errors import BadInput, NotFound
from rapport.core.names import fold
from rapport.core.people import find_person
from rapport.store.models import Act, ActPerson, db_proxy

GENEROSITY_KINDS = (
    "share",
    "amplify",
    "intro",
    "thanks",
    "gift",
    "recommend",
    "help",
    "invite",
    "other",
)
TOUCHPOINT_KINDS = ("coffee", "meal", "call", "message", "met")
KINDS = GENEROSITY_KINDS + TOUCHPOINT_KINDS
DIRECTIONS = ("given", "received")
MAX_URL = 2048

KIND_LABELS = {
    "share": "Share",
    "amplify": "Amplify",
    "intro": "Intro",
    "thanks": "Thanks",
    "gift": "Gift",
    "recommend": "Recommend",
    "help": "Help",
    "invite": "Invite",
    "other": "Other",
    "coffee": "Coffee",
    "meal": "Meal",
    "call": "Call",
    "message": "Message",
    "met": "Met",
}
KIND_HINTS = {
    "share": "a link they'll appreciate",
    "amplify": "retweet, boost, comment",
    "intro": "introduced two or more people",
    "thanks": "a note of appreciation",
    "gift": "a present, a book",
    "recommend": "endorsement, referral",
    "help": "a favour",
    "invite": "to an event, a dinner, a panel",
    "other": "any other kindness",
    "coffee": "had a coffee together",
    "meal": "lunch or dinner together",
    "call": "a phone or video call",
    "message": "an email or a message",
    "met": "met at an event",
}


def is_touchpoint(kind: str) -> bool:
    return kind in TOUCHPOINT_KINDS


def ledger_of(kind: str, direction: str) -> str:
    """What an act counts as in a person's balance: given, received, or "" (a touchpoint)."""
    return direction if kind in GENEROSITY_KINDS else ""


def check_kind(kind: str) -> str:
    value = kind.strip().lower()
    if value not in KINDS:
        raise BadInput(f"unknown kind {kind!r}; use one of: {', '.join(KINDS)}")
    return value


def check_direction(direction: str) -> str:
    value = direction.strip().lower()
    if value not in DIRECTIONS:
        raise BadInput(f"direction is given or received, not {direction!r}")
    return value


def _check_people(person_ids: Iterable[int], kind: str) -> list[int]:
    ids = list(dict.fromkeys(int(p) for p in person_ids))
    if not ids:
        raise BadInput("an act needs at least one person")
    if kind == "intro" and len(ids) < 2:
        raise BadInput("an introduction ties two or more people")
    found = {pid for chunk in _chunks(ids) for pid in _ids("SELECT id FROM person", "id", chunk)}
    missing = [i for i in ids if i not in found]
    if missing:
        raise NotFound(f"no person with id {missing[0]}")
    return ids


def _check_url(url: str) -> str:
    url = url.strip()
    if len(url) > MAX_URL:
        raise BadInput(f"a link longer than {MAX_URL} characters")
    if any(c.isspace() for c in url):
        raise BadInput(f"a link has no spaces: {url!r}")
    return url


def log_act(
    person_ids: Sequence[int],
    kind: str,
    *,
    on: date,
    direction: str = "given",
    url: str = "",
    note: str = "",
    meeting_id: int | None = None,
) -> tuple[int, Changes]:
    """Record an act (or touchpoint) with these people on ``on``; returns its id."""
    kind = check_kind(kind)
    direction = check_direction(direction)
    ids = _check_people(person_ids, kind)
    url = _check_url(url)
    with db_proxy.atomic():
        act = Act.create(
            date=on, kind=kind, direction=direction, url=url, note=note.strip(), meeting=meeting_id
        )
        _link(int(act.id), ids, on, ledger_of(kind, direction))
    return int(act.id), Changes(acts=True, people=set(ids))


def update_act(
    act_id: int,
    *,
    person_ids: Sequence[int] | None = None,
    kind: str | None = None,
    on: date | None = None,
    direction: str | None = None,
    url: str | None = None,
    note: str | None = None,
) -> Changes:
    """Change any of an act's fields; ``person_ids`` replaces its people."""
    act = get_act(act_id)
    before = _people_of(act_id)
    new_kind = check_kind(kind) if kind is not None else act.kind
    new_direction = check_direction(direction) if direction is not None else act.direction
    new_date = on if on is not None else act.date
    ids = _check_people(person_ids if person_ids is not None else before, new_kind)
    values: dict[str, object] = {"kind": new_kind, "direction": new_direction, "date": new_date}
    if url is not None:
        values["url"] = _check_url(url)
    if note is not None:
        values["note"] = note.strip()
    ledger = ledger_of(new_kind, new_direction)
    with db_proxy.atomic():
        Act.update(**values).where(Act.id == act_id).execute()
        gone = [p for p in before if p not in ids]
        if gone:
            ActPerson.delete().where(
                (ActPerson.act == act_id) & ActPerson.person.in_(gone)
            ).execute()
        ActPerson.update(date=new_date, ledger=ledger).where(ActPerson.act == act_id).execute()
        _link(act_id, [p for p in ids if p not in before], new_date, ledger)
    return Changes(acts=True, people=set(before) | set(ids))


def delete_acts(act_ids: Iterable[int]) -> Changes:
    ids = sorted(set(act_ids))
    if not ids:
        return Changes()
    touched: set[int] = set()
    with db_proxy.atomic():
        for chunk in _chunks(ids):
            touched |= set(_ids("SELECT person_id FROM act_person", "act_id", chunk))
            Act.delete().where(Act.id.in_(chunk)).execute()
    return Changes(acts=True, people=touched)


def get_act(act_id: int) -> Act:
    act = Act.get_or_none(Act.id == act_id)
    if act is None:
        raise NotFound(f"no act with id {act_id}")
    return act


def resolve_people(names: Sequence[str], *, loose: bool = False) -> list[int]:
    """The people named (exact name, ``#id`` or id), in order; NotFound or Ambiguous otherwise.

    ``loose`` (the window's quick log) also takes a name that only one person's starts with.
    """
    if not names:
        raise BadInput("name at least one person")
    out: list[int] = []
    for name in names:
        try:
            out.append(int(find_person(name).id))
        except NotFound:
            if not loose:
                raise
            found = complete_people(name, limit=2)
            if len(found) != 1:
                raise
            out.append(found[0][0])
    return list(dict.fromkeys(out))


def complete_people(text: str, *, limit: int = 10) -> list[tuple[int, str, str]]:
    """(id, name, organisation) of people whose name matches what is typed, for completion:
    names starting with it first, then a word starting with it, then accents ignored."""
    text = text.strip()
    if not text:
        return []
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    params = {
        "start": f"{escaped}%",
        "word": f"% {escaped}%",
        "folded": f"%{fold(text).replace('%', '').replace('_', '')}%",
        "limit": int(limit),
    }
    rows = db_proxy.execute_sql(
        "SELECT id, name, organization FROM person WHERE archived = 0 AND ("
        "name LIKE :start ESCAPE '\\' OR name LIKE :word ESCAPE '\\' OR name_key LIKE :folded)"
        " ORDER BY name LIKE :start ESCAPE '\\' DESC, name LIKE :word ESCAPE '\\' DESC, "
        "name COLLATE NOCASE, id LIMIT :limit",
        params,
    ).fetchall()
    return [(int(r[0]), str(r[1]), str(r[2])) for r in rows]


def _people_of(act_id: int) -> list[int]:
    return _ids("SELECT person_id FROM act_person", "act_id", [act_id], order="id")


def _ids(select: str, column: str, values: Sequence[int], order: str = "") -> list[int]:
    """The first column of ``select`` for rows whose ``column`` is one of ``values``."""
    marks = ",".join("?" * len(values))
    sql = f"{select} WHERE {column} IN ({marks})" + (f" ORDER BY {order}" if order else "")
    return [int(row[0]) for row in db_proxy.execute_sql(sql, list(values)).fetchall()]


def _link(act_id: int, person_ids: Sequence[int], on: date, ledger: str) -> None:
    if person_ids:
        ActPerson.insert_many(
            [{"act": act_id, "person": pid, "date": on, "ledger": ledger} for pid in person_ids]
        ).execute()


def _chunks(ids: Sequence[int], size: int = 500) -> Iterable[Sequence[int]]:
    for i in range(0, len(ids), size):
        yield ids[i : i + size]
