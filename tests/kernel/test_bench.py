"""The benchmarks still run (tiny sizes, no Mininet) and leave nothing behind. Their figures are read by
people, in docs/performance.md; nothing here asserts a time."""

from __future__ import annotations

import subprocess
import sys

from netlab.kernel import netns

from .conftest import ROOT


def leftovers() -> list[str]:
    return [n for n in netns.list_names() if n.startswith(("netlab.bench-", "netlab-bench"))]


def test_bench_prints_both_tables_and_cleans_up() -> None:
    done = subprocess.run([sys.executable, str(ROOT / "scripts" / "bench.py"), "--sizes", "3", "--clusters", "2x2",
                           "--repeat", "1", "--no-mininet"], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    rows = [line for line in done.stdout.splitlines() if line.startswith("| ") and "---" not in line]
    assert any(line.startswith("| 3 | 6 |") for line in rows), done.stdout  # 3 pods: 6 namespaces
    assert any("2 nodes × 2 pods" in line for line in rows), done.stdout
    assert leftovers() == []


def test_kernel_costs_prints_every_object_and_cleans_up() -> None:
    done = subprocess.run([sys.executable, str(ROOT / "scripts" / "bench_kernel_costs.py"), "--pods", "4"],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    for kind in ("namespace", "veth pair", "enslave", "pod: address", "pod: default route", "all system calls"):
        assert kind in done.stdout
    assert leftovers() == []
