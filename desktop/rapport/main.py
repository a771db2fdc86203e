"""``rapport``: no command opens the window; a command runs on the command line.

Opening the window takes the short road: the command line (and everything its commands
import) is loaded only when a command is given, so the window paints sooner.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

WINDOW_FLAGS = {"--demo", "--smoke"}


def window_options(argv: Sequence[str]) -> argparse.Namespace | None:
    """The options when ``argv`` only asks for the window (``--data-dir``, ``--demo``,
    ``--smoke``), else None: anything more is for the full command-line parser."""
    options = argparse.Namespace(data_dir=None, demo=False, smoke=False, command=None)
    items = list(argv)
    while items:
        item = items.pop(0)
        if item in WINDOW_FLAGS:
            setattr(options, item[2:], True)
        elif item == "--data-dir" and items and not items[0].startswith("-"):
            options.data_dir = items.pop(0)
        elif item.startswith("--data-dir=") and len(item) > len("--data-dir="):
            options.data_dir = item.split("=", 1)[1]
        else:
            return None
    return options


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    options = window_options(argv)
    if options is None:
        from rapport import cli

        try:
            options = cli.parse(argv)
        except cli.UsageError as exc:
            return cli.fail(str(exc), cli.EXIT_BAD_INPUT)
        if options.command is not None:
            return cli.run(options)
    from rapport.ui.app import run_window

    return run_window(options)


if __name__ == "__main__":
    sys.exit(main())
