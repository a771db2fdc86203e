"""The entry point tells the window's options from a command without loading the CLI."""

from __future__ import annotations

import subprocess
import sys

import pytest

from rapport.main import window_options


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        ([], (None, False, False)),
        (["--demo"], (None, True, False)),
        (["--data-dir", "d", "--smoke"], ("d", False, True)),
        (["--data-dir=d"], ("d", False, False)),
    ],
)
def test_window_options(argv, expected) -> None:
    options = window_options(argv)
    assert options is not None
    assert (options.data_dir, options.demo, options.smoke) == expected


@pytest.mark.parametrize("argv", [["contacts"], ["--data-dir"], ["--help"], ["--version"]])
def test_anything_else_goes_to_the_command_line(argv) -> None:
    assert window_options(argv) is None


def test_the_window_path_does_not_import_the_command_line() -> None:
    code = (
        "import sys, rapport.main as m; m.window_options(['--demo']); "
        "print('rapport.cli' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
