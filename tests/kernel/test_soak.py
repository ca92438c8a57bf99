"""The soak script runs (a few cycles here; 200 by hand, figures in docs/reliability.md) and finds no growth."""

from __future__ import annotations

import subprocess
import sys

from .conftest import ROOT


def test_soak_cycles_leave_nothing_and_grow_nothing() -> None:
    done = subprocess.run([sys.executable, str(ROOT / "scripts" / "soak.py"), "--cycles", "5", "--every", "1"],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    rows = [line for line in done.stdout.splitlines() if line.startswith("| ") and "---" not in line]
    assert len(rows) == 6 and all("| 6/6 |" in row and "| 0 |" in row for row in rows[1:]), done.stdout
    assert "open fds +0" in done.stdout and "leftovers and failed probes: 0" in done.stdout
