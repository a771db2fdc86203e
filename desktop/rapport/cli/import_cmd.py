"""``rapport import FILE...``: contacts (and, later, calendars) into the journal, no duplicates."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from rapport.cli import backup_cmd
from rapport.cli.context import Context
from rapport.core import importers
from rapport.core.progress import Progress


def register(sub: Any) -> None:
    p = sub.add_parser(
        "import",
        help="import contacts (vCard, LinkedIn, Google or Outlook CSV) and calendars (.ics)",
        description="Import files, recognised by their content. Everything is read first: "
        "one bad file and nothing is written. People already in the journal are matched "
        "by email, LinkedIn URL or name and merged, never duplicated.",
    )
    p.add_argument("files", metavar="FILE", nargs="+")
    p.add_argument("--json", action="store_true", help="print the counts as JSON")
    p.set_defaults(func=import_cmd)


def import_cmd(ctx: Context, args: argparse.Namespace) -> int:
    # Parse every file before the journal is even opened: a bad file touches nothing.
    files = importers.read_files(args.files)
    ctx.journal()
    backup_cmd.before(ctx, "before import")
    reports = importers.write_files(files, Progress.silent())
    if args.json:
        ctx.print_json({"files": [r.as_dict() for r in reports]})
        return 0
    for r in reports:
        kind = importers.KIND_NAMES.get(r.kind, r.kind)
        print(f"{r.path} ({kind}): {r.summary()}")
        for warning in r.warnings:
            print(f"  warning: {warning}", file=sys.stderr)
    return 0
