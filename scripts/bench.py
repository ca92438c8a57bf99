"""Benchmark: build and tear down generated labs with `netlab up`/`down`, beside the same build done by the
shell script `netlab plan` renders (one `ip`/`sysctl`/`iptables-restore` command per object); and the
pod-to-pod throughput across nodes, flannel-vxlan against host-gw (iperf3 inside the pods).

Prints Markdown tables (median of --repeat runs) ready to paste into docs. Run as root:
    scripts/bench [--sizes 10,100] [--clusters 3x30,10x50] [--repeat 3] [--iperf-seconds 5]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
NETLAB = [sys.executable, "-m", "netlab"]


def generated_lab(name: str, pods: int) -> str:
    lines = [f"name: {name}", "cluster: {cni: docker-bridge}", "pods:"]
    lines += [f"  - name: p{i}" for i in range(pods)]
    return "\n".join(lines) + "\n"


def generated_cluster(name: str, nodes: int, pods: int, cni: str = "flannel-vxlan") -> str:
    lines = [f"name: {name}", f"cluster: {{cni: {cni}}}", "nodes:"]
    lines += [f"  - name: n{i}" for i in range(nodes)]
    lines += ["pods:"] + [f"  - name: p{i}" for i in range(pods)]  # spread round-robin over the nodes
    return "\n".join(lines) + "\n"


def throughput(cni: str, seconds: int, workdir: Path) -> float:
    """Gbit/s of one TCP stream from a pod on n0 to a pod on n1 (iperf3)."""
    lab = f"bench-{cni}"
    topo = workdir / f"{lab}.yaml"
    topo.write_text(generated_cluster(lab, 2, 2, cni))
    subprocess.run(NETLAB + ["up", str(topo)], capture_output=True, check=True)
    try:
        server = subprocess.Popen(["ip", "netns", "exec", f"netlab.{lab}.p1", "iperf3", "-s", "-1"],
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(0.3)
        done = subprocess.run(["ip", "netns", "exec", f"netlab.{lab}.p0", "iperf3", "-c", "10.244.1.2", "-J",
                               "-t", str(seconds)], capture_output=True, text=True, check=True)
        server.wait(timeout=10)
        return float(json.loads(done.stdout)["end"]["sum_received"]["bits_per_second"]) / 1e9
    finally:
        subprocess.run(NETLAB + ["down", lab], capture_output=True, check=True)


def timed(argv: list[str], **kw: object) -> float:
    start = time.perf_counter()
    done = subprocess.run(argv, capture_output=True, text=True, **kw)  # type: ignore[call-overload]
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        sys.exit(f"bench: {' '.join(argv[:4])} failed:\n{done.stderr}")
    return elapsed


def measure(label: str, text: str, lab: str, repeat: int, workdir: Path) -> dict[str, object]:
    topo = workdir / f"{lab}.yaml"
    topo.write_text(text)
    script = workdir / f"{lab}.sh"
    script.write_text(subprocess.run(NETLAB + ["plan", str(topo)], capture_output=True, text=True,
                                     check=True).stdout)
    env = {**os.environ, "NETLAB_PYTHON": sys.executable, "NETLAB_STATE": str(workdir / "state")}
    ups, downs, script_ups, script_downs = [], [], [], []
    for _ in range(repeat):
        ups.append(timed(NETLAB + ["up", str(topo)]))
        downs.append(timed(NETLAB + ["down", lab]))
        script_ups.append(timed(["bash", str(script)], env=env))
        # One command per object again: stop what runs in each namespace, then delete the namespace.
        script_downs.append(timed(["bash", "-c", "for n in $(ip netns list | awk '{print $1}' | grep '^netlab\\."
                                   + lab + "\\.'); do pids=$(ip netns pids $n); [ -z \"$pids\" ] || kill $pids;"
                                   " ip netns del $n; done"]))
        subprocess.run(NETLAB + ["down", lab], capture_output=True, check=True)  # removes the script's state dir
    plan = json.loads(subprocess.run(NETLAB + ["plan", str(topo), "--format", "json"], capture_output=True,
                                     text=True, check=True).stdout)
    namespaces = sum(1 for step in plan["steps"] if step["kind"] == "netns")
    return {"lab": label, "namespaces": namespaces, "up": statistics.median(ups), "down": statistics.median(downs),
            "script_up": statistics.median(script_ups), "script_down": statistics.median(script_downs)}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="10,100", help="pod counts of generated single-node labs")
    parser.add_argument("--clusters", default="3x30,10x50", help="flannel-vxlan labs, NODESxPODS_PER_NODE")
    parser.add_argument("--iperf-seconds", type=int, default=5, help="0 skips the throughput table")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    if os.geteuid() != 0:
        sys.exit("bench: needs root (it builds real labs)")
    rows = []
    with tempfile.TemporaryDirectory(prefix="netlab-bench-") as tmp:
        workdir = Path(tmp)
        docker = (ROOT / "topologies" / "docker-bridge.yaml").read_text().replace("name: docker-bridge",
                                                                                  "name: bench-docker")
        rows.append(measure("topologies/docker-bridge.yaml", docker, "bench-docker", args.repeat, workdir))
        for size in [int(s) for s in args.sizes.split(",") if s]:
            rows.append(measure(f"{size} pods, 1 node", generated_lab(f"bench-{size}", size), f"bench-{size}",
                                args.repeat, workdir))
        for spec in [c for c in args.clusters.split(",") if c]:
            nodes, per_node = (int(x) for x in spec.split("x"))
            name = f"bench-{nodes}x{per_node}"
            rows.append(measure(f"flannel-vxlan, {nodes} nodes × {per_node} pods", generated_cluster(
                name, nodes, nodes * per_node), name, args.repeat, workdir))
        speeds = {cni: throughput(cni, args.iperf_seconds, workdir) for cni in ("flannel-vxlan", "host-gw")} \
            if args.iperf_seconds else {}
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(f"netlab {subprocess.run(NETLAB + ['--version'], capture_output=True, text=True).stdout.split()[-1]}, "
          f"kernel {os.uname().release}, {os.cpu_count()} CPUs; median of {args.repeat} runs; wall-clock seconds "
          "of the whole command (Python start-up included)\n")
    print("| lab | namespaces | netlab up | netlab down | script (one command per object) up | script down"
          " (kill + ip netns del each) | up speed-up |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for r in rows:
        print(f"| {r['lab']} | {r['namespaces']} | {r['up']:.2f} | {r['down']:.2f} | {r['script_up']:.2f} | "
              f"{r['script_down']:.2f} | {float(r['script_up']) / float(r['up']):.1f}× |")  # type: ignore[arg-type]
    print(f"\npeak RSS of any child process (netlab up/down, bash, ip): {peak:.0f} MB")
    if speeds:
        print(f"\npod → pod across two nodes, one TCP stream, iperf3 -t {args.iperf_seconds}:\n")
        print("| cni | pod MTU | Gbit/s |\n|---|---:|---:|")
        print(f"| flannel-vxlan (VXLAN, UDP 8472) | 1450 | {speeds['flannel-vxlan']:.2f} |")
        print(f"| host-gw (plain routing) | 1500 | {speeds['host-gw']:.2f} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
