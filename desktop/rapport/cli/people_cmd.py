"""``rapport contacts``, ``add``, ``edit``, ``merge``, ``delete``: people from the terminal."""

from __future__ import annotations

import argparse
from datetime import date
from typing import Any

from rapport.cli import backup_cmd
from rapport.cli.context import Context
from rapport.core import circles, people
from rapport.core.changes import Changes
from rapport.core.directory import people_dicts
from rapport.core.errors import BadInput
from rapport.store.models import db_proxy


def register(sub: Any) -> None:
    contacts = sub.add_parser("contacts", help="list people")
    contacts.add_argument("--json", action="store_true", help="print a JSON array")
    contacts.add_argument("--search", metavar="TEXT", help="only people matching TEXT")
    contacts.add_argument("--archived", action="store_true", help="include archived people")
    contacts.set_defaults(func=contacts_cmd)

    add = sub.add_parser("add", help="add a person")
    add.add_argument("name")
    _person_options(add)
    add.set_defaults(func=add_cmd)

    edit = sub.add_parser("edit", help="edit one person, found by exact name or id")
    edit.add_argument("name", metavar="NAME")
    edit.add_argument("--name", dest="new_name", metavar="NEW", help="rename")
    _person_options(edit)
    edit.add_argument("--remove-circle", action="append", default=[], metavar="C")
    edit.add_argument("--archive", action="store_true")
    edit.add_argument("--unarchive", action="store_true")
    edit.set_defaults(func=edit_cmd)

    merge = sub.add_parser("merge", help="fold people into one, keeping everything of each")
    merge.add_argument("keep", metavar="KEEP")
    merge.add_argument("others", metavar="OTHER", nargs="+")
    merge.add_argument("--json", action="store_true")
    merge.set_defaults(func=merge_cmd)

    delete = sub.add_parser("delete", help="delete people for good (archive keeps them)")
    delete.add_argument("names", metavar="NAME", nargs="+")
    delete.set_defaults(func=delete_cmd)


def _person_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--city", metavar="C")
    p.add_argument("--region", metavar="R")
    p.add_argument("--country", metavar="C")
    p.add_argument("--org", metavar="O")
    p.add_argument("--title", metavar="T")
    p.add_argument("--tier", metavar="N", type=_tier)
    p.add_argument("--cadence", metavar="DAYS", type=_positive_int, help="keep-in-touch cadence")
    p.add_argument("--birthday", metavar="YYYY-MM-DD", type=_birthday)
    p.add_argument("--how-we-met", metavar="TEXT")
    p.add_argument("--met-through", metavar="NAME")
    p.add_argument("--note", metavar="TEXT", help="append a note")
    p.add_argument(
        "--add-circle", action="append", default=[], metavar="C", help="e.g. Work/Investors"
    )
    p.add_argument("--add-email", action="append", default=[], metavar="EMAIL")
    p.add_argument("--add-phone", action="append", default=[], metavar="PHONE")
    p.add_argument("--add-link", action="append", default=[], metavar="URL")
    p.add_argument("--json", action="store_true", help="print the person as JSON")


def _tier(text: str) -> int:
    if text not in {"1", "2", "3"}:
        raise argparse.ArgumentTypeError(f"tier must be 1, 2 or 3, not {text!r}")
    return int(text)


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, not {value}")
    return value


def _birthday(text: str) -> str:
    if text.startswith("--") and len(text) == 7:
        date.fromisoformat(f"2000{text[1:]}")
        return text
    try:
        return date.fromisoformat(text).isoformat()
    except ValueError:
        raise argparse.ArgumentTypeError(f"a date is YYYY-MM-DD or --MM-DD, not {text!r}") from None


def contacts_cmd(ctx: Context, args: argparse.Namespace) -> int:
    ctx.journal()
    ids = None
    if args.search:
        ids = [
            p.id
            for p in people.search_people(args.search, include_archived=args.archived, limit=10**9)
        ]
    rows = people_dicts(include_archived=args.archived, ids=ids)
    if args.json:
        ctx.print_json(rows)
        return 0
    if not rows:
        print("No people yet. Add one with 'rapport add NAME' or 'rapport import FILE'.")
        return 0
    for row in rows:
        where = ", ".join(x for x in (row["city"], row["country"]) if x)
        org = " · ".join(x for x in (row["title"], row["organization"]) if x)
        print("\t".join([f"#{row['id']}", row["name"], org, where]).rstrip())
    return 0


def _apply(person_id: int, args: argparse.Namespace) -> Changes:
    fields: dict[str, Any] = {}
    for option, field in (
        ("city", "city"),
        ("region", "region"),
        ("country", "country"),
        ("org", "organization"),
        ("title", "title"),
        ("tier", "tier"),
        ("cadence", "cadence_days"),
        ("birthday", "birthday"),
        ("how_we_met", "how_we_met"),
    ):
        value = getattr(args, option, None)
        if value is not None:
            fields[field] = value
    if getattr(args, "new_name", None):
        fields["name"] = args.new_name
    if args.met_through:
        fields["met_through"] = people.find_person(args.met_through).id
    if getattr(args, "archive", False):
        fields["archived"] = True
    if getattr(args, "unarchive", False):
        fields["archived"] = False
    changes = people.update_person(person_id, **fields)
    if args.note:
        changes = changes | people.append_note(person_id, args.note)
    for email in args.add_email:
        changes = changes | people.add_email(person_id, email)
    for phone in args.add_phone:
        changes = changes | people.add_phone(person_id, phone)
    for url in args.add_link:
        changes = changes | people.add_link(person_id, url)
    for path in args.add_circle:
        cid, made = circles.circle_by_path(path, create=True)
        changes = changes | made | circles.add_to_circle([person_id], cid)
    for path in getattr(args, "remove_circle", []):
        cid, _ = circles.circle_by_path(path)
        changes = changes | circles.remove_from_circle([person_id], cid)
    return changes


def _report(ctx: Context, args: argparse.Namespace, person_id: int, verb: str) -> None:
    if args.json:
        ctx.print_json(people_dicts(ids=[person_id])[0])
    else:
        person = people.get_person(person_id)
        print(f"{verb} #{person.id} {person.name}")


def add_cmd(ctx: Context, args: argparse.Namespace) -> int:
    ctx.journal()
    with db_proxy.atomic():
        person_id, _ = people.create_person(args.name)
        _apply(person_id, args)
    _report(ctx, args, person_id, "added")
    return 0


def edit_cmd(ctx: Context, args: argparse.Namespace) -> int:
    ctx.journal()
    if args.archive and args.unarchive:
        raise BadInput("--archive and --unarchive together")
    person = people.find_person(args.name)
    with db_proxy.atomic():
        _apply(person.id, args)
    _report(ctx, args, person.id, "edited")
    return 0


def merge_cmd(ctx: Context, args: argparse.Namespace) -> int:
    ctx.journal()
    keep = people.find_person(args.keep)
    others = [people.find_person(name) for name in args.others]
    if any(o.id == keep.id for o in others):
        raise BadInput("cannot merge a person into themselves")
    backup_cmd.before(ctx, "before merging people")
    people.merge_people(keep.id, [o.id for o in others])
    _report(ctx, args, keep.id, f"merged {len(others)} into")
    return 0


def delete_cmd(ctx: Context, args: argparse.Namespace) -> int:
    ctx.journal()
    found = [people.find_person(name) for name in args.names]
    people.delete_people(p.id for p in found)
    for p in found:
        print(f"deleted #{p.id} {p.name}")
    return 0
