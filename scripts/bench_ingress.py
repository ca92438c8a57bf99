"""Ingress benchmark: HTTP requests per second and latency from a pod, with wrk (Debian's).

Two paths to the same two echo pods, from the same client pod of a two-node flannel-vxlan lab:
  ingress    the controller's ClusterIP with Host shop.example.com: kube-proxy DNATs to the controller pod,
             nginx matches server and location and opens a new connection to a web pod
  ClusterIP  the web Service's ClusterIP: kube-proxy DNATs straight to a web pod
wrk keeps its connections open; nginx keeps the client's open too, and opens one to a pod per request (the echo
server closes after each answer), as the ClusterIP path does. The load is bounded: a few seconds, a few
connections. The lab goes down whatever happens.
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).parents[1]
sys.path.insert(0, str(ROOT))

from netlab import naming  # noqa: E402
from netlab.compile import compile_plan  # noqa: E402
from netlab.lifecycle import down, up  # noqa: E402
from netlab.topology import load_topology_text  # noqa: E402

NAME = "bench-ing"


def lab_text() -> str:
    text = (ROOT / "topologies" / "ingress.yaml").read_text().replace("name: ingress", f"name: {NAME}")
    return text.replace("  - {name: api1,", "  - {name: load1, node: node1}\n  - {name: api1,")


def wrk(url: str, host: str, seconds: int, connections: int) -> dict[str, float]:
    done = subprocess.run(["ip", "netns", "exec", naming.netns(NAME, "load1"), "wrk", "-t", "2", "-c",
                           str(connections), "-d", f"{seconds}s", "--latency", "-H", f"Host: {host}", url],
                          capture_output=True, text=True, timeout=seconds + 30, check=True)
    out = done.stdout
    figures = {"rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))}  # type: ignore[union-attr]
    for percent in ("50", "99"):
        value, unit = re.search(rf"^\s+{percent}%\s+([\d.]+)(us|ms|s)", out, re.M).groups()  # type: ignore[union-attr]
        figures[f"p{percent}"] = float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)|Socket errors: (.*)", out)
    if errors:
        raise SystemExit(f"bench: wrk saw errors:\n{out}")
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=5)
    parser.add_argument("--connections", type=int, default=8)
    args = parser.parse_args()
    text = lab_text()
    t = load_topology_text(text)
    controller = next(s for s in t.services if s.name == "ingress-nginx-controller")
    web = next(s for s in t.services if s.name == "web")
    up.up(compile_plan(t), model=t, source="bench", topology_text=text)
    try:
        rows = [("ingress (nginx)", wrk(f"http://{controller.cluster_ip}/", "shop.example.com", args.seconds,
                                        args.connections)),
                ("ClusterIP", wrk(f"http://{web.cluster_ip}/", str(web.cluster_ip), args.seconds,
                                  args.connections))]
    finally:
        down.down(NAME)
    print(f"wrk from a pod, {args.connections} connections, {args.seconds} s each, to two echo pods:\n")
    print("| path | requests/s | p50 ms | p99 ms |")
    print("|---|---:|---:|---:|")
    for what, f in rows:
        print(f"| {what} | {f['rps']:.0f} | {f['p50']:.2f} | {f['p99']:.2f} |")


if __name__ == "__main__":
    main()
