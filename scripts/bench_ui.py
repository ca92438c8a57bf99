"""How fast `netlab ui` shows a trace: from the click on the destination to the path drawn and the hops listed,
measured by the page itself (performance.now()), in Debian's chromium, on labs that are up and warm (one trace
first, not counted). Also the server's share (the trace alone) and the time to draw the diagram. Needs root."""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from netlab.compile import compile_plan  # noqa: E402
from netlab.lifecycle import down, up  # noqa: E402
from netlab.topology import load_topology_text  # noqa: E402
from tests.ui_harness import browser, running, wait_for  # noqa: E402

CASES = (("services-iptables", "b_client1", "s_web"), ("netpol", "b_frontend", "s_api"),
         ("flannel-vxlan", "b_client1", "b_web2"), ("calico-bgp", "b_client1", "b_web2"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()
    print("| lab | click → trace shown, median ms | p90 ms | server's trace, median ms | diagram drawn ms |")
    print("|---|---:|---:|---:|---:|")
    with browser() as driver:
        for topology, source, target in CASES:
            name = f"bench-ui-{topology}"[:20].rstrip("-")
            text = (ROOT / "topologies" / f"{topology}.yaml").read_text().replace(f"name: {topology}", f"name: {name}")
            t = load_topology_text(text)
            if source not in {"b_" + p.name.replace("-", "_") for p in t.pods}:
                continue
            up.up(compile_plan(t), model=t, source="bench", topology_text=text)
            try:
                time.sleep(3 if topology.startswith("calico") else 0.5)  # BGP sessions come up
                with running(name) as ui:
                    start = time.perf_counter()
                    driver.get(ui.url)
                    wait_for(driver, "document.body.dataset.ready")
                    drawn = (time.perf_counter() - start) * 1000
                    shown, server = [], []
                    for run in range(args.runs + 1):
                        driver.execute_script("delete document.body.dataset.traceMs")
                        driver.find_element("css selector", f'g.node[data-box="{source}"]').click()
                        driver.find_element("css selector", f'g.node[data-box="{target}"]').click()
                        ms = float(wait_for(driver, "document.body.dataset.traceMs"))
                        said = driver.find_element("css selector", "#trace-out p.predicted:last-child").text
                        if run:  # the first one warms the caches
                            shown.append(ms)
                            server.append(float(said.split()[2]))
                    driver.get("about:blank")
                p90 = sorted(shown)[int(len(shown) * 0.9) - 1]
                print(f"| {topology} | {statistics.median(shown):.0f} | {p90:.0f} | {statistics.median(server):.0f} |"
                      f" {drawn:.0f} |", flush=True)
            finally:
                down.down(name)


if __name__ == "__main__":
    main()
