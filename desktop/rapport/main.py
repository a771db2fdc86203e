"""``rapport``: no command opens the window; a command runs on the command line."""

from __future__ import annotations

import sys
from collections.abc import Sequence

from rapport import cli


def main(argv: Sequence[str] | None = None) -> int:
    try:
        args = cli.parse(argv)
    except cli.UsageError as exc:
        return cli.fail(str(exc), cli.EXIT_BAD_INPUT)
    if args.command is not None:
        return cli.run(args)
    from rapport.ui.app import run_window

    return run_window(args)


if __name__ == "__main__":
    sys.exit(main())
