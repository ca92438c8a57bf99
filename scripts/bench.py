"""Benchmark: build and tear down generated labs with `netlab up`/`down`, beside the same build done by the
shell script `netlab plan` renders (one `ip`/`sysctl`/`iptables-restore` command per object).

Prints one Markdown table (median of --repeat runs) ready to paste into docs. Run as root:
    scripts/bench [--sizes 10,100] [--repeat 3]
"""

from __future__ import annotations

import argparse
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
    namespaces = text.count("- name:") + 3 if "pods:" in text else 0
    return {"lab": label, "namespaces": namespaces, "up": statistics.median(ups), "down": statistics.median(downs),
            "script_up": statistics.median(script_ups), "script_down": statistics.median(script_downs)}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="10,100", help="pod counts of generated single-node labs")
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
        rows[-1]["namespaces"] = 6
        for size in [int(s) for s in args.sizes.split(",") if s]:
            rows.append(measure(f"{size} pods, 1 node", generated_lab(f"bench-{size}", size), f"bench-{size}",
                                args.repeat, workdir))
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
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
