"""The soak script runs (a few cycles here; 200 by hand, figures in docs/reliability.md) and finds no growth."""

from __future__ import annotations

import subprocess
import sys

from .conftest import ROOT


def test_soak_cycles_leave_nothing_and_grow_nothing() -> None:
    done = subprocess.run([sys.executable, str(ROOT / "scripts" / "soak.py"), "--cycles", "5", "--every", "1"],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    rows = [[cell.strip() for cell in line.strip("|").split("|")] for line in done.stdout.splitlines()
            if line.startswith("| ") and "---" not in line]
    header, samples = rows[0], [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]
    assert "daemons alive" in header and len(samples) == 5, done.stdout
    for sample in samples:
        assert sample["probes ok"] == "6/6" and sample["leftovers"] == "0", sample
    for column in ("open fds", "daemons alive", "threads"):
        assert samples[-1][column] == samples[0][column], column
