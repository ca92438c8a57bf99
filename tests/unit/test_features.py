"""A machine that cannot run a lab is told so before anything is built, with the module or tool to fix."""

from __future__ import annotations

from pathlib import Path

import pytest

from netlab.compile import compile_plan
from netlab.errors import EnvironmentProblem
from netlab.kernel import features
from netlab.topology import load_topology

ROOT = Path(__file__).parents[2]


def kinds_checked(topology: str) -> list[str]:
    return [c.name for c in features.checks_for(compile_plan(load_topology(ROOT / "topologies" / topology)))]


def test_each_mode_asks_for_what_it_uses(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(features, "_in_scratch", lambda name, attempt, fix: features.Check(name, True, "skipped"))
    monkeypatch.setattr(features, "check_root", lambda: features.Check("root", True, "yes"))
    assert "kernel vxlan" in kinds_checked("flannel-vxlan.yaml")
    assert "kernel br_netfilter" in kinds_checked("flannel-vxlan.yaml")
    assert "kernel vxlan" not in kinds_checked("host-gw.yaml")
    assert "kernel br_netfilter" not in kinds_checked("docker-bridge.yaml")


def test_a_missing_module_gives_one_message_naming_the_fix(monkeypatch: pytest.MonkeyPatch) -> None:
    def scratch(name: str, attempt: object, fix: str) -> features.Check:
        ok = name != "kernel br_netfilter"
        return features.Check(name, ok, "works" if ok else "br_netfilter is not loaded", fix)
    monkeypatch.setattr(features, "_in_scratch", scratch)
    monkeypatch.setattr(features, "check_root", lambda: features.Check("root", True, "yes"))
    plan = compile_plan(load_topology(ROOT / "topologies" / "flannel-vxlan.yaml"))
    with pytest.raises(EnvironmentProblem) as caught:
        features.ensure_can_run(plan)
    assert caught.value.message == ("this machine cannot run the lab:\n"
                                    "  kernel br_netfilter: br_netfilter is not loaded")
    assert caught.value.hint == "modprobe br_netfilter"
