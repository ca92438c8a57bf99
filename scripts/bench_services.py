"""Benchmark: kube-proxy's modes as the number of Services grows — the curve that made Kubernetes move
from iptables to IPVS and nftables.

For each mode and size N (Services of 10 endpoints each, on one flannel-vxlan node):
* build: load the topology and compile the plan (netlab's share, in process);
* sync: how long `netlab up` takes to load the node's kube-proxy rules (iptables-restore / nft -f / ipset +
  ipvsadm + iptables-restore), as kube-proxy's full sync does;
* connect: the latency of a new TCP connection from a pod to the ClusterIP of the last Service (median
  and 99th percentile of --connections connects): iptables mode walks KUBE-SERVICES rule by rule, nftables
  and IPVS look the destination up in a hash;
* apply: one endpoint of one Service goes (its pod relabelled): `netlab apply`, the whole command and its
  time in the kernel — kube-proxy's partial sync, with all the other Services present.
Modes: iptables-nft and iptables-legacy (iptables mode on either backend), nftables, ipvs.
Prints a Markdown table. Run as root: scripts/bench-services [--sizes 100,1000,5000] [--modes nftables,...]
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import subprocess
import tempfile
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


def generated(mode: str, services: int, moved: bool = False) -> str:
    """Services s00001… of the same ten endpoints, and one more, `one`, of ten others; `moved`: one of those
    relabelled away (the change `apply` is timed on)."""
    proxy, _, backend = mode.partition("-")
    cluster = f"cni: flannel-vxlan, proxy: {proxy}, serviceCIDR: 10.96.0.0/12" + (
        f", iptablesBackend: {backend}" if backend else "")
    lines = [f"name: bench-{mode}", f"cluster: {{{cluster}}}", "nodes: [{name: n1}]", "pods:", "  - {name: client}"]
    lines += [f"  - {{name: web{i}, labels: {{app: web}}, serve: ['http:80']}}" for i in range(ENDPOINTS)]
    lines += [f"  - {{name: one{i}, labels: {{app: {'gone' if moved and i == 0 else 'one'}}}, serve: ['http:80']}}"
              for i in range(ENDPOINTS)]
    lines += ["services:", "  - {name: one, selector: {app: one}, ports: [{port: 80}]}"]
    lines += [f"  - {{name: s{i:05d}, selector: {{app: web}}, ports: [{{port: 80}}]}}" for i in range(1, services)]
    return "\n".join(lines) + "\n"


def apply_seconds(mode: str, services: int) -> tuple[float, float]:
    """`netlab apply` of the one-endpoint change: (whole command, its kernel work)."""
    with tempfile.NamedTemporaryFile("w", suffix=".yaml", delete=False) as f:
        f.write(generated(mode, services, moved=True))
    try:
        start = time.perf_counter()
        done = subprocess.run([sys.executable, "-m", "netlab", "apply", f.name, "--json"], capture_output=True,
                              text=True)
        whole = time.perf_counter() - start
    finally:
        os.unlink(f.name)
    if done.returncode != 0:
        sys.exit(f"bench-services: apply failed: {done.stderr}")
    return whole, float(json.loads(done.stdout)["kernel_seconds"])


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
        whole, kernel = apply_seconds(mode, services)
    finally:
        down.down(topology.name)
    return {"mode": mode, "services": str(services), "lines": str(rules), "build": f"{build:.2f}",
            "sync": f"{sync:.2f}", "median": f"{median:.0f}", "p99": f"{p99:.0f}", "apply": f"{whole:.2f}",
            "kernel": f"{kernel:.2f}"}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="100,1000,5000")
    parser.add_argument("--modes", default="iptables-legacy,iptables-nft,nftables,ipvs")
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
          f"ClusterIP (µs, {args.connections} connections), apply = one endpoint of one Service going: the whole "
          "`netlab apply` command (s) and its kernel work (s)\n")
    print("| mode | services | payload lines | build s | sync s | connect median µs | connect p99 µs | apply s "
          "| apply kernel s |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    for r in rows:
        print(f"| {r['mode']} | {r['services']} | {r['lines']} | {r['build']} | {r['sync']} | {r['median']} "
              f"| {r['p99']} | {r['apply']} | {r['kernel']} |")
    for line in skipped:
        print(f"\nnot measured here — {line}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
