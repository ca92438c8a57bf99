"""`netlab doctor`: the known traps are recognised from what the host shows (read, never changed)."""

from __future__ import annotations

import pytest

from netlab import doctor

DOCKER_HOST = """*filter
:INPUT ACCEPT [0:0]
:FORWARD DROP [0:0]
:OUTPUT ACCEPT [0:0]
:DOCKER - [0:0]
-A FORWARD -j DOCKER-USER
COMMIT
"""


def test_wsl2_is_recognised_from_the_kernel_version() -> None:
    assert doctor.wsl2("Linux version 5.15.153.1-microsoft-standard-WSL2 (gcc …)").found
    assert not doctor.wsl2("Linux version 6.1.0-27-amd64 (debian-kernel@lists.debian.org)").found


def test_dockers_forward_drop_is_found_and_explained() -> None:
    trap = doctor.docker_forward_policy(DOCKER_HOST)
    assert trap.found and "own FORWARD chain" in trap.advice
    assert not doctor.docker_forward_policy(DOCKER_HOST.replace(":FORWARD DROP", ":FORWARD ACCEPT")).found


def test_rules_in_both_iptables_backends_are_found(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(doctor, "_save", lambda tool: "-A INPUT -j ACCEPT\n")
    assert doctor.iptables_backends().found
    monkeypatch.setattr(doctor, "_save", lambda tool: "-A INPUT -j ACCEPT\n" if "nft" in tool else "")
    assert not doctor.iptables_backends().found


def test_each_mode_is_a_lab_that_compiles() -> None:
    from netlab.compile import compile_plan
    from netlab.topology import load_topology_text
    for mode, text in doctor.MODES.items():
        plan = compile_plan(load_topology_text("name: doctor\n" + text))
        assert plan.steps, mode
