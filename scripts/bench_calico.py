"""Benchmark: Calico's BGP with BIRD (no encapsulation, so BIRD installs every route).

* convergence: `netlab up` of N nodes (one pod each) — which returns once every BGP session is Established
  and every route BIRD is to install is in the kernel — with the node-to-node mesh and with two route
  reflectors: the seconds, the sessions per node (the most any node has) and the routes BIRD installs per node;
* withdrawal: BIRD killed on one node of three (`netlab fault stop-bgp`, as when calico-node dies): the
  seconds until the other nodes' session is down, and until they no longer route to its block (graceful
  restart keeps it as a stale route meanwhile).

Prints Markdown tables for docs/calico.md. Run as root: scripts/bench-calico [--nodes 3,10,25,50]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from netlab import naming  # noqa: E402
from netlab.features.calico import bird  # noqa: E402
from netlab.kernel import netns  # noqa: E402
from netlab.lifecycle import down  # noqa: E402

NAME = "bench-calico"
NETLAB = [sys.executable, "-m", "netlab"]


def lab(nodes: int, reflectors: bool) -> str:
    calico = "{encapsulation: None, routeReflectors: [node1, node2]}" if reflectors else "{encapsulation: None}"
    lines = [f"name: {NAME}", f"cluster: {{cni: calico, dns: none, proxy: none, calico: {calico}}}", "nodes:"]
    lines += [f"  - {{name: node{i + 1}}}" for i in range(nodes)]
    lines += ["pods:"] + [f"  - {{name: p{i + 1}, node: node{i + 1}}}" for i in range(nodes)]
    return "\n".join(lines) + "\n"


def sessions(node: str) -> dict[str, str]:
    socket = f"/run/netlab/{NAME}/calico/{node}/bird.ctl"
    shown = netns.run(naming.netns(NAME, node), bird.control(socket, "show protocols")).stdout
    return {k: v for k, v in bird.protocol_states(shown).items() if k.startswith(("Mesh_", "Node_"))}


def bird_routes(node: str) -> int:
    out = netns.run(naming.netns(NAME, node), ["ip", "-j", "route", "show", "proto", "bird"]).stdout
    return len(json.loads(out or "[]"))


def converge(nodes: int, reflectors: bool, folder: Path) -> tuple[float, int, int]:
    path = folder / f"{nodes}-{reflectors}.yaml"
    path.write_text(lab(nodes, reflectors))
    start = time.monotonic()
    subprocess.run([*NETLAB, "up", str(path)], check=True, capture_output=True, cwd=ROOT)
    seconds = time.monotonic() - start
    try:
        names = [f"node{i + 1}" for i in range(nodes)]
        most = max(len(sessions(n)) for n in names)
        routes = max(bird_routes(n) for n in names)
    finally:
        down.down(NAME)
    return seconds, most, routes


def withdrawal(folder: Path) -> tuple[float, float]:
    path = folder / "withdraw.yaml"
    path.write_text(lab(3, False))
    subprocess.run([*NETLAB, "up", str(path)], check=True, capture_output=True, cwd=ROOT)
    try:
        block = json.loads(netns.run(naming.netns(NAME, "node1"), ["ip", "-j", "route", "show", "proto", "bird",
                                                                    "via", "192.168.56.13"]).stdout)[0]["dst"]
        start = time.monotonic()
        subprocess.run([*NETLAB, "fault", NAME, "stop-bgp", "node3"], check=True, capture_output=True, cwd=ROOT)
        down_at = gone_at = None
        while gone_at is None and time.monotonic() - start < 400:
            now = time.monotonic() - start
            if down_at is None and sessions("node1").get("Mesh_192_168_56_13") != "Established":
                down_at = now
            if not json.loads(netns.run(naming.netns(NAME, "node1"), ["ip", "-j", "route", "show", "exact",
                                                                       block]).stdout or "[]"):
                gone_at = now
            time.sleep(0.2)
        return down_at or float("nan"), gone_at or float("nan")
    finally:
        down.down(NAME)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--nodes", default="3,10,25,50", help="lab sizes, comma-separated")
    parser.add_argument("--no-withdrawal", action="store_true", help="skip the ~2-minute withdrawal run")
    args = parser.parse_args()
    sizes = [int(n) for n in args.nodes.split(",")]
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        print("| nodes | BGP | `up` until converged (s) | sessions per node | routes BIRD installs per node |")
        print("|---:|---|---:|---:|---:|")
        for n in sizes:
            for reflectors in (False, True):
                seconds, most, routes = converge(n, reflectors, folder)
                shape = "two route reflectors" if reflectors else "full mesh"
                print(f"| {n} | {shape} | {seconds:.1f} | {most} | {routes} |", flush=True)
        if not args.no_withdrawal:
            down_at, gone_at = withdrawal(folder)
            print("\n| BIRD killed on node3 of 3 | seconds |\n|---|---:|")
            print(f"| node1's session to node3 is down | {down_at:.1f} |")
            print(f"| node1 no longer routes to node3's block | {gone_at:.1f} |")


if __name__ == "__main__":
    main()
