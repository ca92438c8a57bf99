"""`netlab ui` on a lab that is up, in headless chromium: the diagram with every pod, a click-to-trace drawn through
the nodes the packet really crossed and naming kube-proxy's DNAT rule, the reachability matrix red where the
NetworkPolicies deny, rule counters that count, and a fault shown on its pod — with real traffic throughout."""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from typing import Any

import pytest

from netlab.topology import Topology
from tests.ui_harness import Running, browser, running, screenshot, wait_for

from .conftest import built, netlab, renamed

LAB = "ui-netpol"


@pytest.fixture(scope="module")
def lab() -> Iterator[Topology]:
    yield from built(renamed("netpol", LAB))


@pytest.fixture(scope="module")
def page(lab: Topology) -> Iterator[tuple[Any, Running]]:
    with running(LAB) as ui, browser() as driver:
        driver.get(ui.url)
        wait_for(driver, "document.body.dataset.ready && document.body.dataset.state")
        yield driver, ui
        driver.get("about:blank")


def boxes(driver: Any, selector: str) -> set[str]:
    from selenium.webdriver.common.by import By
    return {g.get_attribute("data-box") for g in driver.find_elements(By.CSS_SELECTOR, selector)}


def test_the_diagram_has_every_pod(page: tuple[Any, Running], lab: Topology) -> None:
    driver, _ = page
    drawn = boxes(driver, "g.node")
    assert {"b_" + p.name.replace("-", "_") for p in lab.pods} <= drawn
    assert "live" in driver.find_element("id", "mode").text


def test_a_click_traces_through_the_nodes_the_packet_crossed(page: tuple[Any, Running]) -> None:
    """frontend (node1) → the api Service: kube-proxy's DNAT on node1 picks api-1 on node2, through VXLAN."""
    from selenium.webdriver.common.by import By
    driver, _ = page
    driver.execute_script("delete document.body.dataset.traceMs")
    driver.find_element(By.CSS_SELECTOR, 'g.node[data-box="b_frontend"]').click()
    driver.find_element(By.CSS_SELECTOR, 'g.node[data-box="s_api"]').click()
    wait_for(driver, "document.body.dataset.traceMs")
    text = driver.find_element(By.ID, "trace-out").text
    assert "delivered to api-1" in text, text
    assert re.search(r"DNAT 10\.96\.\d+\.\d+:8080 → 10\.244\.1\.\d+:8080 by KUBE-SEP-\w+", text), text
    assert "VXLAN encap" in text
    on_path = boxes(driver, "g.on-path")
    assert {"b_frontend", "b_node1__cni0", "b_node1__flannel_1", "b_node2__flannel_1", "b_node2__cni0", "b_api_1",
            "s_api"} <= on_path, on_path
    assert "b_db_1" not in on_path and "b_prometheus" not in on_path
    assert len(driver.find_elements(By.CSS_SELECTOR, ".trace-layer line.forward")) >= 4
    screenshot(driver, "ui-trace-netpol")


def test_every_hop_the_kernel_showed_lands_on_a_box(page: tuple[Any, Running]) -> None:
    """The observed trace (captures in every namespace), not the model's: each hop has its place on the diagram."""
    _, ui = page
    for source, target in (("frontend", "api:8080"), ("intruder", "api:8080"), ("prometheus", "frontend:80")):
        for leg in ui.view.trace(source, target, "tcp")["legs"]:
            assert leg["kind"] == "observed" and leg["hops"]
            lost = [f"{h['netns']}:{h['interface']}" for h, b in zip(leg["hops"], leg["boxes"], strict=True) if not b]
            assert not lost, (source, target, lost)


def test_the_matrix_is_red_where_the_policies_deny(page: tuple[Any, Running]) -> None:
    from selenium.webdriver.common.by import By
    driver, _ = page
    driver.find_element(By.CSS_SELECTOR, 'nav button[data-tab="matrix"]').click()
    port = driver.find_element(By.ID, "matrix-port")
    port.clear()
    port.send_keys("8080")
    driver.find_element(By.CSS_SELECTOR, "#matrix-form button").click()
    wait_for(driver, "document.querySelector('table.matrix')", timeout=60)

    def cell(source: str, target: str) -> str:
        return driver.find_element(By.CSS_SELECTOR, f'td[data-from="{source}"][data-to="{target}"]').text

    # The lab's own probes say it: the frontend and prometheus may call the api, the intruder may not.
    assert cell("frontend", "api") == "✓" and cell("frontend", "api-1") == "✓"
    assert cell("prometheus", "api") == "✓"
    assert cell("intruder", "api") == "✗" and cell("intruder", "api-1") == "✗"
    assert cell("db-1", "api") == "✗"
    screenshot(driver, "ui-matrix-netpol")
    driver.find_element(By.CSS_SELECTOR, 'td[data-from="intruder"][data-to="api"]').click()
    wait_for(driver, "document.querySelector('#trace-out .verdict')")
    verdict = driver.find_element(By.CSS_SELECTOR, "#trace-out .verdict").text
    assert "delivered" not in verdict, verdict


def test_rule_counters_count_a_new_connection(page: tuple[Any, Running]) -> None:
    """One more connection to the api Service, and the page's KUBE-SEP DNAT counter for it rises and lights up."""
    from selenium.webdriver.common.by import By
    driver, _ = page
    driver.find_element(By.CSS_SELECTOR, 'nav button[data-tab="counters"]').click()
    wait_for(driver, "document.querySelector('#counters-out .chain')")

    def counted() -> int:  # KUBE-SEP-…: the endpoint's DNAT, in node1 where frontend's connections are made
        text = driver.find_element(By.ID, "counters-out").text
        return sum(int(n) for n in re.findall(r"^(\d+) \d+ .*\"shop/api\".* -j DNAT", text, re.M))

    before = counted()
    assert netlab("probe", LAB, "--from", "frontend", "--to", "api:8080").returncode == 0
    wait_for(driver, "document.querySelector('#counters-out tr.changed') && true", timeout=10)
    deadline = time.monotonic() + 10
    while counted() <= before and time.monotonic() < deadline:
        time.sleep(0.5)
    assert counted() == before + 1


def test_a_fault_shows_on_its_pod(page: tuple[Any, Running]) -> None:
    driver, _ = page
    assert netlab("fault", LAB, "kill-pod", "api-1").returncode == 0  # mark-dead: the process is gone (status)
    try:
        wait_for(driver, "document.querySelector('g.node.mark-dead[data-box=\"b_api_1\"]')", timeout=20)
        wait_for(driver, "document.querySelector('g.node.mark-fault[data-box=\"b_api_1\"]')", timeout=5)
        screenshot(driver, "ui-fault-netpol")
    finally:
        assert netlab("fault", LAB, "--clear").returncode == 0
    wait_for(driver, "!document.querySelector('g.mark-dead, g.mark-fault')", timeout=20)
