"""Deployments without a kernel: their pods' names, placement and labels, what the loader refuses, Kubernetes'
rollout arithmetic, and the stages of a rolling update."""

from __future__ import annotations

import re

import pytest

from netlab.errors import TopologyError
from netlab.features.deployments import Spec, fenceposts
from netlab.features.deployments.names import ALPHANUMS, fnv32a, pod_name, safe_encode
from netlab.features.deployments.rollout import stages
from netlab.topology import load_topology_text

LAB = """\
name: dep
cluster: {{cni: flannel-vxlan, dns: none}}  # the Deployments here are the file's only
nodes: [{{name: node1}}, {{name: node2}}]
pods:
  - {{name: web, replicas: {replicas}, labels: {{app: web}}, serve: ["http:80"], version: {version}{extra}}}
  - {{name: client}}
services: [{{name: web, selector: {{app: web}}, ports: [{{port: 80}}]}}]
"""


def lab(replicas: int = 3, version: str = "v1", extra: str = "") -> str:
    return LAB.format(replicas=replicas, version=version, extra=extra)


def problems(text: str) -> list[str]:
    with pytest.raises(TopologyError) as e:
        load_topology_text(text)
    return [f"{p.path}: {p.message}" for p in e.value.problems]


def test_pods_are_named_as_kubernetes_names_them_and_spread_over_the_nodes() -> None:
    t = load_topology_text(lab())
    (d,) = t.deployments
    assert re.fullmatch(r"[4-9bcdf]{1,10}", d.template_hash)  # SafeEncodeString of a decimal FNV-32a
    pods = [p for p in t.pods if p.deployment == "web"]
    assert [p.node for p in pods] == ["node1", "node2", "node1"]
    for p in pods:
        assert re.fullmatch(rf"web-{d.template_hash}-[{ALPHANUMS}]{{5}}", p.name)
        assert dict(p.labels) == {"app": "web", "pod-template-hash": d.template_hash} and p.version == "v1"
    assert load_topology_text(lab()) == t  # deterministic
    service = t.services[0]
    assert len(t.endpoints(service, service.ports[0])) == 3


def test_scaling_keeps_the_pods_there_are() -> None:
    three = load_topology_text(lab(3))
    five = load_topology_text(lab(5), previous=three)
    names = [p.name for p in three.pods]
    assert [p.name for p in five.pods][:3] == names[:3]
    assert {p.name: p.ip for p in five.pods if p.name in names} == {p.name: p.ip for p in three.pods}
    two = load_topology_text(lab(2), previous=five)
    assert [p.name for p in two.pods if p.deployment] == names[:2]


def test_a_new_template_is_a_new_replicaset() -> None:
    v1, v2 = load_topology_text(lab()), load_topology_text(lab(version="v2"))
    assert v1.deployments[0].template_hash != v2.deployments[0].template_hash
    assert load_topology_text(lab(5)).deployments[0].template_hash == v1.deployments[0].template_hash  # not replicas
    assert not {p.name for p in v1.pods if p.deployment} & {p.name for p in v2.pods if p.deployment}


def test_safe_encoding_and_fnv_are_kubernetes_own() -> None:
    assert fnv32a(b"") == 0x811C9DC5 and fnv32a(b"a") == 0xE40C292C  # the FNV-1a test vectors
    assert safe_encode("0123456789") == "456789bcdf"  # rand.SafeEncodeString maps digits to these
    assert pod_name("x" * 70, 0)[:58] == "x" * 58 and len(pod_name("x" * 70, 0)) == 63


@pytest.mark.parametrize(("surge", "unavailable", "replicas", "expected"), [
    ("25%", "25%", 10, (3, 2)), ("25%", "25%", 1, (1, 0)), ("25%", "25%", 4, (1, 1)), ("0", "0%", 3, (0, 1)),
    ("1", "0", 3, (1, 0)), ("50%", "100%", 2, (1, 2)),
])
def test_fenceposts_round_as_kubernetes_rounds(surge: str, unavailable: str, replicas: int,
                                               expected: tuple[int, int]) -> None:
    assert fenceposts(Spec(replicas, None, surge, unavailable), replicas) == expected


@pytest.mark.parametrize("replicas", [1, 3, 4, 10])
def test_a_rollout_stays_within_surge_and_availability(replicas: int) -> None:
    old = load_topology_text(lab(replicas))
    new = load_topology_text(lab(replicas, "v2"), previous=old)
    (d,) = new.deployments
    counts = []
    for model, _ in stages(old, new):
        pods = [p for p in model.pods if p.deployment == "web"]
        counts.append((sum(p.template == d.template_hash for p in pods), len(pods)))
        assert len(pods) <= replicas + d.max_surge and len(pods) >= replicas - d.max_unavailable
        assert len({p.ip for p in model.pods if p.node == "node1"}) == len([p for p in model.pods if p.node == "node1"])
    assert stages(old, new)[-1][0] == new and counts[-1] == (replicas, replicas)
    if replicas == 10:  # scale new up by 3, old down by 5, new up by 5, old down by 5, new up by 2
        assert [c[0] for c in counts] == [3, 3, 8, 8, 10] and [c[1] for c in counts] == [13, 8, 13, 8, 10]


def test_no_template_change_is_one_stage() -> None:
    old = load_topology_text(lab(3))
    assert stages(old, load_topology_text(lab(5), previous=old)) == [(load_topology_text(lab(5), previous=old), "")]


@pytest.mark.parametrize(("text", "expected"), [
    (lab(extra=", ip: 10.244.0.9"), "pods[0].ip: a Deployment's pods get their addresses one by one"),
    (lab(extra=", strategy: {maxSurge: 0, maxUnavailable: 0}"),
     "pods[0].strategy: maxSurge and maxUnavailable cannot both be 0"),
    (lab(extra=", strategy: {maxSurge: lots}"), "pods[0].strategy.maxSurge: 'lots' is not a number of pods or a "
                                                "percentage"),
    (lab().replace("replicas: 3, ", ""), "pods[0].version: 'version' is for a Deployment"),
    (lab(300), "pods[0].replicas: 300 is out of range 0-250"),
    (lab().replace("flannel-vxlan", "docker-bridge"),
     "pods[0].replicas: a Deployment is Kubernetes'; this lab is a docker-bridge lab"),
])
def test_what_the_loader_refuses(text: str, expected: str) -> None:
    found = problems(text)
    assert any(f.startswith(expected) for f in found), found


def test_a_released_pod_address_is_not_handed_out_again_at_once() -> None:
    """host-local IPAM goes on from its last reserved address: a pod rolled back to an old template (its old
    pods' names come back) gets new addresses, so no neighbour still holds the MAC of the pod that had one."""
    v1 = load_topology_text(lab(3))
    v2 = load_topology_text(lab(3, "v2"), previous=v1)
    back = load_topology_text(lab(3), previous=v2)
    assert [p.name for p in back.pods] == [p.name for p in v1.pods]  # the same names again
    used_before = {p.ip for p in v1.pods} | {p.ip for p in v2.pods}
    assert not {p.ip for p in back.pods if p.deployment} & used_before
    fresh = load_topology_text(lab(3))
    assert [p.ip for p in fresh.pods] == [p.ip for p in v1.pods]  # a fresh `up` numbers from the start


WORKLOADS = """name: w
cluster: {{cni: flannel-vxlan, dns: none}}
nodes: [{{name: node1}}, {{name: node2}}]
pods:
  - {{name: db, kind: StatefulSet, replicas: 3, serviceName: db, labels: {{app: db}}, serve: ['tcp:5432'],
     version: {db}}}
  - {{name: agent, kind: DaemonSet, labels: {{app: agent}}, version: {agent}}}
  - {{name: web, replicas: 2, labels: {{app: web}}, serve: ['http:80'], version: {web}}}
"""


def test_statefulset_and_daemonset_pods_are_replaced_one_at_a_time_after_the_deployments_roll() -> None:
    """A StatefulSet from its highest ordinal down, a DaemonSet node by node, each pod keeping its name; every
    stage has the others as they were."""
    before = load_topology_text(WORKLOADS.format(db="a", agent="a", web="a"))
    after = load_topology_text(WORKLOADS.format(db="b", agent="b", web="b"), previous=before)
    steps = stages(before, after)
    texts = [text for _, text in steps]
    assert texts[-5:] == ["statefulset db: db-2 runs revision " + next(d.replica_set for d in after.deployments
                                                                        if d.name == "db"),
                          *texts[-4:]]
    replaced = [text.split(": ")[1].split()[0] for text in texts if text.startswith(("statefulset", "daemonset"))]
    agents = sorted(p.name for p in after.pods if p.deployment == "agent")
    assert replaced[:3] == ["db-2", "db-1", "db-0"] and sorted(replaced[3:]) == agents
    versions = [{p.name: p.version for p in t.pods if p.deployment == "db"} for t, _ in steps]
    first_db = texts.index(next(t for t in texts if t.startswith("statefulset")))
    assert versions[first_db] == {"db-0": "a", "db-1": "a", "db-2": "b"}
    assert all(v == {"db-0": "a", "db-1": "a", "db-2": "a"} for v in versions[:first_db])  # Deployments first
    assert steps[-1][0] == after
