"""Kubernetes manifests as input (topology/manifests): each shipped Kubernetes lab written as manifests gives the
plan of the lab written in netlab's keys, byte for byte; objects are checked as the API server checks them."""

from __future__ import annotations

from pathlib import Path

import pytest

from netlab.compile import compile_plan
from netlab.plan import Daemon
from netlab.errors import TopologyError
from netlab.topology import load_topology, load_topology_text

from .test_plan import check_golden

ROOT = Path(__file__).resolve().parents[2]
TWINS = sorted((ROOT / "topologies" / "manifests").glob("*.yaml"))


def test_every_shipped_kubernetes_lab_has_its_manifests() -> None:
    kubernetes = [p.name for p in sorted((ROOT / "topologies").glob("*.yaml"))
                  if load_topology(p).cluster.cni not in ("docker-bridge", "lan-bridge")
                  and "\napiVersion:" not in p.read_text()]  # a lab written as manifests already (sidecar)
    assert [p.name for p in TWINS] == kubernetes


@pytest.mark.parametrize("twin", TWINS, ids=lambda p: p.stem)
def test_a_lab_written_as_manifests_has_the_plan_of_its_netlab_twin(twin: Path) -> None:
    golden = ROOT / "tests" / "golden" / f"{twin.stem}.json"
    assert compile_plan(load_topology(twin)).to_json() == golden.read_text()


DOCS = ROOT / "tests" / "data" / "k8s-docs"
DOCS_LAB = ROOT / "tests" / "data" / "k8s-docs-lab.yaml"


def problems_of(text: str, source: str = "lab.yaml", manifests: str | None = None) -> list[str]:
    with pytest.raises(TopologyError) as caught:
        load_topology_text(text, source) if manifests is None else load_topology(source, manifests=manifests)
    return [str(p) for p in caught.value.problems]


def test_api_validation_errors_match_their_golden() -> None:
    """Each problem names the file, the document, the object, the path in it and the line, in the API server's
    words where it has them (tests/data/manifests-invalid.yaml)."""
    source = ROOT / "tests" / "data" / "manifests-invalid.yaml"
    with pytest.raises(TopologyError) as caught:
        load_topology(source)
    text = "\n".join(str(p) for p in caught.value.problems) + "\n"
    check_golden(ROOT / "tests" / "golden" / "manifests-invalid.txt", text.replace(str(ROOT) + "/", ""))


def test_the_documentation_examples_load_as_a_cluster_makes_them() -> None:
    t = load_topology(DOCS_LAB, manifests=str(DOCS))
    by_name = {p.name: p for p in t.pods}
    nginx = [p for p in t.pods if p.deployment == "nginx-deployment"]
    assert len(nginx) == 3 and {p.version for p in nginx} == {"1.14.2"}  # image nginx:1.14.2
    assert all(p.name.startswith(f"nginx-deployment-{p.template}-") for p in nginx)
    web0, web1 = by_name["web-0"], by_name["web-1"]  # the StatefulSet: ordinals, stable names under nginx
    assert (web0.hostname, web0.subdomain, web1.hostname) == ("web-0", "nginx", "web-1")
    assert dict(web1.labels)["statefulset.kubernetes.io/pod-name"] == "web-1"
    assert dict(web1.labels)["apps.kubernetes.io/pod-index"] == "1"
    assert {w.kind for w in t.deployments if w.name == "web"} == {"StatefulSet"}
    by_service = {s.name: s for s in t.services}
    named = by_service["web-by-name"]
    assert named.ports[0].target == "web"  # targetPort by name: each StatefulSet pod's port named web
    assert {(e.pod, e.port) for e in t.endpoints(named, named.ports[0])} == {("web-0", 80), ("web-1", 80)}
    assert [p.name for p in t.policies] == ["test-network-policy", "access-nginx"]
    assert [i.name for i in t.ingresses] == ["minimal-ingress"]
    assert any(n.startswith("volumeClaimTemplates: not modelled") for n in t.notes)


def test_a_pod_without_a_port_of_that_name_is_no_endpoint() -> None:
    """The endpoints controller's FindPort: a named targetPort leaves out the pods that lack it."""
    t = load_topology_text(LAB + """
---
{apiVersion: v1, kind: Pod, metadata: {name: a, labels: {app: x}},
 spec: {containers: [{name: c, image: i, ports: [{containerPort: 8080, name: web}]}]}}
---
{apiVersion: v1, kind: Pod, metadata: {name: b, labels: {app: x}},
 spec: {containers: [{name: c, image: i, ports: [{containerPort: 80}]}]}}
---
{apiVersion: v1, kind: Service, metadata: {name: s}, spec: {selector: {app: x}, ports: [{port: 80, targetPort: web}]}}
""")
    svc = next(s for s in t.services if s.name == "s")
    assert [(e.pod, e.port) for e in t.endpoints(svc, svc.ports[0])] == [("a", 8080)]


LAB = "name: m\ncluster: {cni: flannel-vxlan, dns: none}\nnodes: [{name: node1, labels: {disk: ssd}}, {name: node2}]\n"
DEPLOYMENT = """{apiVersion: apps/v1, kind: Deployment, metadata: {name: web},
 spec: {replicas: 2, selector: {matchLabels: {app: web}}, template: {metadata: {labels: {app: web}},
        spec: {containers: [{name: web, image: "web:v1", ports: [{containerPort: 80}]}]}}}}"""


def test_objects_as_documents_under_manifests_or_in_a_directory_are_one_lab(tmp_path: Path) -> None:
    as_documents = load_topology_text(LAB + "---\n" + DEPLOYMENT + "\n")
    as_list = load_topology_text(LAB + "manifests:\n  - " + DEPLOYMENT.replace("\n", "\n    ") + "\n")
    (tmp_path / "lab.yaml").write_text(LAB)
    (tmp_path / "k8s").mkdir()
    (tmp_path / "k8s" / "web.yaml").write_text(DEPLOYMENT)
    (tmp_path / "k8s" / "notes.txt").write_text("not a manifest: left alone")
    from_dir = load_topology(tmp_path / "lab.yaml", manifests=str(tmp_path / "k8s"))
    netlab_keys = load_topology_text(LAB + "pods: [{name: web, replicas: 2, labels: {app: web}, serve: ['http:80'], "
                                     "version: v1}]\n")
    plans = {compile_plan(t).to_json() for t in (as_documents, as_list, from_dir, netlab_keys)}
    assert len(plans) == 1


def test_a_file_of_manifests_only_is_a_lab_named_after_it(tmp_path: Path) -> None:
    path = tmp_path / "shop.yaml"
    path.write_text(DEPLOYMENT + "\n")
    t = load_topology(path)
    assert t.name == "shop" and t.cluster.cni == "flannel-vxlan"
    assert len([p for p in t.pods if p.deployment == "web"]) == 2


def test_node_selector_places_pods_and_a_daemonset_runs_one_per_admitted_node() -> None:
    t = load_topology_text(LAB + """
---
{apiVersion: v1, kind: Pod, metadata: {name: fast},
 spec: {nodeSelector: {disk: ssd}, containers: [{name: c, image: i}]}}
---
{apiVersion: apps/v1, kind: DaemonSet, metadata: {name: agent}, spec: {selector: {matchLabels: {app: agent}},
 template: {metadata: {labels: {app: agent}}, spec: {containers: [{name: c, image: "agent:2"}]}}}}
---
{apiVersion: apps/v1, kind: DaemonSet, metadata: {name: ssd-agent}, spec: {selector: {matchLabels: {app: s}},
 template: {metadata: {labels: {app: s}}, spec: {nodeSelector: {disk: ssd}, containers: [{name: c, image: i}]}}}}
---
{apiVersion: v1, kind: Pod, metadata: {name: by-hostname},
 spec: {nodeSelector: {kubernetes.io/hostname: node2}, containers: [{name: c, image: i}]}}
""")
    node = {p.name: p.node for p in t.pods}
    assert node["fast"] == "node1" and node["by-hostname"] == "node2"
    agents = sorted((p.node, p.name.startswith("agent-"), dict(p.labels)["pod-template-generation"])
                    for p in t.pods if p.deployment == "agent")
    assert agents == [("node1", True, "1"), ("node2", True, "1")]
    assert [p.node for p in t.pods if p.deployment == "ssd-agent"] == ["node1"]
    assert dict(t.node("node2").labels)["kubernetes.io/hostname"] == "node2"


def test_recreate_is_a_rollout_that_stops_every_old_pod_first() -> None:
    recreate = DEPLOYMENT.replace("replicas: 2,", "replicas: 2, strategy: {type: Recreate},")
    t = load_topology_text(LAB + "---\n" + recreate)
    web = next(d for d in t.deployments if d.name == "web")
    assert (web.max_surge, web.max_unavailable) == (0, 2)


def test_what_a_container_serves_follows_its_ports_and_the_annotation() -> None:
    t = load_topology_text(LAB + """
---
apiVersion: v1
kind: Pod
metadata: {name: app, annotations: {netlab/serve: "http:9000,tcp:7000"}}
spec:
  containers:
  - {name: web, image: i, ports: [{containerPort: 80}, {containerPort: 8443, name: http-alt}, {containerPort: 9000}]}
  - {name: dns, image: i, ports: [{containerPort: 53, protocol: UDP, name: dns}, {containerPort: 6379}]}
""")
    pod = next(p for p in t.pods if p.name == "app")
    assert [(c.name, [(str(s.kind), s.port, s.name) for s in c.serve]) for c in pod.containers] == [
        ("web", [("http", 80, ""), ("http", 8443, "http-alt"), ("http", 9000, ""), ("tcp", 7000, "")]),
        ("dns", [("udp", 53, "dns"), ("tcp", 6379, "")])]  # an undeclared port is the first container's
    assert len(pod.serve) == 6


def test_what_netlab_leaves_out_is_said_once_and_is_no_error() -> None:
    t = load_topology_text(LAB + """
---
{apiVersion: v1, kind: ConfigMap, metadata: {name: c}, data: {a: b}}
---
{apiVersion: v1, kind: Pod, metadata: {name: a}, spec: {volumes: [], containers: [{name: c, image: i, resources: {},
 livenessProbe: {}}]}}
---
{apiVersion: v1, kind: Pod, metadata: {name: b}, spec: {volumes: [], containers: [{name: c, image: i}]}}
""")
    assert sorted(n.split(":")[0] for n in t.notes) == ["ConfigMap", "image", "livenessProbe", "resources", "volumes"]
    assert any("and 1 more" in n for n in t.notes if n.startswith("volumes"))


def test_a_problem_the_lab_finds_later_still_names_the_manifest_and_its_line() -> None:
    found = problems_of(LAB + """---
apiVersion: v1
kind: Pod
metadata: {name: lost}
spec:
  nodeName: node9
  containers: [{name: c, image: i}]
""")
    assert found == ["document 2 (Pod lost): spec.nodeName (line 9): unknown node 'node9'\n"
                     "    hint: known nodes: node1, node2"]


def test_a_pod_of_several_containers_runs_a_sandbox_and_one_process_each() -> None:
    t = load_topology(ROOT / "topologies" / "sidecar.yaml")
    web = next(p for p in t.pods if p.name == "web")
    assert [c.name for c in web.containers] == ["app", "proxy"] and web.several
    daemons = [s for s in compile_plan(t).steps if isinstance(s, Daemon) and s.netns.endswith(".web")]
    assert [(d.name, d.ports) for d in daemons] == [("pause-web", ()), ("echo-web.app", ("tcp/8080",)),
                                                    ("echo-web.proxy", ("tcp/80",))]
    assert daemons[0].argv == ("sleep", "infinity")


def test_two_containers_of_a_pod_may_not_serve_one_port() -> None:
    found = problems_of(LAB + "pods:\n  - {name: web, containers: [{name: a, serve: ['http:80']}, "
                              "{name: b, serve: ['tcp:80', 'udp:80']}]}\n")
    assert found == ["pods[0].containers[1].serve[0] (line 5): container 'b' serves tcp port 80, which container 'a' "
                     "serves already (pods[0].containers[0].serve[0]): the containers of a pod share its network "
                     "namespace, and so its ports"]


def test_endpoints_written_by_hand_serve_a_service_without_a_selector() -> None:
    t = load_topology(ROOT / "topologies" / "endpoints.yaml")
    by_name = {s.name: s for s in t.services}
    db, api = by_name["external-db"], by_name["legacy-api"]
    assert [(e.pod, str(e.ip), e.port) for e in t.endpoints(db, db.ports[0])] == [("", "203.0.113.10", 5432)]
    assert [(e.pod, str(e.ip), e.port) for e in t.endpoints(api, api.ports[0])] == [("api", "10.244.1.2", 8080)]
    plan = compile_plan(t).to_json()
    assert "--to-destination 203.0.113.10:5432" in plan  # a KUBE-SEP to an address outside the cluster
    netlab_keys = load_topology_text((ROOT / "topologies" / "endpoints.yaml").read_text().split("\n---\n")[0] + """
services:
  - {name: external-db, ports: [{name: pg, port: 5432}]}
  - {name: legacy-api, ports: [{port: 80}]}
endpoints:
  - {name: external-db, subsets: [{addresses: [{ip: 203.0.113.10}], ports: [{name: pg, port: 5432}]}]}
  - {name: legacy-api, subsets: [{addresses: [10.244.1.2], ports: [{port: 8080}]}]}
""")
    assert compile_plan(netlab_keys).to_json() == plan


def test_endpoints_go_only_where_the_api_lets_them() -> None:
    found = problems_of(LAB + """services: [{name: web, selector: {app: web}, ports: [{port: 80}]}]
---
{apiVersion: v1, kind: Endpoints, metadata: {name: web}, subsets: [{addresses: [{ip: 10.0.0.1}], ports: [{port: 80}]}]}
---
{apiVersion: discovery.k8s.io/v1, kind: EndpointSlice, metadata: {name: s}, addressType: IPv4, endpoints: []}
---
{apiVersion: discovery.k8s.io/v1, kind: EndpointSlice, metadata: {name: t, labels: {kubernetes.io/service-name: web}},
 addressType: IPv6, endpoints: []}
""")
    assert any("Service 'web' has a selector: the endpoints controller writes its endpoints" in p for p in found)
    assert any("an EndpointSlice serves the Service its label kubernetes.io/service-name names" in p for p in found)
    assert any("addressType" in p and "netlab labs are IPv4" in p for p in found)


def test_a_pod_on_the_hosts_network_is_its_node_for_the_network() -> None:
    """hostNetwork: true (topologies/host-network.yaml): no veth, no pod address, the node's namespace; its
    Service's endpoints are node addresses; no policy guards it; two on one node cannot share a port."""
    t = load_topology(ROOT / "topologies" / "host-network.yaml")
    exporters = [p for p in t.pods if p.deployment == "node-exporter"]
    assert sorted((p.node, str(p.ip.ip), t.home_of(p.name)) for p in exporters) == [
        ("node1", "192.168.56.11", "node1"), ("node2", "192.168.56.12", "node2")]
    svc = next(s for s in t.services if s.name == "node-exporter")
    assert sorted(str(e) for e in t.endpoints(svc, svc.ports[0])) == ["192.168.56.11:9100", "192.168.56.12:9100"]
    plan = compile_plan(t)
    assert not [s for s in plan.steps if type(s).__name__ == "Netns" and "node-exporter" in s.name]
    clash = problems_of(LAB + "pods:\n  - {name: a, node: node1, hostNetwork: true, serve: ['tcp:9100']}\n"
                              "  - {name: b, node: node1, hostNetwork: true, serve: ['tcp:9100']}\n")
    assert any("a listens on these ports in node 'node1's namespace already" in p for p in clash)


def test_what_a_review_found_stays_fixed() -> None:
    """Each of these once slipped through: a traceback, a silent loss, or a wrong namespace."""
    bad = problems_of(LAB + """---
apiVersion: apps/v1
kind: Deployment
metadata: {name: d}
spec:
  selector: {matchLabels: {app: d}}
  template:
    metadata: {labels: {app: d}, annotations: {netlab/serve: 8080}}
    spec: {containers: [{name: c, image: i}]}
""")
    assert any("an annotation is a string" in p for p in bad)
    assert any("pods (line 4): expected a list" in p for p in problems_of(
        LAB + "pods: {name: oops}\n---\n{apiVersion: v1, kind: Pod, metadata: {name: a}, spec: {containers: "
        "[{name: c, image: i}]}}\n"))  # the lab's own section, not swallowed by the manifests
    t = load_topology_text(LAB + """pods:
  - {name: agent, node: node1, hostNetwork: true, containers: [{name: a, serve: ['tcp:9100']}, {name: b}]}
  - {name: web, node: node1, labels: {app: web}, serve: ['http:80']}
  - {name: ds, kind: DaemonSet, nodeSelector: {gpu: 'yes'}, labels: {app: ds}}
networkPolicies:
  - {name: from-agent, podSelector: {matchLabels: {app: web}}, ingress: [{from: [{podSelector: {}}]}]}
""")
    daemons = {s.name: s.netns for s in compile_plan(t).steps if isinstance(s, Daemon) and "agent" in s.name}
    assert daemons == {"echo-agent.a": "netlab.m.node1", "echo-agent.b": "netlab.m.node1"}  # no sandbox of its own
    assert not [p for p in t.pods if p.deployment == "ds"]  # a DaemonSet no node admits: no pods, no problem
    plan = compile_plan(t).to_json()
    assert "192.168.56.11" not in "".join(line for line in plan.splitlines() if "add KUBE-SRC" in line)


def test_modes_in_any_order_and_what_they_may_not_share() -> None:
    t = load_topology_text("name: d\npods:\n  - {name: side, network: 'container:main', serve: ['tcp:81']}\n"
                           "  - {name: main, serve: ['tcp:80']}\n")
    assert t.home_of("side") == "main" and str(next(p for p in t.pods if p.name == "side").ip.ip) == "172.17.0.2"
    clash = problems_of("name: d\npods:\n  - {name: tool, network: host, serve: ['tcp:8080']}\n"
                        "  - {name: web, serve: ['http:80'], publish: ['8080:80']}\n")
    assert any("is already taken by 'tool'" in p for p in clash)
    bridges = problems_of("name: d\ndocker: {networks: [{name: a, bridge: docker0}, {name: b, bridge: br-x}, "
                          "{name: c, bridge: br-x}, {name: e, subnet: 10.9.9.0/31}]}\n")
    assert sum("is already in use on the host" in p for p in bridges) == 2
    assert any("has no room for a gateway and a container" in p for p in bridges)


def test_the_documentation_files_are_kept_as_published() -> None:
    """Saved byte for byte, each with its source named (tests/data/k8s-docs/README.md)."""
    readme = (DOCS / "README.md").read_text()
    listed = [line.split("|")[1].strip() for line in readme.splitlines() if line.startswith("| ") and ".yaml" in line]
    assert sorted(listed) == sorted(p.name for p in DOCS.glob("*.yaml"))
