"""The Kubernetes documentation's own manifests (tests/data/k8s-docs), brought up with `netlab up --manifests` and
asked with real traffic: the Deployment behind its Service, the NetworkPolicy that lets only access=true in, the
StatefulSet's stable DNS names, a targetPort by name, and the minimal Ingress."""

from __future__ import annotations

import json
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from netlab import naming
from netlab.probe import run_probes
from netlab.topology import Topology, load_topology

from .conftest import ROOT, LabFactory, netlab, renamed
from .netutil import run_in

LAB = "test-k8s-docs"
DOCS = ROOT / "tests" / "data" / "k8s-docs"


@pytest.fixture(scope="module")
def docs_lab(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Topology]:
    path = tmp_path_factory.mktemp("docs") / f"{LAB}.yaml"
    text = (ROOT / "tests" / "data" / "k8s-docs-lab.yaml").read_text().replace("name: k8s-docs", f"name: {LAB}")
    # a fixed node port for the ingress controller, so the test can call it
    path.write_text(text.replace("ingress: {className: nginx-example}",
                                 "ingress: {className: nginx-example, nodePort: 30080}"))
    try:
        done = netlab("up", str(path), "--manifests", str(DOCS))
        assert done.returncode == 0, done.stderr
        assert "volumeClaimTemplates: not modelled" in done.stderr  # said once, as information
        yield load_topology(path, manifests=str(DOCS))
    finally:
        netlab("down", LAB)


def test_the_labs_probes_hold(docs_lab: Topology) -> None:
    """nginx-service:8000 → the nginx Deployment's port 80 for the pod access-nginx admits, refused for another;
    a targetPort by name reaches the StatefulSet's pods; web-1 has its own name under the headless Service."""
    results = run_probes(docs_lab)
    assert [r.probe.name for r in results if not r.ok] == []
    assert len(results) == 5


def eth0_address(lab: str, pod: str) -> str:
    """The address the kernel holds on a pod's eth0 (not what netlab's model says it gave)."""
    out = run_in(lab, pod, "ip", "-4", "-o", "addr", "show", "dev", "eth0").stdout
    return out.split()[3].split("/")[0]


def test_each_statefulset_pod_resolves_to_itself(docs_lab: Topology) -> None:
    for pod in ("web-0", "web-1"):
        done = run_in(LAB, "curl-denied", "dig", "+short", "+time=2", f"{pod}.nginx.default.svc.cluster.local")
        assert done.stdout.split() == [eth0_address(LAB, pod)], done.stdout + done.stderr


def test_the_minimal_ingress_routes_testpath_to_its_service(docs_lab: Topology) -> None:
    node = docs_lab.node("node1").ip
    done = run_in(LAB, "curl-allowed", "curl", "-s", "--max-time", "5", f"http://{node}:30080/testpath")
    reply = json.loads(done.stdout)
    assert reply["server"].startswith("my-nginx-"), done.stdout  # Service test selects run=my-nginx
    missing = run_in(LAB, "curl-allowed", "curl", "-s", "-o", "/dev/null", "-w", "%{http_code}", "--max-time", "5",
                     f"http://{node}:30080/other")
    assert missing.stdout == "404"


def test_status_counts_the_statefulsets_pods_whose_servers_run(docs_lab: Topology) -> None:
    """Ready 2/2, and each of the two pods has its own process in its own namespace in the kernel."""
    web = {(w["kind"], w["name"]): w for w in json.loads(netlab("status", LAB, "--json").stdout)["deployments"]}
    assert (web[("StatefulSet", "web")]["ready"], web[("StatefulSet", "web")]["desired"]) == (2, 2)
    for pod in ("web-0", "web-1"):
        pids = subprocess.run(["ip", "netns", "pids", naming.netns(LAB, pod)], capture_output=True, text=True)
        assert pids.stdout.split(), pod


def test_get_prints_what_kubectl_would(docs_lab: Topology) -> None:
    pods = netlab("get", LAB, "pods", "-o", "wide")
    rows = {line.split()[0]: line.split() for line in pods.stdout.splitlines()[1:]}
    assert rows["web-0"][1:3] == ["1/1", "Running"] and rows["web-0"][6] == docs_lab.node("node1").name
    assert {r[2] for r in rows.values()} == {"Running"}
    for pod in ("web-0", "curl-allowed"):  # the IP column is the address on the pod's eth0
        assert rows[pod][5] == eth0_address(LAB, pod)
    sts = netlab("get", LAB, "sts").stdout.splitlines()
    assert sts[0].split() == ["NAME", "READY", "AGE"] and sts[1].split()[:2] == ["web", "2/2"]
    svc = {line.split()[0]: line.split() for line in netlab("get", LAB, "svc").stdout.splitlines()[1:]}
    assert svc["nginx"][2] == "None" and svc["nginx-service"][4] == "8000/TCP"


def test_a_sidecar_reaches_its_app_on_localhost_and_another_pod_cannot(lab: LabFactory) -> None:
    """topologies/sidecar.yaml: the pod web's containers app (8080) and proxy (80) share one namespace, held by
    a sandbox process started first; `exec -c` names a container, as kubectl's does."""
    t = lab(renamed("sidecar", "test-sidecar"))
    done = netlab("exec", t.name, "web", "-c", "proxy", "--", "curl", "-s", "--max-time", "3", "127.0.0.1:8080")
    reply = json.loads(done.stdout)
    assert (reply["server"], reply["container"], reply["client"]) == ("web", "app", "127.0.0.1")
    other = run_in(t.name, "client", "curl", "-s", "--max-time", "3", "127.0.0.1:8080")
    assert other.returncode == 7  # refused: the client's own localhost has nothing on 8080
    wrong = netlab("exec", t.name, "web", "-c", "nope", "--", "true")
    assert wrong.returncode == 2 and "container nope is not valid for pod web" in wrong.stderr
    pids = subprocess.run(["ip", "netns", "pids", naming.netns(t.name, "web")], capture_output=True, text=True)
    commands = sorted((int(pid), Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")[:1])
                      for pid in pids.stdout.split())
    assert commands[0][1] == [b"sleep"] and len(commands) == 3  # the sandbox first, then one echo per container
    assert all(r.ok for r in run_probes(t))


def test_endpoints_and_endpoint_slices_route_a_service_without_a_selector(lab: LabFactory) -> None:
    """topologies/endpoints.yaml: a Service in front of a server outside the cluster (an Endpoints object), and
    one whose EndpointSlice lists a ready and a not-ready address."""
    t = lab(renamed("endpoints", "test-endpoints"))
    results = run_probes(t)
    assert [r.probe.name for r in results if not r.ok] == [] and len(results) == 2
    nat = subprocess.run(["ip", "netns", "exec", naming.netns(t.name, "node1"), "iptables-save", "-t", "nat"],
                         capture_output=True, text=True).stdout
    assert "-j DNAT --to-destination 203.0.113.10:5432" in nat
    assert "10.244.0.9" not in nat  # the slice's endpoint that is not ready


def test_pods_on_the_hosts_network_listen_in_their_node(lab: LabFactory) -> None:
    t = lab(renamed("host-network", "test-hostnet"))
    assert [r.probe.name for r in run_probes(t) if not r.ok] == []
    exporter = next(p for p in t.pods if p.deployment == "node-exporter" and p.node == "node2")
    inside = netlab("exec", t.name, exporter.name, "--", "ip", "-4", "-br", "addr").stdout
    assert "192.168.56.12/24" in inside and "flannel.1" in inside  # the node's own interfaces
    listening = run_in(t.name, "node2", "ss", "-Hltn").stdout
    assert ":9100" in listening


ROLLOUT = """name: test-k8s-rollout
cluster: {cni: flannel-vxlan, dns: none}
nodes: [{name: node1}, {name: node2}]
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: 2
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec: {containers: [{name: nginx, image: "nginx:1.14.2", ports: [{containerPort: 80}]}]}
---
{apiVersion: v1, kind: Pod, metadata: {name: client}, spec: {nodeName: node1, containers: [{name: c, image: curl}]}}
---
{apiVersion: v1, kind: Service, metadata: {name: web}, spec: {selector: {app: web}, ports: [{port: 80}]}}
"""


def test_a_new_image_in_a_manifest_rolls_the_deployment_out_on_apply(tmp_path: Path) -> None:
    """As `kubectl set image` would: the image's tag is the template's version, so a new one makes a new
    ReplicaSet, and `netlab apply` rolls the pods over; every answer comes from one of the two versions."""
    path = tmp_path / "rollout.yaml"
    path.write_text(ROLLOUT)
    try:
        assert netlab("up", str(path)).returncode == 0
        web = load_topology(path).address_of("web") or ""
        before = json.loads(run_in("test-k8s-rollout", "client", "curl", "-s", "--max-time", "3", web).stdout)
        assert before["version"] == "1.14.2"
        path.write_text(ROLLOUT.replace("nginx:1.14.2", "nginx:1.16.1"))
        done = netlab("apply", str(path))
        assert done.returncode == 0, done.stderr
        assert "stage" in done.stderr  # a rolling update, stage by stage
        pods = netlab("get", "test-k8s-rollout", "pods").stdout
        after = json.loads(run_in("test-k8s-rollout", "client", "curl", "-s", "--max-time", "3", web).stdout)
        assert after["version"] == "1.16.1" and after["server"] in pods
    finally:
        netlab("down", "test-k8s-rollout")


STATEFUL = """name: test-k8s-sts
cluster: {cni: flannel-vxlan, dns: none}
nodes: [{name: node1}, {name: node2}]
---
{apiVersion: v1, kind: Service, metadata: {name: db}, spec: {clusterIP: None, selector: {app: db}, ports: [{port: 80}]}}
---
apiVersion: apps/v1
kind: StatefulSet
metadata: {name: db}
spec:
  serviceName: db
  replicas: 3
  selector: {matchLabels: {app: db}}
  template:
    metadata: {labels: {app: db}}
    spec: {containers: [{name: db, image: "web:v1", ports: [{containerPort: 80}]}]}
"""


def test_a_statefulset_is_rolled_from_its_highest_ordinal_down(tmp_path: Path) -> None:
    path = tmp_path / "sts.yaml"
    path.write_text(STATEFUL)
    try:
        assert netlab("up", str(path)).returncode == 0
        path.write_text(STATEFUL.replace("web:v1", "web:v2"))
        done = netlab("apply", str(path))
        assert done.returncode == 0, done.stderr
        order = [line.split(": ")[-1].split()[0] for line in done.stderr.splitlines() if "runs revision" in line]
        assert order == ["db-2", "db-1", "db-0"], done.stderr
        t = load_topology(path)
        for pod in (p for p in t.pods if p.deployment == "db"):
            reply = json.loads(run_in(t.name, pod.name, "curl", "-s", "--max-time", "3", "127.0.0.1").stdout)
            assert reply["version"] == "v2"
    finally:
        netlab("down", "test-k8s-sts")
