"""`netlab ui` on every shipped topology, as a file (no root): the page's data — every pod a box on the diagram,
every hop of a predicted trace on a box — and the page itself in headless chromium."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from netlab.topology import load_topology
from netlab.ui.lab import LabView
from tests.ui_harness import ROOT, browser, running, screenshot, wait_for

SHIPPED = sorted(p for p in (ROOT / "topologies").rglob("*.yaml"))
IDS = [str(p.relative_to(ROOT / "topologies")) for p in SHIPPED]


def pod_boxes(view: LabView) -> dict[str, str]:
    """Each pod of the lab → the box the diagram draws it as."""
    data = view.diagram()
    t = load_topology(view.source)
    found = {}
    for pod in t.pods:
        found[pod.name] = data["members"].get(pod.name) or next(
            (box_id for box_id, box in data["boxes"].items() if box["lines"][0] == pod.name), "")
    return found


@pytest.mark.parametrize("path", SHIPPED, ids=IDS)
def test_every_pod_is_a_box_and_every_predicted_hop_lands_on_one(path: Path) -> None:
    view = LabView(str(path))
    data = view.diagram()
    titles = set(re.findall(r"<title>([^<]*)</title>", data["svg"]))
    for pod, box in pod_boxes(view).items():
        assert box and box in titles, f"pod {pod} has no box on the diagram"
    t = load_topology(str(path))
    probe = next((p for p in t.probes if p.protocol != "dns" and p.query is None), None)
    if probe is None:
        return
    target = probe.target + (f":{probe.port}" if probe.port and probe.protocol != "icmp" else "")
    proto = {"http": "tcp"}.get(probe.protocol, probe.protocol)
    trace = view.trace(probe.source, target, proto)
    for leg in trace["legs"]:
        lost = [f"{h['netns']}:{h['interface']}" for h, b in zip(leg["hops"], leg["boxes"], strict=True) if b is None]
        assert not lost, f"hops without a box: {lost}"
        assert set(leg["boxes"]) <= titles


@pytest.fixture(scope="module")
def chromium() -> Iterator[Any]:
    with browser() as driver:
        yield driver


@pytest.mark.parametrize("path", SHIPPED, ids=IDS)
def test_the_page_draws_every_pod_in_chromium(chromium: Any, path: Path) -> None:
    from selenium.webdriver.common.by import By
    with running(str(path)) as ui:
        chromium.get(ui.url)
        wait_for(chromium, "document.body.dataset.ready && document.body.dataset.state")  # the first state shown
        drawn = {g.get_attribute("data-box") for g in chromium.find_elements(By.CSS_SELECTOR, "g.node")}
        missing = {pod for pod, box in pod_boxes(ui.view).items() if box not in drawn}
        assert not missing, f"pods not drawn: {sorted(missing)}"
        assert "predictions only" in chromium.find_element(By.ID, "mode").text
        errors = [e for e in chromium.get_log("browser") if e["level"] == "SEVERE"]
        chromium.get("about:blank")  # leave the page before its server stops
        assert not errors, errors


def test_a_click_to_trace_on_a_file_draws_the_prediction(chromium: Any) -> None:
    """Read-only: client1 → the web Service is the model's path, through the DNAT rule kube-proxy wrote."""
    from selenium.webdriver.common.by import By
    with running(str(ROOT / "topologies" / "services-iptables.yaml")) as ui:
        chromium.get(ui.url)
        wait_for(chromium, "document.body.dataset.ready")
        chromium.find_element(By.CSS_SELECTOR, 'g.node[data-box="b_client1"]').click()
        chromium.find_element(By.CSS_SELECTOR, 'g.node[data-box="s_web"]').click()
        wait_for(chromium, "document.body.dataset.traceMs")
        text = chromium.find_element(By.ID, "trace-out").text
        assert re.search(r"DNAT 10\.96\.0\.11:80 → 10\.244\.\d+\.\d+:80 by (nat/)?KUBE-SEP-\w+", text), text
        on_path = {g.get_attribute("data-box") for g in chromium.find_elements(By.CSS_SELECTOR, "g.on-path")}
        assert {"b_client1", "b_node1__cni0", "s_web"} <= on_path
        assert chromium.find_elements(By.CSS_SELECTOR, ".trace-layer line.forward")
        screenshot(chromium, "ui-file-services-iptables")
        chromium.get("about:blank")
