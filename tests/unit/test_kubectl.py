"""`netlab get`: kubectl's columns and words for a lab's objects (netlab/kubectl.py), read from a topology file."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from netlab import kubectl
from netlab.errors import UsageError
from netlab.topology import load_topology, load_topology_text

ROOT = Path(__file__).parents[2]


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "netlab", *args], capture_output=True, text=True, cwd=ROOT,
                          timeout=60)


@pytest.mark.parametrize(("seconds", "shown"), [
    (1, "1s"), (70, "70s"), (190, "3m10s"), (600, "10m"), (70 * 60, "70m"), (4 * 3600, "4h"), (4 * 3600 + 60, "4h1m"),
    (47 * 3600, "47h"), (49 * 3600, "2d1h"), (8 * 24 * 3600 + 7200, "8d"), (367 * 24 * 3600, "367d"),
    ((365 * 2 * 24 + 25) * 3600, "2y1d"), ((365 * 8 * 24 + 2) * 3600, "8y"),  # TestHumanDuration, then its
    (-2, "<invalid>"), (-1.5, "0s"), (0, "0s"), (119.9, "119s"), (120, "2m"), (121, "2m1s"), (599, "9m59s")])  # bounds
def test_age_is_apimachinerys_human_duration(seconds: int, shown: str) -> None:
    assert kubectl.human_duration(seconds) == shown


def cluster(path: str, running: bool = True) -> kubectl.Cluster:
    t = load_topology(ROOT / path)
    return kubectl.Cluster(t, frozenset() if running else None, 0.0)


def test_services_print_kubectls_columns_sorted_by_namespace_and_name() -> None:
    c = cluster("topologies/dns.yaml")
    text = kubectl.table(c, "services", None, wide=True).text().splitlines()
    assert text[0].split() == ["NAMESPACE", "NAME", "TYPE", "CLUSTER-IP", "EXTERNAL-IP", "PORT(S)", "AGE", "SELECTOR"]
    names = [(line.split()[0], line.split()[1]) for line in text[1:]]
    assert names == sorted(names)
    rows = {line.split()[1]: line.split() for line in text[1:]}
    assert rows["kube-dns"][2:6] == ["ClusterIP", "10.96.0.10", "<none>", "53/UDP,53/TCP,9153/TCP"]
    assert rows["db"][3] == "None"  # headless
    assert rows["search"][2:6] == ["ExternalName", "<none>", "outside.example.com", "<none>"]


def test_node_ports_and_pending_load_balancers_read_as_kubectl_shows_them() -> None:
    c = cluster("topologies/services-iptables.yaml")
    lines = kubectl.table(c, "services", "default", False).text().splitlines()
    rows = {line.split()[0]: line.split() for line in lines}
    assert rows["web"][1:4] == ["NodePort", "10.96.0.11", "<none>"]
    assert re.fullmatch(r"80:30080/TCP,53:3\d{4}/UDP", rows["web"][4])
    lb = cluster("topologies/exercises/lb-pending.yaml")
    pending = [line.split() for line in kubectl.table(lb, "services", None, False).text().splitlines()
               if "LoadBalancer" in line]
    assert pending and pending[0][4] == "<pending>"


def test_endpoints_show_three_then_how_many_more() -> None:
    t = load_topology_text("name: m\ncluster: {cni: flannel-vxlan, dns: none}\npods:\n"
                           "  - {name: web, replicas: 5, labels: {app: web}, serve: ['http:80']}\n"
                           "services: [{name: web, selector: {app: web}, ports: [{port: 80}]}]\n")
    row = kubectl.table(kubectl.Cluster(t, frozenset(), 0.0), "endpoints", "default", False).rows[0]
    assert row[1].endswith(" + 2 more...") and row[1].count(":80") == 3


def test_a_pod_whose_process_died_is_in_error() -> None:
    c = cluster("topologies/deployment.yaml")
    client = next(p for p in c.topology.pods if p.name == "client")
    dead = kubectl.Cluster(c.topology, frozenset({f"netlab.deployment.{client.name}"}), 0.0)
    rows = {r[0]: r for r in kubectl.table(dead, "pods", "default", False).rows}
    assert rows["client"][1:3] == ("0/1", "Error")
    assert {r[2] for name, r in rows.items() if name != "client"} == {"Running"}


def test_json_is_a_v1_list_of_objects_with_their_status() -> None:
    c = cluster("topologies/services-iptables.yaml")
    pods = kubectl.objects(c, "pods", "default")
    assert (pods["apiVersion"], pods["kind"]) == ("v1", "List")
    web1 = next(p for p in pods["items"] if p["metadata"]["name"] == "web1")
    assert web1["status"]["podIP"] == str(c.topology.address_of("web1"))
    assert web1["status"]["hostIP"] == str(c.topology.node("node1").ip)
    svc = next(s for s in kubectl.objects(c, "services", "default")["items"] if s["metadata"]["name"] == "web")
    assert svc["spec"]["ports"][0] == {"name": "http", "port": 80, "protocol": "TCP", "targetPort": 80,
                                       "nodePort": 30080}
    ep = next(e for e in kubectl.objects(c, "endpoints", "default")["items"] if e["metadata"]["name"] == "web")
    assert {a["targetRef"]["name"] for a in ep["subsets"][0]["addresses"]} == {"web1", "web2"}


def test_kubectls_short_names_and_its_message_for_an_unknown_kind() -> None:
    assert [kubectl.resource(n) for n in ("po", "svc", "ep", "netpol", "ing", "deploy", "sts", "ds", "rs")] == [
        "pods", "services", "endpoints", "networkpolicies", "ingresses", "deployments", "statefulsets",
        "daemonsets", "replicasets"]
    with pytest.raises(UsageError, match='the server doesn\'t have a resource type "widgets"'):
        kubectl.resource("widgets")


def test_the_command_reads_a_file_without_root_and_says_when_there_is_nothing() -> None:
    done = run_cli("get", "topologies/netpol.yaml", "netpol", "-n", "shop")
    assert done.returncode == 0 and done.stdout.splitlines()[0].split() == ["NAME", "POD-SELECTOR", "AGE"]
    empty = run_cli("get", "topologies/deployment.yaml", "ingresses")
    assert empty.returncode == 0 and "No resources found in default namespace." in empty.stderr
    as_json = json.loads(run_cli("get", "topologies/ingress.yaml", "ing", "-o", "json").stdout)
    assert as_json["items"][0]["spec"]["ingressClassName"] == "nginx"
