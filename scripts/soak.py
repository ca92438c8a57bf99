"""Soak: many cycles of up → probe → down of one lab in one long-lived process, watching for growth in
what is left over (anything the leak detector finds, and netlab daemons still alive per /proc), in this
process's open files, threads and memory, and in the kernel's slab memory. Prints a Markdown table; exits 1
on a leftover, a daemon left running, a failed probe, or file descriptors or threads that grew. Run it as
root: sudo scripts/soak [--cycles 200]."""

from __future__ import annotations

import argparse
import os
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from netlab.compile import compile_plan
from netlab.kernel import processes
from netlab.lifecycle import down, leaks, up
from netlab.probe import run_probes
from netlab.topology import load_topology_text

ROOT = Path(__file__).parents[1]
LAB = "soak"


@dataclass
class Sample:
    cycle: int
    up_s: float
    probes_ok: int
    probes: int
    down_s: float
    leftovers: int
    fds: int
    threads: int
    daemons: int
    rss_mb: float
    slab_mb: float


def status_kb(field: str, path: str = "/proc/self/status") -> int:
    for line in Path(path).read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    return 0


def daemons() -> int:
    """netlab daemons alive anywhere, read from /proc (they run detached, in their own sessions)."""
    return sum(leaks.is_workload(pid) for pid in processes.network_namespaces())


def cycle(number: int, text: str) -> Sample:
    topology = load_topology_text(text)
    started = time.monotonic()
    up.up(compile_plan(topology), model=topology, source="soak", topology_text=text)
    up_s = time.monotonic() - started
    results = run_probes(topology)
    started = time.monotonic()
    down.down(LAB)
    down_s = time.monotonic() - started
    return Sample(number, up_s, sum(r.ok for r in results), len(results), down_s, len(leaks.find()),
                  len(os.listdir("/proc/self/fd")), len(os.listdir("/proc/self/task")), daemons(),
                  status_kb("VmRSS") / 1024, status_kb("Slab", "/proc/meminfo") / 1024)


def table(samples: list[Sample]) -> str:
    lines = ["| cycle | up s | probes ok | down s | leftovers | daemons alive | open fds | threads | RSS MB | "
             "kernel slab MB |", "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for s in samples:
        lines.append(f"| {s.cycle} | {s.up_s:.2f} | {s.probes_ok}/{s.probes} | {s.down_s:.2f} | {s.leftovers} | "
                     f"{s.daemons} | {s.fds} | {s.threads} | {s.rss_mb:.1f} | {s.slab_mb:.0f} |")
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--cycles", type=int, default=200)
    parser.add_argument("--every", type=int, default=20, help="print a row every N cycles")
    parser.add_argument("--topology", default=str(ROOT / "topologies" / "services-iptables.yaml"))
    args = parser.parse_args()
    source = Path(args.topology).read_text()
    name = load_topology_text(source).name
    text = source.replace(f"name: {name}", f"name: {LAB}")
    down.down(LAB)
    baseline = daemons()  # another lab's daemons, if one is up
    shown: list[Sample] = []
    first = last = None
    failures = 0
    try:
        for n in range(1, args.cycles + 1):
            last = cycle(n, text)
            first = first or last
            failures += (last.probes - last.probes_ok) + last.leftovers + max(0, last.daemons - baseline)
            if n == 1 or n % args.every == 0 or n == args.cycles:
                shown.append(last)
                print(f"cycle {n}/{args.cycles}: up {last.up_s:.2f}s, down {last.down_s:.2f}s, "
                      f"{last.leftovers} leftovers, {last.fds} fds, RSS {last.rss_mb:.1f} MB", file=sys.stderr)
    finally:
        down.down(LAB)
    assert first is not None and last is not None
    print(f"\n{args.cycles} cycles of up → probe → down, lab {name} ({Path(args.topology).name}), "
          f"{time.strftime('%Y-%m-%d')}, kernel {os.uname().release}\n")
    print(table(shown))
    grew = last.fds - first.fds
    threads = last.threads - first.threads
    print(f"\nfrom cycle 1 to {last.cycle}: open fds {grew:+d}, threads {threads:+d}, "
          f"RSS {last.rss_mb - first.rss_mb:+.1f} MB, kernel slab {last.slab_mb - first.slab_mb:+.0f} MB; "
          f"leftovers, daemons left running and failed probes: {failures}")
    return 1 if failures or grew > 0 or threads > 0 else 0


if __name__ == "__main__":
    sys.exit(main())
