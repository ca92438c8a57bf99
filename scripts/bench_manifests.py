"""How long reading a lab takes when it is written as Kubernetes manifests rather than netlab's keys: the same
pods and Services both ways, loaded and validated (no root, nothing built). Prints a Markdown table for
docs/manifests.md. Usage: scripts/bench-manifests [--sizes 100,1000,3000] [--runs 5]"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from netlab.compile import compile_plan  # noqa: E402
from netlab.topology import load_topology_text  # noqa: E402



def head(n: int) -> str:
    """A cluster with a node for every 200 pods (a node's /24 holds 253)."""
    nodes = ", ".join(f"{{name: node{i + 1}}}" for i in range(max(1, -(-n // 200))))
    return f"name: bench\ncluster: {{cni: flannel-vxlan, dns: none}}\nnodes: [{nodes}]\n"


def as_keys(n: int) -> str:
    pods = "".join(f"  - {{name: web{i}, labels: {{app: web{i % 50}}}, serve: ['http:80']}}\n" for i in range(n))
    services = "".join(f"  - {{name: web{i}, selector: {{app: web{i}}}, ports: [{{port: 80}}]}}\n" for i in range(50))
    return head(n) + "pods:\n" + pods + "services:\n" + services


def as_manifests(n: int) -> str:
    docs = [head(n)]
    for i in range(n):
        docs.append(f"apiVersion: v1\nkind: Pod\nmetadata:\n  name: web{i}\n  labels: {{app: web{i % 50}}}\nspec:\n"
                    f"  containers:\n  - name: web\n    image: nginx:1.27\n    ports: [{{containerPort: 80}}]\n")
    for i in range(50):
        docs.append(f"apiVersion: v1\nkind: Service\nmetadata: {{name: web{i}}}\nspec:\n  selector: {{app: web{i}}}\n"
                    "  ports: [{port: 80}]\n")
    return "---\n".join(docs)


def timed(text: str, runs: int) -> float:
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        load_topology_text(text, "bench.yaml")
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="100,1000,3000")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    print("| pods (+ 50 Services) | netlab's keys (ms) | manifests (ms) | same plan |")
    print("|---:|---:|---:|---|")
    for n in (int(s) for s in args.sizes.split(",")):
        keys, manifests = as_keys(n), as_manifests(n)
        same = compile_plan(load_topology_text(keys)).to_json() == compile_plan(load_topology_text(manifests)).to_json()
        print(f"| {n} | {timed(keys, args.runs) * 1000:.0f} | {timed(manifests, args.runs) * 1000:.0f} | "
              f"{'yes' if same else 'NO'} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
