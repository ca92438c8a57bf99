"""Benchmark: kube-proxy's modes as the number of Services grows — the curve that made Kubernetes move
from iptables to IPVS and nftables.

For each mode and size N (Services of 10 endpoints each, on one flannel-vxlan node):
* build: load the topology and compile the plan (netlab's share, in process);
* sync: how long `netlab up` takes to load the node's kube-proxy rules (iptables-restore / nft -f / ipset +
  ipvsadm + iptables-restore), as kube-proxy's full sync does;
* connect: the latency of a new TCP connection from a pod to the ClusterIP of the last Service (median
  and 99th percentile of --connections connects): iptables mode walks KUBE-SERVICES rule by rule, nftables
  and IPVS look the destination up in a hash.
Prints a Markdown table. Run as root: scripts/bench-services [--sizes 100,1000,5000] [--modes iptables,nftables]
"""

from __future__ import annotations

import argparse
import socket
import statistics
import sys
import time

from netlab import naming
from netlab.compile import compile_plan
from netlab.kernel import features, netns
from netlab.lifecycle import down, up
from netlab.plan import RuleSet
from netlab.topology import load_topology_text

ENDPOINTS = 10


def generated(mode: str, services: int) -> str:
    lines = [f"name: bench-{mode}", f"cluster: {{cni: flannel-vxlan, proxy: {mode}, serviceCIDR: 10.96.0.0/12}}",
             "nodes: [{name: n1}]", "pods:", "  - {name: client}"]
    lines += [f"  - {{name: web{i}, labels: {{app: web}}, serve: ['http:80']}}" for i in range(ENDPOINTS)]
    lines += ["services:"] + [f"  - {{name: s{i:05d}, selector: {{app: web}}, ports: [{{port: 80}}]}}"
                              for i in range(services)]
    return "\n".join(lines) + "\n"


class SyncClock:
    """Times the node's kube-proxy rule loads during `up` (progress is reported before each step)."""

    def __init__(self, node_ns: str) -> None:
        self.prefix, self.seconds, self.started = f"ruleset {node_ns} ", 0.0, None

    def __call__(self, done: int, total: int, key: str) -> None:
        now = time.perf_counter()
        if self.started is not None:
            self.seconds += now - self.started
        self.started = now if key.startswith(self.prefix) and " kube-proxy " in key else None


def connect_micros(lab: str, vip: str, count: int) -> tuple[float, float]:
    samples = []
    for _ in range(count):
        with netns.inside(naming.netns(lab, "client")):
            s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        with s:
            s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")  # RST, no TIME_WAIT
            start = time.perf_counter()
            s.connect((vip, 80))
            samples.append((time.perf_counter() - start) * 1e6)
    samples.sort()
    return statistics.median(samples), samples[int(len(samples) * 0.99) - 1]


def measure(mode: str, services: int, connections: int) -> dict[str, str]:
    text = generated(mode, services)
    start = time.perf_counter()
    topology = load_topology_text(text)
    plan = compile_plan(topology)
    build = time.perf_counter() - start
    node_ns = naming.netns(topology.name, "n1")
    kube_proxy = [s for s in plan.steps if isinstance(s, RuleSet) and s.netns == node_ns and s.table == "kube-proxy"]
    rules = sum(len(rs.payload.splitlines()) for rs in kube_proxy)
    clock = SyncClock(node_ns)
    up.up(plan, model=topology, source="bench", topology_text=text, progress=clock)
    sync = clock.seconds
    try:
        last = max(topology.services, key=lambda s: s.name)
        median, p99 = connect_micros(topology.name, str(last.cluster_ip), connections)
    finally:
        down.down(topology.name)
    return {"mode": mode, "services": str(services), "lines": str(rules), "build": f"{build:.2f}",
            "sync": f"{sync:.2f}", "median": f"{median:.0f}", "p99": f"{p99:.0f}"}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="100,1000,5000")
    parser.add_argument("--modes", default="iptables,nftables,ipvs")
    parser.add_argument("--connections", type=int, default=500)
    args = parser.parse_args()
    rows, skipped = [], []
    for mode in args.modes.split(","):
        if mode == "ipvs":
            missing = [c for c in (features.check_link_kind("dummy", "dummy"), features.check_ipvs()) if not c.ok]
            if missing:
                skipped.append(f"ipvs: {'; '.join(c.detail for c in missing)}")
                continue
        for size in (int(s) for s in args.sizes.split(",")):
            rows.append(measure(mode, size, args.connections))
            print(f"  {rows[-1]}", file=sys.stderr)
    print(f"Services of {ENDPOINTS} endpoints on one node; build = load + compile (s), sync = loading the node's "
          "kube-proxy rules during up (s), connect = new TCP connection to the last Service's "
          f"ClusterIP (µs, {args.connections} connections)\n")
    print("| mode | services | payload lines | build s | sync s | connect median µs | connect p99 µs |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for r in rows:
        print(f"| {r['mode']} | {r['services']} | {r['lines']} | {r['build']} | {r['sync']} | {r['median']} "
              f"| {r['p99']} |")
    for line in skipped:
        print(f"\nnot measured here — {line}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
