"""Compile and render: each shipped topology's plan is a golden file; plans are deterministic."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from netlab.compile import compile_plan
from netlab.plan import Netns, Plan, Veth
from netlab.render.shell import render_script
from netlab.topology import load_topology, load_topology_text

ROOT = Path(__file__).parents[2]
GOLDEN = ROOT / "tests" / "golden"
TOPOLOGIES = sorted(ROOT.joinpath("topologies").glob("*.yaml"))
UPDATE = os.environ.get("NETLAB_UPDATE_GOLDEN") == "1"


def check_golden(path: Path, actual: str) -> None:
    if UPDATE or not path.exists():
        path.write_text(actual)
        if not UPDATE:
            pytest.fail(f"{path.name} did not exist; written now — review and commit it")
    assert actual == path.read_text(), f"{path.name} differs; rerun with NETLAB_UPDATE_GOLDEN=1 if intended"


@pytest.mark.parametrize("topology", TOPOLOGIES, ids=lambda p: p.stem)
def test_shell_plan_matches_golden(topology: Path) -> None:
    check_golden(GOLDEN / f"{topology.stem}.sh", render_script(compile_plan(load_topology(topology))))


@pytest.mark.parametrize("topology", TOPOLOGIES, ids=lambda p: p.stem)
def test_json_plan_matches_golden_and_round_trips(topology: Path) -> None:
    plan = compile_plan(load_topology(topology))
    check_golden(GOLDEN / f"{topology.stem}.json", plan.to_json())
    assert Plan.from_json(plan.to_json()) == plan


def test_same_file_same_plan_byte_for_byte() -> None:
    text = (ROOT / "topologies" / "docker-bridge.yaml").read_text()
    assert render_script(compile_plan(load_topology_text(text))) == \
        render_script(compile_plan(load_topology_text(text)))


def test_every_namespace_and_interface_carries_the_lab_mark() -> None:
    plan = compile_plan(load_topology_text("name: marks\npods: [{name: a}, {name: b}]\ninternet: {hosts: [{name: h}]}"))
    assert all(ns.name.startswith("netlab.marks.") for ns in plan.namespaces())
    script = render_script(plan)
    for step in plan.steps:
        if isinstance(step, Veth):
            assert f"link set dev {step.name} " in script and f"dev {step.name} master" in script
    assert script.count("alias netlab:marks") == sum(2 for s in plan.steps if isinstance(s, Veth)) + 3  # + bridges


def test_docker_veths_are_docker_shaped_and_unique() -> None:
    pods = ", ".join(f"{{name: p{i}}}" for i in range(300))
    plan = compile_plan(load_topology_text(f"name: many\npods: [{pods}]"))
    names = [s.name for s in plan.steps if isinstance(s, Veth) and s.name.startswith("veth")]
    assert len(names) == len(set(names)) == 300
    assert all(len(n) == 11 and int(n[4:], 16) >= 0 for n in names)  # veth + 7 hex, like libnetwork


def test_namespaces_come_before_anything_inside_them() -> None:
    plan = compile_plan(load_topology(ROOT / "topologies" / "docker-bridge.yaml"))
    created: set[str] = set()
    for step in plan.steps:
        if isinstance(step, Netns):
            created.add(step.name)
        for ns in (getattr(step, "netns", None), getattr(step, "peer_netns", None)):
            assert ns is None or ns in created, step
