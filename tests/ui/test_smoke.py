"""The real window, started the way users start it, on a real X server (Xvfb, xcb)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.smoke


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="Xvfb is a Linux X server")
@pytest.mark.parametrize("demo", [False, True], ids=["own journal", "sample journal"])
def test_window_opens_and_paints_under_xvfb(tmp_path: Path, demo: bool) -> None:
    xvfb_run = shutil.which("xvfb-run")
    assert xvfb_run, "xvfb-run is missing: './dev test' installs the xvfb package"
    env = {k: v for k, v in os.environ.items() if k not in {"QT_QPA_PLATFORM", "DISPLAY"}}
    env["QT_QPA_PLATFORM"] = "xcb"
    env["HOME"] = str(tmp_path)
    result = subprocess.run(
        [
            xvfb_run,
            "-a",
            "-s",
            "-screen 0 1280x800x24",
            sys.executable,
            "-m",
            "rapport",
            "--data-dir",
            str(tmp_path / "data"),
            "--smoke",
            *(["--demo"] if demo else []),
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "smoke ok (xcb" in result.stdout
    made = tmp_path / "data" / ("demo" if demo else "") / "journal.sqlite"
    assert made.exists()
    if demo:  # the sample journal lives apart, and is not backed up
        assert not (tmp_path / "data" / "journal.sqlite").exists()
        assert not (tmp_path / "data" / "demo" / "backups").exists()
