"""How long `netlab graph` takes as a lab grows: building the diagram from the plan, writing Mermaid and DOT,
and Graphviz laying out the SVG. No root: nothing is built. Prints a Markdown table."""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench import generated_cluster  # noqa: E402

from netlab.compile import compile_plan  # noqa: E402
from netlab.render import graph  # noqa: E402
from netlab.topology import load_topology_text  # noqa: E402

SIZES = ((2, 6), (5, 50), (10, 200), (20, 500))  # (nodes, pods), each pod group behind a Service


def seconds(work: Callable[[], object]) -> float:
    start = time.perf_counter()
    work()
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--no-svg", action="store_true", help="leave out Graphviz's layout")
    args = parser.parse_args()
    print("| nodes | pods | services | boxes | edges | diagram s | mermaid s | dot s | svg s | svg KB |")
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for nodes, pods in SIZES:
        t = load_topology_text(generated_cluster(f"graph-{pods}", nodes, pods, services=True))
        plan = compile_plan(t)
        d = graph.diagram(t, plan)
        svg = ""

        def lay_out() -> None:
            nonlocal svg
            svg = graph.to_svg(d)

        cells = [seconds(lambda: graph.diagram(t, plan)), seconds(lambda: graph.to_mermaid(d)),
                 seconds(lambda: graph.to_dot(d))]
        svg_s = "-" if args.no_svg else f"{seconds(lay_out):.2f}"
        print(f"| {nodes} | {pods} | {len(t.services)} | {len(d.boxes())} | {len(d.edges)} | "
              + " | ".join(f"{c:.3f}" for c in cells) + f" | {svg_s} | {len(svg) // 1024 if svg else '-'} |")


if __name__ == "__main__":
    main()
