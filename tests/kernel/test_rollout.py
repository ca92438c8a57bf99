"""Deployments in a running lab: scaled and rolled out by `apply`, with real traffic the whole time."""

from __future__ import annotations

import json
import signal
import socket
import threading
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest

from netlab import naming, state
from netlab.compile import compile_plan
from netlab.kernel import netns
from netlab.lifecycle import apply as apply_mod
from netlab.lifecycle import down, status, up
from netlab.topology import load_topology_text

from .kernel_state import differences, kernel_state
from .netutil import leaks_of
from .test_apply import interrupted_apply, settled

LAB = """\
name: {name}
cluster: {{cni: flannel-vxlan, proxy: {mode}}}
nodes: [{{name: node1}}, {{name: node2}}]
pods:
  - {{name: web, replicas: {replicas}, labels: {{app: web}}, serve: ["http:80"], version: {version}}}
  - {{name: client, node: node1}}
services: [{{name: web, selector: {{app: web}}, ports: [{{port: 80}}]}}]
"""


def lab(name: str, *, mode: str = "iptables", replicas: int = 3, version: str = "v1") -> str:
    return LAB.format(name=name, mode=mode, replicas=replicas, version=version)


def build(text: str) -> None:
    topology = load_topology_text(text)
    up.up(compile_plan(topology), model=topology, source="test", topology_text=text)


class Traffic:
    """New connections to the Service's ClusterIP from the client pod, one after the other, counted."""

    def __init__(self, lab_name: str, address: str) -> None:
        self.ns, self.address = naming.netns(lab_name, "client"), address
        self.versions: Counter[str] = Counter()
        self.failures: list[str] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run)

    def __enter__(self) -> Traffic:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def _run(self) -> None:
        while not self._stop.is_set():
            with netns.inside(self.ns):
                sock = socket.socket()
            try:
                sock.settimeout(2)
                sock.connect((self.address, 80))
                sock.sendall(b"GET / HTTP/1.1\r\nHost: web\r\n\r\n")
                data = b""
                while chunk := sock.recv(4096):
                    data += chunk
                self.versions[json.loads(data.partition(b"\r\n\r\n")[2])["version"]] += 1
            except (OSError, ValueError, KeyError) as e:
                self.failures.append(repr(e))
            finally:
                sock.close()


@pytest.mark.parametrize("mode", ["iptables", "nftables"])
def test_a_rolling_update_loses_no_new_connection(mode: str) -> None:
    name = f"roll-{mode[:3]}"
    build(lab(name, mode=mode, replicas=10))
    try:
        lines: list[str] = []
        with Traffic(name, "10.96.0.11") as traffic:
            time.sleep(0.3)
            result = apply_mod.apply(lab(name, mode=mode, replicas=10, version="v2"), "test", say=lines.append)
            time.sleep(0.3)
            during = dict(traffic.versions)
        assert traffic.failures == [], traffic.failures[:5]
        assert during.get("v1", 0) > 0 and during.get("v2", 0) > 0, during
        assert result.stages == 5 and len(lines) == 5 and "3 of 10 pods from ReplicaSet" in lines[0]
        model = state.LabState(name).built_topology()
        assert {p.version for p in model.pods if p.deployment == "web"} == {"v2"}
        (dep,) = [d for d in status.lab_status(name).deployments if d.name == "web"]
        assert (dep.ready, dep.desired, dep.up_to_date, dep.total) == (10, 10, 10, 10)
        with Traffic(name, "10.96.0.11") as after:
            time.sleep(0.3)
        assert set(after.versions) == {"v2"} and not after.failures
    finally:
        down.down(name)


@pytest.mark.parametrize("replicas", [5, 1])
def test_scaling_is_an_apply_like_any_other(replicas: int) -> None:
    name = "scale"
    build(lab(name, replicas=3))
    try:
        kept = {p.name: p.ip for p in state.LabState(name).built_topology().pods}
        result = apply_mod.apply(lab(name, replicas=replicas), "test")
        assert result.stages == 1
        model = state.LabState(name).built_topology()
        assert len([p for p in model.pods if p.deployment == "web"]) == replicas
        assert all(kept[p.name] == p.ip for p in model.pods if p.name in kept)  # the pods that stay stay as they were
        scaled = settled(name)
    finally:
        down.down(name)
    up.up(compile_plan(model), model=model, source="oracle", topology_text="")
    try:
        assert differences(scaled, settled(name)) == []
    finally:
        down.down(name)


@pytest.fixture
def rolling_lab(tmp_path: Path) -> Iterator[Path]:
    build(lab("roll-crash", replicas=4))
    path = tmp_path / "v2.yaml"
    path.write_text(lab("roll-crash", replicas=4, version="v2"))
    try:
        yield path
    finally:
        down.down("roll-crash")


def test_sigkill_in_a_rollout_leaves_a_stage_and_the_next_apply_finishes_it(rolling_lab: Path) -> None:
    assert interrupted_apply(rolling_lab, "SIGKILL", 40).returncode == -signal.SIGKILL
    model = state.LabState("roll-crash").built_topology()
    versions = Counter(p.version for p in model.pods if p.deployment == "web")
    assert set(versions) <= {"v1", "v2"} and sum(versions.values()) >= 4 - 1  # a stage of the rollout
    result = apply_mod.apply(rolling_lab.read_text(), "test")
    assert result.operations > 0
    model = state.LabState("roll-crash").built_topology()
    assert {p.version for p in model.pods if p.deployment == "web"} == {"v2"}
    assert differences(kernel_state("roll-crash"), settled("roll-crash")) == []


def test_sigkill_in_a_rollout_then_down_leaves_nothing(rolling_lab: Path) -> None:
    assert interrupted_apply(rolling_lab, "SIGKILL", 25).returncode == -signal.SIGKILL
    down.down("roll-crash")
    assert down.lab_namespaces("roll-crash") == [] and leaks_of("roll-crash") == []
