"""Benchmark: NetworkPolicy with kube-router's rules.

* sync: --pods pods on one flannel-vxlan node, then `netlab apply` of 10, 100 and 1,000 policies (each
  selecting one pod, allowing ingress from another): the whole apply, its time in the kernel (the ipset and
  iptables-restore loads), and the filter table's size afterwards;
* latency: new TCP connections from a client pod to a server pod (both on the node) while 0, 100 and 1,000
  policies select the server — the last one allowing the client — so every new connection's first packet
  walks the pod chain and every policy chain before one marks it: the median and p99 of --connects connects.

Prints Markdown tables for docs/netpol.md. Run as root: scripts/bench-netpol [--pods 500] [--connects 500]
"""

from __future__ import annotations

import argparse
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from netlab import naming, state  # noqa: E402
from netlab.kernel import netns  # noqa: E402
from netlab.lifecycle import apply as apply_mod  # noqa: E402
from netlab.lifecycle import down  # noqa: E402

NAME = "bench-netpol"
NETLAB = [sys.executable, "-m", "netlab"]


def lab(pods: int, policies: str) -> str:
    lines = [f"name: {NAME}", "cluster: {cni: flannel-vxlan, proxy: iptables, networkPolicy: kube-router, "
             "dns: none, nodeSubnetLen: 22}",
             "nodes: [{name: node1}]", "pods:",
             "  - {name: server, labels: {app: server}, serve: ['tcp:80']}",
             "  - {name: client, labels: {app: client}}"]
    lines += [f"  - {{name: p{i}, labels: {{app: p{i}}}}}" for i in range(pods - 2)]
    return "\n".join(lines) + "\n" + (f"networkPolicies:\n{policies}" if policies else "")


def spread(n: int, pods: int) -> str:
    """n policies over the pods: policy i isolates p(i) and lets p(i+1) in on port 80."""
    return "".join(f"  - {{name: np{i}, podSelector: {{matchLabels: {{app: p{i % (pods - 2)}}}}}, ingress: "
                   f"[{{from: [{{podSelector: {{matchLabels: {{app: p{(i + 1) % (pods - 2)}}}}}}}], ports: "
                   f"[{{port: 80}}]}}]}}\n" for i in range(n))


def on_server(n: int) -> str:
    """n policies selecting the server; only the last lets the client in."""
    return "".join(f"  - {{name: np{i}, podSelector: {{matchLabels: {{app: server}}}}, ingress: "
                   f"[{{from: [{{podSelector: {{matchLabels: {{app: {'client' if i == n - 1 else f'p{i}'}}}}}}}]}}]}}\n"
                   for i in range(n))


def rules_on_node() -> int:
    saved = subprocess.run(["ip", "netns", "exec", naming.netns(NAME, "node1"), "iptables-save", "-t", "filter"],
                           capture_output=True, text=True, check=True).stdout
    return sum(1 for line in saved.splitlines() if line.startswith("-A "))


def connect_times(server_ip: str, count: int) -> list[float]:
    times = []
    for _ in range(count):
        with netns.inside(naming.netns(NAME, "client")):
            s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        with s:
            s.settimeout(5)
            start = time.perf_counter()
            s.connect((server_ip, 80))
            times.append((time.perf_counter() - start) * 1000)
    return times


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pods", type=int, default=500)
    parser.add_argument("--counts", default="10,100,1000", help="policy counts to sync")
    parser.add_argument("--connects", type=int, default=500)
    args = parser.parse_args()
    counts = [int(c) for c in args.counts.split(",")]
    with tempfile.TemporaryDirectory() as work:
        path = Path(work) / "lab.yaml"
        path.write_text(lab(args.pods, ""))
        subprocess.run(NETLAB + ["up", str(path)], check=True, capture_output=True)
        try:
            print(f"| policies over {args.pods} pods, one node | apply s | of which kernel s | filter rules |")
            print("|---:|---:|---:|---:|")
            for n in counts:
                apply_mod.apply(lab(args.pods, ""), "bench")  # from none, each time
                result = apply_mod.apply(lab(args.pods, spread(n, args.pods)), "bench")
                print(f"| {n:,} | {result.seconds:.2f} | {result.kernel_seconds:.2f} | {rules_on_node():,} |",
                      flush=True)
            print()
            print(f"| policies selecting the server | connect p50 ms | p99 ms | ({args.connects} new connections) |")
            print("|---:|---:|---:|---|")
            for n in [0, *counts[1:]]:
                apply_mod.apply(lab(args.pods, on_server(n) if n else ""), "bench")
                t = state.LabState(NAME).built_topology()
                server_ip = t.address_of("server") or ""
                times = sorted(connect_times(server_ip, args.connects))
                p99 = times[int(len(times) * 0.99) - 1]
                print(f"| {n:,} | {statistics.median(times):.3f} | {p99:.3f} | |", flush=True)
        finally:
            down.down(NAME)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
