"""Benchmark: build and tear down generated labs, side by side in one run, four ways:

* netlab `up` / `down` (the whole command, Python start-up included);
* the shell script `netlab plan` renders: one `ip` / `sysctl` / `iptables-restore` command per object;
* a minimal raw-netlink script (scripts/bench_rawnetlink.py: pyroute2, one call per step, one thread);
* Mininet 2.3 (Debian's package, scripts/bench_mininet.py): the same number of hosts on one Linux bridge,
  no controller, run inside a namespace of its own so that its switch never touches the host.

Sizes: N pods on one node (docker-bridge: N namespaces each with a veth into docker0), and flannel-vxlan
clusters of NODES x PODS with Services (one per 10 pods). Also reports the peak RSS of the netlab process and,
with --iperf-seconds, pod-to-pod throughput across nodes (flannel-vxlan against host-gw).

Prints Markdown tables (median of --repeat runs) ready to paste into docs/performance.md. Run as root:
    scripts/bench [--sizes 10,100,500,1000] [--clusters 10x100] [--repeat 3] [--iperf-seconds 0] [--no-mininet]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
NETLAB = [sys.executable, "-m", "netlab"]
MININET_PYTHON = "/usr/bin/python3"  # Debian's mininet package installs for the system interpreter
MININET_NETNS = "netlab-bench-mininet"
PODS_PER_SERVICE = 10


def generated_lab(name: str, pods: int) -> str:
    # No name server (dns: none): the raw-netlink baseline builds links, not daemons.
    lines = [f"name: {name}", "cluster: {cni: docker-bridge, dns: none}", "pods:"]
    lines += [f"  - name: p{i}" for i in range(pods)]
    return "\n".join(lines) + "\n"


def generated_cluster(name: str, nodes: int, pods: int, cni: str = "flannel-vxlan", services: bool = False) -> str:
    # No cluster DNS (dns: none): the figures are the pods' and kube-proxy's, comparable with earlier ones.
    lines = [f"name: {name}", f"cluster: {{cni: {cni}, dns: none}}"]
    if nodes > 240:  # the default underlay, a /24, holds nodes .11 to .254
        lines += ["underlay: {subnet: 192.168.48.0/20}"]
    lines += ["nodes:"] + [f"  - name: n{i}" for i in range(nodes)]
    if not services:
        lines += ["pods:"] + [f"  - name: p{i}" for i in range(pods)]  # spread round-robin over the nodes
        return "\n".join(lines) + "\n"
    # Each Service selects PODS_PER_SERVICE pods, spread over the nodes: kube-proxy's rules on every node.
    lines += ["pods:"] + [f"  - {{name: p{i}, labels: {{app: s{i // PODS_PER_SERVICE}}}}}" for i in range(pods)]
    lines += ["services:"] + [f"  - {{name: s{k}, selector: {{app: s{k}}}, ports: [{{port: 80}}]}}"
                              for k in range(pods // PODS_PER_SERVICE)]
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


def run_measured(argv: list[str], env: dict[str, str] | None = None) -> tuple[float, float, str]:
    """(wall-clock seconds, peak RSS of the process in MB, stdout) of one command, which must succeed."""
    start = time.perf_counter()
    child = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
    # wait4 gives this child's own resource usage (RUSAGE_CHILDREN would be the maximum over all of them).
    assert child.stdout is not None and child.stderr is not None
    out, err = child.stdout.read(), child.stderr.read()
    _, status, usage = os.wait4(child.pid, 0)
    elapsed = time.perf_counter() - start
    child.returncode = os.waitstatus_to_exitcode(status)
    if child.returncode != 0:
        sys.exit(f"bench: {' '.join(argv[:4])} failed:\n{(err or out).decode(errors='replace')}")
    return elapsed, usage.ru_maxrss / 1024, out.decode(errors="replace")


def settle(limit: float = 60.0) -> float:
    """Waits until the CPUs are idle again; returns how long that took.

    Deleting a namespace returns at once, but the kernel frees it (its links, routes, sysctl tables) later,
    in a worker thread. Measuring the next build while that runs would charge one tool for another's
    teardown, so every measurement starts on a quiet machine, and `down`'s deferred cost is reported too.
    """
    start = time.perf_counter()
    while time.perf_counter() - start < limit:
        before = _idle_ticks()
        time.sleep(0.25)
        if _idle_ticks() - before >= 0.9 * 0.25 * os.sysconf("SC_CLK_TCK") * (os.cpu_count() or 1):
            break
    return time.perf_counter() - start


def _idle_ticks() -> int:
    with open("/proc/stat") as f:
        return int(f.readline().split()[4])


def teardown_script_lab(lab: str) -> float:
    """What the script's user would do: per namespace, stop what runs in it and delete it (one command each)."""
    start = time.perf_counter()
    subprocess.run(["bash", "-c", "for n in $(ip netns list | awk '{print $1}' | grep '^netlab\\." + lab + "\\.'); "
                    "do pids=$(ip netns pids $n); [ -z \"$pids\" ] || kill $pids; ip netns del $n; done"], check=True)
    return time.perf_counter() - start


def mininet_available() -> bool:
    return shutil.which("mnexec") is not None and shutil.which("brctl") is not None and Path(MININET_PYTHON).exists()


def mininet(hosts: int) -> tuple[float, float]:
    """Mininet's (up, down) seconds for `hosts` hosts on one Linux bridge, in a namespace of its own."""
    subprocess.run(["ip", "netns", "add", MININET_NETNS], check=True)
    try:
        _, _, out = run_measured(["ip", "netns", "exec", MININET_NETNS, MININET_PYTHON,
                                  str(ROOT / "scripts" / "bench_mininet.py"), str(hosts)])
        result = json.loads(out.strip().splitlines()[-1])
        return float(result["up"]), float(result["down"])
    finally:
        subprocess.run(["ip", "netns", "del", MININET_NETNS], check=False)


def median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


def measure(label: str, text: str, lab: str, args: argparse.Namespace, workdir: Path, *, pods: int,
            baselines: bool) -> dict[str, object]:
    topo = workdir / f"{lab}.yaml"
    topo.write_text(text)
    script = workdir / f"{lab}.sh"
    script.write_text(subprocess.run(NETLAB + ["plan", str(topo)], capture_output=True, text=True,
                                     check=True).stdout)
    plan_json = workdir / f"{lab}.json"
    plan_json.write_text(subprocess.run(NETLAB + ["plan", str(topo), "--format", "json"], capture_output=True,
                                        text=True, check=True).stdout)
    plan = json.loads(plan_json.read_text())
    env = {**os.environ, "NETLAB_PYTHON": sys.executable, "NETLAB_STATE": str(workdir / "state")}
    r: dict[str, list[float]] = {k: [] for k in ("up", "down", "down_done", "rss", "script_up", "script_down",
                                                 "raw_up", "mn_up", "mn_down")}
    for _ in range(args.repeat):
        settle()
        up_seconds, rss, _ = run_measured(NETLAB + ["up", str(topo)])
        r["up"].append(up_seconds)
        r["rss"].append(rss)
        down_seconds = run_measured(NETLAB + ["down", lab])[0]
        r["down"].append(down_seconds)
        r["down_done"].append(down_seconds + settle())
        r["script_up"].append(run_measured(["bash", str(script)], env=env)[0])
        r["script_down"].append(teardown_script_lab(lab))
        subprocess.run(NETLAB + ["down", lab], capture_output=True, check=True)  # the script's state dir
        if baselines:
            settle()
            r["raw_up"].append(run_measured([sys.executable, str(ROOT / "scripts" / "bench_rawnetlink.py"),
                                             str(plan_json)])[0])
            subprocess.run(NETLAB + ["down", lab], capture_output=True, check=True)
            if args.mininet:
                settle()
                mn_up, mn_down = mininet(pods)
                r["mn_up"].append(mn_up)
                r["mn_down"].append(mn_down)
    namespaces = sum(1 for step in plan["steps"] if step["kind"] == "netns")
    return {"lab": label, "pods": pods, "namespaces": namespaces,
            **{k: median(v) for k, v in r.items() if k != "rss"}, "rss": max(r["rss"])}


def ratio(a: object, b: object) -> str:
    x, y = float(a), float(b)  # type: ignore[arg-type]
    return "–" if x != x or y != y else f"{x / y:.1f}×"


def seconds(value: object) -> str:
    v = float(value)  # type: ignore[arg-type]
    return "–" if v != v else f"{v:.2f}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="10,100,500,1000", help="pod counts of generated single-node labs")
    parser.add_argument("--clusters", default="10x100", help="flannel-vxlan labs with Services, NODESxPODS_PER_NODE")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--iperf-seconds", type=int, default=0, help="pod-to-pod throughput; 0 skips it")
    parser.add_argument("--no-mininet", dest="mininet", action="store_false", help="skip the Mininet baseline")
    args = parser.parse_args()
    if os.geteuid() != 0:
        sys.exit("bench: needs root (it builds real labs)")
    if args.mininet and not mininet_available():
        sys.exit("bench: Mininet is not installed (apt-get install mininet bridge-utils), or pass --no-mininet")
    single, clusters = [], []
    with tempfile.TemporaryDirectory(prefix="netlab-bench-") as tmp:
        workdir = Path(tmp)
        for size in [int(s) for s in args.sizes.split(",") if s]:
            single.append(measure(f"{size} pods", generated_lab(f"bench-{size}", size), f"bench-{size}", args,
                                  workdir, pods=size, baselines=True))
        for spec in [c for c in args.clusters.split(",") if c]:
            nodes, per_node = (int(x) for x in spec.split("x"))
            name = f"bench-{nodes}x{per_node}"
            text = generated_cluster(name, nodes, nodes * per_node, services=True)
            clusters.append(measure(f"flannel-vxlan, {nodes} nodes × {per_node} pods, "
                                    f"{nodes * per_node // PODS_PER_SERVICE} Services", text, name, args, workdir,
                                    pods=nodes * per_node, baselines=False))
        speeds = {cni: throughput(cni, args.iperf_seconds, workdir) for cni in ("flannel-vxlan", "host-gw")} \
            if args.iperf_seconds else {}
    version = subprocess.run(NETLAB + ["--version"], capture_output=True, text=True).stdout.split()[-1]
    print(f"netlab {version}, kernel {os.uname().release}, {os.cpu_count()} CPUs; median of {args.repeat} runs; "
          "wall-clock seconds of each whole command (interpreter start-up included)\n")
    print("| pods | namespaces | netlab up | netlab down | (kernel done) | script up | script down | raw netlink up "
          "| Mininet up | Mininet down | up vs Mininet | up vs script | up vs raw netlink | down vs Mininet "
          "| up ms/pod | netlab peak RSS MB |")
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for r in single:
        print(f"| {r['pods']} | {r['namespaces']} | {seconds(r['up'])} | {seconds(r['down'])} | "
              f"{seconds(r['down_done'])} | "
              f"{seconds(r['script_up'])} | {seconds(r['script_down'])} | {seconds(r['raw_up'])} | "
              f"{seconds(r['mn_up'])} | {seconds(r['mn_down'])} | {ratio(r['mn_up'], r['up'])} | "
              f"{ratio(r['script_up'], r['up'])} | {ratio(r['raw_up'], r['up'])} | {ratio(r['mn_down'], r['down'])} | "
              f"{1000 * float(r['up']) / int(r['pods']):.2f} | {float(r['rss']):.0f} |")  # type: ignore[arg-type]
    if clusters:
        print("\n| lab | namespaces | netlab up | netlab down | (kernel done) | script up | script down | up vs script "
              "| up ms/pod | netlab peak RSS MB |")
        print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
        for r in clusters:
            print(f"| {r['lab']} | {r['namespaces']} | {seconds(r['up'])} | {seconds(r['down'])} | "
                  f"{seconds(r['down_done'])} | "
                  f"{seconds(r['script_up'])} | {seconds(r['script_down'])} | {ratio(r['script_up'], r['up'])} | "
                  f"{1000 * float(r['up']) / int(r['pods']):.2f} | {float(r['rss']):.0f} |")  # type: ignore[arg-type]
    if speeds:
        print(f"\npod → pod across two nodes, one TCP stream, iperf3 -t {args.iperf_seconds}:\n")
        print("| cni | pod MTU | Gbit/s |\n|---|---:|---:|")
        print(f"| flannel-vxlan (VXLAN, UDP 8472) | 1450 | {speeds['flannel-vxlan']:.2f} |")
        print(f"| host-gw (plain routing) | 1500 | {speeds['host-gw']:.2f} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
