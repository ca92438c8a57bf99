"""Cluster DNS benchmark: queries per second and latency from a pod, with dnsperf (Debian).

Three paths to the same records, from the same client pod of a one-node flannel-vxlan lab:
  kube-dns    the pod's own name server, 10.96.0.10: kube-proxy DNATs each query to one of the two coredns pods
  coredns pod straight to one coredns pod's address: the veth and bridge, no DNAT
  bare server an unbound with the same configuration and records inside the client's own namespace (loopback)
Latency percentiles come from dnsperf -v, which prints each answer's latency. Then the ndots:5 lesson: how
many queries the coredns pods receive for one `getent hosts outside.example.com` from the pod (unbound's
own counters). Everything it starts is stopped by its PID, and the lab goes down, whatever happens.
"""

from __future__ import annotations

import argparse
import os
import re
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).parents[1]
sys.path.insert(0, str(ROOT))

from netlab import naming, state  # noqa: E402
from netlab.compile import compile_plan  # noqa: E402
from netlab.features.dns import unbound  # noqa: E402
from netlab.lifecycle import down, up  # noqa: E402
from netlab.plan import STATE, Records  # noqa: E402
from netlab.topology import load_topology_text  # noqa: E402

LAB = """\
name: bench-dns
cluster: {cni: flannel-vxlan, proxy: iptables}
nodes: [{name: node1}]
pods:
  - {name: web, replicas: 2, labels: {app: web}, serve: ["http:80"]}
  - {name: client, node: node1}
services: [{name: web, selector: {app: web}, ports: [{name: http, port: 80}]}]
internet: {hosts: [{name: outside}]}
"""
NAME = "web.default.svc.cluster.local"


def ns_exec(lab: str, where: str, *argv: str, **kw: object) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["ip", "netns", "exec", naming.netns(lab, where), *argv], capture_output=True,
                          text=True, check=False, **kw)  # type: ignore[call-overload]


def dnsperf(lab: str, server: str, seconds: int, clients: int) -> dict[str, float]:
    with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False) as f:
        f.write(f"{NAME} A\n")
    try:
        done = ns_exec(lab, "client", "dnsperf", "-s", server, "-d", f.name, "-l", str(seconds), "-c",
                       str(clients), "-v", timeout=seconds + 30)
    finally:
        os.unlink(f.name)
    qps = float(re.search(r"Queries per second:\s+([\d.]+)", done.stdout)[1])  # type: ignore[index]
    lost = re.search(r"Queries lost:\s+(\d+)", done.stdout)
    latencies = sorted(float(m) for m in re.findall(r"^> NOERROR .* ([\d.]+)$", done.stdout, re.M))
    q = statistics.quantiles(latencies, n=100) if len(latencies) > 100 else [0.0] * 99
    return {"qps": qps, "p50": q[49] * 1000, "p99": q[98] * 1000, "lost": float(lost[1]) if lost else 0.0}


def queries_seen(lab: str, servers: list[tuple[str, str]]) -> int:
    total = 0
    for where, conf in servers:
        out = ns_exec(lab, where, *unbound.control(conf, "stats")).stdout  # stats resets the counters
        total += int(re.search(r"^total\.num\.queries=(\d+)$", out, re.M)[1])  # type: ignore[index]
    return total


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=int, default=10, help="per row (default 10)")
    parser.add_argument("--clients", type=int, default=4, help="dnsperf's simulated clients (default 4)")
    args = parser.parse_args()
    if os.geteuid() != 0:
        print("bench-dns: needs root (it builds a lab)", file=sys.stderr)
        return 3
    t = load_topology_text(LAB)
    plan = compile_plan(t)
    up.up(plan, model=t, source="bench", topology_text=LAB)
    bare: subprocess.Popen[str] | None = None
    try:
        coredns = [p for p in t.pods if p.workload == "cluster-dns"]
        first = naming.netns(t.name, coredns[0].name)
        records = next(s for s in plan.steps if isinstance(s, Records) and s.netns == first)
        lab_dir = state.LabState(t.name).dir
        (lab_dir / "bench").mkdir(exist_ok=True)
        conf = lab_dir / "bench" / "unbound.conf"
        served = Path(records.config.replace(STATE, str(lab_dir))).read_text()
        conf.write_text(served.replace("interface: 0.0.0.0", "interface: 127.0.0.53")
                        .replace("control-port: 8953", "control-port: 8954"))
        bare = subprocess.Popen(["ip", "netns", "exec", naming.netns(t.name, "client"), "unbound", "-d", "-p", "-c",
                                 str(conf)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, text=True)
        time.sleep(1.0)
        for argv, stdin in unbound.reload(str(conf), records.payload):
            ns_exec(t.name, "client", *argv, input=stdin)
        rows = [("kube-dns 10.96.0.10 (kube-proxy DNAT)", "10.96.0.10"),
                (f"a coredns pod {coredns[0].ip.ip} (no DNAT)", str(coredns[0].ip.ip)),
                ("bare unbound in the client's namespace (loopback)", "127.0.0.53")]
        print(f"| path ({NAME} A, dnsperf -c {args.clients}, {args.seconds} s) | queries/s | p50 ms | p99 ms | lost |")
        print("|---|---:|---:|---:|---:|")
        for label, server in rows:
            r = dnsperf(t.name, server, args.seconds, args.clients)
            print(f"| {label} | {r['qps']:,.0f} | {r['p50']:.2f} | {r['p99']:.2f} | {r['lost']:.0f} |", flush=True)
        servers = [(p.name, next(s.config.replace(STATE, str(lab_dir)) for s in plan.steps
                                 if isinstance(s, Records) and s.netns == naming.netns(t.name, p.name)))
                   for p in coredns]
        queries_seen(t.name, servers)
        for name in ("outside.example.com", "outside.example.com."):
            ns_exec(t.name, "client", "getent", "hosts", name)
            print(f"\n`getent hosts {name}` from the pod: {queries_seen(t.name, servers)} queries reached the "
                  "coredns pods", flush=True)
    finally:
        if bare is not None:
            bare.send_signal(signal.SIGTERM)
            try:
                bare.wait(5)
            except subprocess.TimeoutExpired:
                bare.kill()
        down.down(t.name)
    return 0


if __name__ == "__main__":
    sys.exit(main())
