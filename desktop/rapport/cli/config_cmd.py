"""``rapport config get|set|list``: preferences from the command line."""

from __future__ import annotations

import argparse
from typing import Any

from rapport.cli.context import Context
from rapport.core import preferences


def register(sub: Any) -> None:
    config = sub.add_parser("config", help="read or change a preference")
    verbs = config.add_subparsers(dest="verb", metavar="VERB", required=True)
    get = verbs.add_parser("get", help="print a preference")
    get.add_argument("key")
    get.add_argument("--json", action="store_true")
    get.set_defaults(func=get_cmd)
    put = verbs.add_parser("set", help="change a preference")
    put.add_argument("key")
    put.add_argument("value")
    put.set_defaults(func=set_cmd)
    listing = verbs.add_parser("list", help="every preference and its value")
    listing.add_argument("--json", action="store_true")
    listing.set_defaults(func=list_cmd)


def get_cmd(ctx: Context, args: argparse.Namespace) -> int:
    ctx.journal()
    value = preferences.get(args.key)
    if args.json:
        ctx.print_json({"key": args.key, "value": value})
    else:
        print(value)
    return 0


def set_cmd(ctx: Context, args: argparse.Namespace) -> int:
    ctx.journal()
    value = preferences.set_text(args.key, args.value)
    print(f"{args.key} = {value}")
    return 0


def list_cmd(ctx: Context, args: argparse.Namespace) -> int:
    ctx.journal()
    values = preferences.all_values()
    if args.json:
        ctx.print_json(values)
    else:
        for key, value in values.items():
            print(f"{key} = {value!r}" if isinstance(value, str) else f"{key} = {value}")
    return 0
