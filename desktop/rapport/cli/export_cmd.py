"""``rapport export FILE``: the journal as vCard 3.0, CSV or JSON, chosen by the extension."""

from __future__ import annotations

import argparse
from typing import Any

from rapport.cli.context import Context
from rapport.core import contacts_export


def register(sub: Any) -> None:
    p = sub.add_parser(
        "export",
        help="export contacts: FILE.vcf (vCard 3.0), FILE.csv or FILE.json (everything)",
        description="Write the journal to FILE, in the format its extension names: .vcf "
        "(vCard 3.0), .csv (for spreadsheets; formula-looking cells are escaped) or .json "
        "(people, circles and goals). The file is readable by you only.",
    )
    p.add_argument("file", metavar="FILE")
    p.set_defaults(func=export_cmd)


def export_cmd(ctx: Context, args: argparse.Namespace) -> int:
    contacts_export.format_for(args.file)  # an unknown extension is refused before any work
    ctx.journal()
    result = contacts_export.export_contacts(args.file)
    print(result.summary())
    return 0
