"""Benchmark: how long `netlab trace` takes on a 3-node flannel-vxlan lab with kube-proxy (iptables mode).

cold = the whole command as a user runs it (a new process: imports, opening a capture socket in every
namespace, the trace table in every node, the probe, the correlation, the rendering); in-process cold =
the same without the interpreter start; warm = one more trace through an open Tracer (sockets and trace
tables already in place), which is what a grader or a loop of traces pays. Prints a Markdown table.
Run as root:  scripts/bench-trace [--repeat 10]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

LAB = "bench-trace"
PATHS = [("pod → pod, same node", "client0", "web0:80", "tcp"),
         ("pod → pod, across VXLAN", "client0", "web1:80", "tcp"),
         ("pod → ClusterIP (DNAT)", "client0", "web:80", "tcp"),
         ("pod → internet (MASQUERADE)", "client0", "outside", "icmp")]


def topology() -> str:
    lines = [f"name: {LAB}", "cluster: {cni: flannel-vxlan, proxy: iptables}", "nodes:"]
    lines += [f"  - name: node{i}" for i in range(3)]
    lines += ["pods:"]
    for i in range(3):
        lines += [f"  - {{name: web{i}, node: node{i}, labels: {{app: web}}, serve: ['http:80']}}",
                  f"  - {{name: client{i}, node: node{i}}}"]
    lines += ["services:", "  - {name: web, selector: {app: web}, ports: [{port: 80}]}",
              "internet:", "  hosts:", "    - {name: outside}"]
    return "\n".join(lines) + "\n"


def median_ms(samples: list[float]) -> str:
    return f"{statistics.median(samples) * 1000:.0f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=10)
    args = parser.parse_args()
    from netlab.trace.engine import Tracer

    with tempfile.TemporaryDirectory() as tmp:
        topo = Path(tmp) / f"{LAB}.yaml"
        topo.write_text(topology())
        subprocess.run([sys.executable, "-m", "netlab", "up", str(topo)], check=True, capture_output=True)
        try:
            print(f"3 nodes, 6 pods, 1 service, 13 namespaces; median of {args.repeat} runs\n")
            print("| path | verdict | hops | cold CLI ms | cold in-process ms | warm ms | warm p90 ms |")
            print("|---|---|---:|---:|---:|---:|---:|")
            for title, source, target, proto in PATHS:
                cli, inproc, warm = [], [], []
                for _ in range(args.repeat):
                    start = time.perf_counter()
                    subprocess.run([sys.executable, "-m", "netlab", "trace", LAB, source, target, "--proto", proto],
                                   check=True, capture_output=True)
                    cli.append(time.perf_counter() - start)
                    start = time.perf_counter()
                    with Tracer(LAB) as tracer:
                        trace = tracer.trace(source, target, proto)
                    inproc.append(time.perf_counter() - start)
                with Tracer(LAB) as tracer:
                    tracer.trace(source, target, proto)
                    for _ in range(args.repeat):
                        start = time.perf_counter()
                        trace = tracer.trace(source, target, proto)
                        warm.append(time.perf_counter() - start)
                p90 = sorted(warm)[int(0.9 * (len(warm) - 1))] * 1000
                print(f"| {title} | {trace.verdict.status} | {len(trace.hops)} | {median_ms(cli)} | "
                      f"{median_ms(inproc)} | {median_ms(warm)} | {p90:.0f} |")
        finally:
            subprocess.run([sys.executable, "-m", "netlab", "down", LAB], check=False, capture_output=True)


if __name__ == "__main__":
    main()
