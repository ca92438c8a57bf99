"""Benchmark: changing a lab that is up — `netlab apply` against tearing down and building again.

* one pod added to (then removed from) a lab of --pods pods on --nodes flannel-vxlan nodes, whose pods are
  endpoints of Services (one per 10 serving pods): the whole `netlab apply` command (Python start-up
  included), its time in the kernel, and `netlab down` + `netlab up` of the same file;
* a rolling update of a Deployment of --replicas replicas (its template's version changed), with new
  connections to its Service from a pod the whole time: how long, how many connections, how many failed.

Prints Markdown tables for docs/performance.md. Run as root: scripts/bench-apply [--pods 1000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from netlab import naming  # noqa: E402
from netlab.kernel import netns  # noqa: E402

NETLAB = [sys.executable, "-m", "netlab"]
SERVING = 10  # pods per Service


def lab(name: str, pods: int, nodes: int, serving: int, proxy: str, extra: bool) -> str:
    lines = [f"name: {name}", f"cluster: {{cni: flannel-vxlan, proxy: {proxy}}}", "nodes:"]
    lines += [f"  - {{name: node{i + 1}}}" for i in range(nodes)]
    lines += ["pods:"]
    lines += [f"  - {{name: web{i}, labels: {{app: s{i // SERVING}}}, serve: ['http:80']}}" for i in range(serving)]
    lines += [f"  - {{name: p{i}}}" for i in range(pods - serving)]
    if extra:  # the one pod the change adds: an endpoint of the first Service
        lines += ["  - {name: added, labels: {app: s0}, serve: ['http:80']}"]
    lines += ["services:"] + [f"  - {{name: s{i}, selector: {{app: s{i}}}, ports: [{{port: 80}}]}}"
                              for i in range(serving // SERVING)]
    return "\n".join(lines) + "\n"


def run(*args: str) -> tuple[float, str]:
    start = time.perf_counter()
    done = subprocess.run(NETLAB + list(args), capture_output=True, text=True, cwd=ROOT)
    if done.returncode != 0:
        sys.exit(f"bench: netlab {' '.join(args)} failed:\n{done.stderr}")
    return time.perf_counter() - start, done.stdout


def one_pod(args: argparse.Namespace, workdir: Path) -> list[dict[str, str]]:
    name = "bench-apply"
    base, grown = workdir / "base.yaml", workdir / "grown.yaml"
    base.write_text(lab(name, args.pods, args.nodes, args.serving, args.proxy, False))
    grown.write_text(lab(name, args.pods, args.nodes, args.serving, args.proxy, True))
    rows = []
    run("up", str(base))
    try:
        for what, path in (("add one pod (an endpoint)", grown), ("remove it", base)):
            whole, kernel, phases = [], [], []
            for _ in range(args.repeat):
                seconds, out = run("apply", str(path), "--json")
                result = json.loads(out)
                whole.append(seconds)
                kernel.append(result["kernel_seconds"])
                phases.append(result["phases"])
                run("apply", str(grown if path == base else base))  # and back, for the next round
            rebuild = []
            for _ in range(args.repeat):
                down_s, _ = run("down", name)
                up_s, _ = run("up", str(path))
                rebuild.append(down_s + up_s)
                run("down", name)
                run("up", str(grown if path == base else base))
            median = statistics.median
            rows.append({"change": what, "apply": f"{median(whole):.2f}", "kernel": f"{median(kernel) * 1000:.0f}",
                         "phases": ", ".join(f"{k} {median(p[k] for p in phases) * 1000:.0f}" for k in phases[0]),
                         "rebuild": f"{median(rebuild):.2f}"})
            print(f"  {rows[-1]}", file=sys.stderr)
    finally:
        run("down", name)
    return rows


class Traffic(threading.Thread):
    """New connections, one after the other, from a pod to a Service's address; each answer's version counted."""

    def __init__(self, lab_name: str, pod: str, address: str) -> None:
        super().__init__()
        self.ns, self.address = naming.netns(lab_name, pod), address
        self.ok, self.failed, self.stop = 0, 0, threading.Event()

    def run(self) -> None:
        while not self.stop.is_set():
            with netns.inside(self.ns):
                sock = socket.socket()
            try:
                sock.settimeout(2)
                sock.connect((self.address, 80))
                sock.sendall(b"GET / HTTP/1.1\r\nHost: web\r\n\r\n")
                data = b""
                while chunk := sock.recv(4096):
                    data += chunk
                json.loads(data.partition(b"\r\n\r\n")[2])["version"]  # noqa: B018 - the answer must be whole
                self.ok += 1
            except (OSError, ValueError, KeyError):
                self.failed += 1
            finally:
                sock.close()


def rollout(args: argparse.Namespace, workdir: Path) -> list[dict[str, str]]:
    rows = []
    for proxy in args.rollout_modes.split(","):
        name = f"bench-roll-{proxy[:3]}"

        def text(version: str, name: str = name, proxy: str = proxy) -> str:
            return (f"name: {name}\ncluster: {{cni: flannel-vxlan, proxy: {proxy}}}\n"
                    "nodes: [{name: node1}, {name: node2}]\npods:\n"
                    f"  - {{name: web, replicas: {args.replicas}, labels: {{app: web}}, serve: ['http:80'], "
                    f"version: {version}}}\n  - {{name: client, node: node1}}\n"
                    "services: [{name: web, selector: {app: web}, ports: [{port: 80}]}]\n")
        paths = {v: workdir / f"{name}-{v}.yaml" for v in ("v1", "v2")}
        for version, path in paths.items():
            path.write_text(text(version))
        run("up", str(paths["v1"]))
        runs = []
        try:
            for version in ("v2", "v1") * args.repeat:
                traffic = Traffic(name, "client", "10.96.0.11")
                traffic.start()
                time.sleep(0.2)
                seconds, out = run("apply", str(paths[version]), "--json")
                time.sleep(0.2)
                traffic.stop.set()
                traffic.join()
                runs.append((seconds, json.loads(out)["stages"], traffic.ok, traffic.failed))
                print(f"  {proxy}: {runs[-1]}", file=sys.stderr)
        finally:
            run("down", name)
        rows.append({"mode": proxy, "replicas": str(args.replicas), "runs": str(len(runs)),
                     "stages": str(statistics.median(r[1] for r in runs)),
                     "seconds": f"{statistics.median(r[0] for r in runs):.2f}",
                     "ok": str(sum(r[2] for r in runs)), "failed": str(sum(r[3] for r in runs))})
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pods", type=int, default=1000)
    parser.add_argument("--nodes", type=int, default=4)
    parser.add_argument("--serving", type=int, default=100, help="pods that serve, endpoints of Services")
    parser.add_argument("--proxy", default="iptables")
    parser.add_argument("--replicas", type=int, default=10)
    parser.add_argument("--rollout-modes", default="iptables,nftables")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    if os.geteuid() != 0:
        sys.exit("bench-apply: needs root (it builds real labs)")
    with tempfile.TemporaryDirectory(prefix="netlab-bench-apply-") as tmp:
        changes = one_pod(args, Path(tmp))
        rollouts = rollout(args, Path(tmp))
    print(f"kernel {os.uname().release}, {os.cpu_count()} CPUs; median of {args.repeat} runs\n")
    print(f"A lab of {args.pods} pods on {args.nodes} flannel-vxlan nodes, {args.serving} of them endpoints of "
          f"{args.serving // SERVING} Services (kube-proxy {args.proxy} mode). apply = the whole command (s); "
          "kernel = its changes in the kernel (ms, the new pod's server starting included); the rest of its "
          "time by phase (ms); rebuild = netlab down + netlab up of the same file (s).\n")
    print("| change | netlab apply s | kernel ms | phases ms | down + up s |")
    print("|---|---:|---:|---|---:|")
    for r in changes:
        print(f"| {r['change']} | {r['apply']} | {r['kernel']} | {r['phases']} | {r['rebuild']} |")
    print(f"\nRolling updates of {args.replicas} replicas (maxSurge and maxUnavailable 25 %), v1 to v2 and back, "
          "new connections to the Service all the while, one after the other, from a pod on node1: the median "
          "rollout, and the connections of all the runs together.\n")
    print("| kube-proxy mode | replicas | rollouts | stages | apply s | connections answered | connections failed |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for r in rollouts:
        print(f"| {r['mode']} | {r['replicas']} | {r['runs']} | {r['stages']} | {r['seconds']} | {r['ok']} "
              f"| {r['failed']} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
