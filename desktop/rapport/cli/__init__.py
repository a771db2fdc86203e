"""The command line: the same core operations as the window, for scripts, cron and tests.

Exit codes are a contract: 0 success, 2 bad input or usage (one line on stderr), 1 otherwise.
"""

from __future__ import annotations

import argparse
import os
import sys
import traceback
from collections.abc import Sequence
from typing import NoReturn

from rapport import __version__
from rapport.cli import commands
from rapport.cli.context import Context
from rapport.core.errors import BadInput, RapportError

EXIT_OK, EXIT_ERROR, EXIT_BAD_INPUT = 0, 1, 2


class UsageError(Exception):
    pass


class Parser(argparse.ArgumentParser):
    """argparse that reports a usage problem as one line (``rapport: ...``) and exit 2."""

    def error(self, message: str) -> NoReturn:
        raise UsageError(message)


def build_parser() -> Parser:
    parser = Parser(
        prog="rapport",
        description="Rapport, a relationship journal. With no command, opens the window.",
    )
    parser.add_argument("--version", action="version", version=f"rapport {__version__}")
    parser.add_argument(
        "--data-dir",
        metavar="DIR",
        help="the folder holding the journal (default: $RAPPORT_DATA_DIR or the platform's)",
    )
    parser.add_argument(
        "--demo", action="store_true", help="use the sample journal, kept apart from yours"
    )
    parser.add_argument(
        "--smoke", action="store_true", help="open the window, paint once and exit 0"
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=Parser)
    for module in commands.MODULES:
        module.register(sub)
    return parser


def parse(argv: Sequence[str] | None) -> argparse.Namespace:
    return build_parser().parse_args(list(argv) if argv is not None else None)


def fail(message: str, code: int) -> int:
    first_line = " ".join(str(message).split("\n")[0].split())
    print(f"rapport: {first_line}", file=sys.stderr)
    return code


def run(args: argparse.Namespace) -> int:
    """Run the command in ``args`` and return the exit code; bad input never shows a traceback."""
    ctx = Context.from_args(args)
    try:
        result = args.func(ctx, args)
        return int(result or EXIT_OK)
    except BadInput as exc:
        return fail(str(exc), EXIT_BAD_INPUT)
    except RapportError as exc:
        return fail(str(exc), EXIT_ERROR)
    except KeyboardInterrupt:
        return fail("interrupted", EXIT_ERROR)
    except BrokenPipeError:
        return EXIT_OK
    except Exception as exc:
        if os.environ.get("RAPPORT_DEBUG"):
            traceback.print_exc()
        return fail(f"{type(exc).__name__}: {exc}", EXIT_ERROR)
    finally:
        ctx.close()
