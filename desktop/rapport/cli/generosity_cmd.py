"""``rapport log``, ``log add``, ``log delete``, ``serve``, ``due``, ``week``: the generosity
log from the terminal. "Today" is the real date unless ``RAPPORT_TODAY=YYYY-MM-DD`` pins it.
"""

from __future__ import annotations

import argparse
from datetime import date
from typing import Any

from rapport.cli.context import Context
from rapport.core import acts
from rapport.core.act_log import ActFilter, acts_by_id, iter_acts
from rapport.core.clock import today
from rapport.core.due import due_people
from rapport.core.follow_ups import follow_ups
from rapport.core.people import find_person
from rapport.core.serve import serve_next
from rapport.core.week_plan import week_plan


def register(sub: Any) -> None:
    log = sub.add_parser(
        "log",
        help="the generosity log: list acts newest first, or 'log add' one",
        description="List acts and touchpoints, newest first. 'rapport log add' logs one.",
    )
    log.add_argument("--person", metavar="NAME", help="only acts with this person")
    log.add_argument("--kind", metavar="KIND", action="append", help="only this kind (repeat)")
    log.add_argument("--given", action="store_true", help="only acts you gave")
    log.add_argument("--received", action="store_true", help="only acts you received")
    log.add_argument("--since", metavar="YYYY-MM-DD", type=_date, help="on or after this day")
    log.add_argument("--until", metavar="YYYY-MM-DD", type=_date, help="on or before this day")
    log.add_argument("--search", metavar="TEXT", help="note, link or a person's name contains")
    log.add_argument("--limit", metavar="N", type=_count, help="at most N acts")
    log.add_argument("--json", action="store_true", help="print a JSON array")
    log.set_defaults(func=log_cmd)
    actions = log.add_subparsers(dest="log_action", metavar="ACTION")

    add = actions.add_parser("add", help="log an act you gave (or, with --received, received)")
    add.add_argument(
        "--person", metavar="NAME", action="append", required=True, help="repeat for an intro"
    )
    add.add_argument("--kind", metavar="KIND", required=True, help=", ".join(acts.KINDS))
    add.add_argument("--received", action="store_true", help="they gave it to you")
    add.add_argument("--url", metavar="URL", default="")
    add.add_argument("--note", metavar="TEXT", default="")
    add.add_argument(
        "--date", metavar="YYYY-MM-DD", type=_date, help="default: today ($RAPPORT_TODAY if set)"
    )
    add.add_argument("--json", action="store_true", help="print the act as JSON")
    add.set_defaults(func=log_add_cmd)

    delete = actions.add_parser("delete", help="delete acts by id")
    delete.add_argument("ids", metavar="ID", nargs="+", type=_act_id)
    delete.set_defaults(func=log_delete_cmd)

    serve = sub.add_parser(
        "serve", help="whom to serve next, with reasons", description=_ranked("Serve next")
    )
    serve.add_argument("--limit", metavar="N", type=_count, default=20, help="default 20")
    serve.add_argument("--json", action="store_true", help="print a JSON array")
    serve.set_defaults(func=serve_cmd)

    due = sub.add_parser(
        "due", help="who is due for a touch, most overdue first", description=_ranked("Due")
    )
    due.add_argument("--limit", metavar="N", type=_count, help="at most N people")
    due.add_argument("--json", action="store_true", help="print a JSON array")
    due.set_defaults(func=due_cmd)

    week = sub.add_parser(
        "week",
        help="this week's plan: give 3, meet 1, reconnect 2",
        description=_ranked("This week's plan"),
    )
    week.add_argument("--json", action="store_true", help="print a JSON object")
    week.set_defaults(func=week_cmd)


def _ranked(what: str) -> str:
    return (
        f"{what}, as of today. Today is the real date unless the environment pins it with "
        "RAPPORT_TODAY=YYYY-MM-DD (for scripts and tests)."
    )


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"a date is YYYY-MM-DD, not {text!r}") from None


def _count(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"a count is a whole number above 0, not {text!r}")
    return int(text)


def _act_id(text: str) -> int:
    value = text.lstrip("#")
    if not value.isdigit():
        raise argparse.ArgumentTypeError(f"an act id is a number, not {text!r}")
    return int(value)


def log_cmd(ctx: Context, args: argparse.Namespace) -> int:
    ctx.journal()
    if args.given and args.received:
        direction = None
    else:
        direction = "given" if args.given else "received" if args.received else None
    flt = ActFilter(
        person_id=int(find_person(args.person).id) if args.person else None,
        kinds=tuple(acts.check_kind(k) for k in args.kind or ()),
        direction=direction,
        since=args.since,
        until=args.until,
        text=args.search or "",
    )
    rows = iter_acts(flt, limit=args.limit)
    if args.json:
        ctx.print_json([row.as_dict() for row in rows])
        return 0
    printed = False
    for row in rows:
        printed = True
        print(_line(row.as_dict()))
    if not printed:
        print("Nothing logged yet. Log an act: rapport log add --person NAME --kind share")
    return 0


def _line(act: dict[str, Any]) -> str:
    extra = " ".join(x for x in (act["note"], f"<{act['url']}>" if act["url"] else "") if x)
    people = ", ".join(act["people"])
    cells = [f"#{act['id']}", act["date"], act["kind"], act["direction"], people, extra]
    return "\t".join(cells).rstrip()


def log_add_cmd(ctx: Context, args: argparse.Namespace) -> int:
    ctx.journal()
    # Every name is checked before anything is written: a typo writes nothing.
    person_ids = acts.resolve_people(args.person)
    act_id, _ = acts.log_act(
        person_ids,
        args.kind,
        on=args.date or today(),
        direction="received" if args.received else "given",
        url=args.url,
        note=args.note,
    )
    (row,) = acts_by_id([act_id])
    if args.json:
        ctx.print_json(row.as_dict())
    else:
        print(f"logged {_line(row.as_dict())}")
    return 0


def log_delete_cmd(ctx: Context, args: argparse.Namespace) -> int:
    ctx.journal()
    found = acts_by_id(args.ids)
    missing = sorted(set(args.ids) - {row.id for row in found})
    if missing:
        acts.get_act(missing[0])  # raises NotFound: nothing is deleted
    acts.delete_acts(args.ids)
    for row in found:
        print(f"deleted {_line(row.as_dict())}")
    return 0


def serve_cmd(ctx: Context, args: argparse.Namespace) -> int:
    ctx.journal()
    rows = serve_next(today(), limit=args.limit)
    if args.json:
        ctx.print_json([row.as_dict() for row in rows])
        return 0
    if not rows:
        print("Nobody to serve yet: add people to a goal, or give them tier 1 or 2.")
    for row in rows:
        print(f"{row.score}\t{row.name}\t{'; '.join(row.reasons)}")
    return 0


def due_cmd(ctx: Context, args: argparse.Namespace) -> int:
    ctx.journal()
    rows = due_people(today(), limit=args.limit)
    if args.json:
        ctx.print_json([row.as_dict() for row in rows])
        return 0
    if not rows:
        print("Nobody is due: you are in touch with everyone on their cadence.")
    for row in rows:
        last = row.last_contact.isoformat() if row.last_contact else "never"
        print(
            f"{row.name}\tevery {row.cadence_days} days\tlast contact {last}\t"
            f"{row.days_overdue} days overdue"
        )
    return 0


def week_cmd(ctx: Context, args: argparse.Namespace) -> int:
    ctx.journal()
    day = today()
    plan = week_plan(day)
    pending = follow_ups(day)
    if args.json:
        ctx.print_json(
            {
                **plan.as_dict(),
                "follow_ups": [
                    {
                        "person": f.name,
                        "met_on": f.met_on.isoformat(),
                        "due_by": f.due_by.isoformat(),
                        "late": f.late(day),
                    }
                    for f in pending
                ],
            }
        )
        return 0
    for title, items in (("Give", plan.give), ("Meet", plan.meet), ("Reconnect", plan.reconnect)):
        print(f"{title}:")
        for item in items:
            print(f"  {item.name}\t{'; '.join(item.reasons)}")
        if not items:
            print("  nobody yet")
    if pending:
        print("Follow up:")
        for f in pending:
            print(f"  {f.name}\t{f.reason(day)}")
    return 0
