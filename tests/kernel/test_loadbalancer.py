"""Getting traffic in (the LoadBalancer issue): a `type: LoadBalancer` Service with no provider, as kubectl and
kube-proxy see it — its external IP <pending>, its node ports working."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from netlab.lifecycle.status import lab_status
from netlab.topology import Topology

from .conftest import built
from .netutil import http_get

LAB = """
name: lb-pending
cluster: {cni: flannel-vxlan, proxy: iptables, dns: none}
nodes: [{name: node1}, {name: node2}]
pods:
  - {name: web1, node: node1, labels: {app: web}, serve: ["http:80"]}
internet:
  hosts: [{name: client}]
services:
  - {name: web, type: LoadBalancer, selector: {app: web}, ports: [{port: 80}]}
  - {name: bare, type: LoadBalancer, allocateLoadBalancerNodePorts: false, selector: {app: web}, ports: [{port: 81,
     targetPort: 80}]}
"""


@pytest.fixture(scope="module")
def pending() -> Iterator[Topology]:
    yield from built(LAB)


def test_a_loadbalancer_with_no_provider_is_pending_and_its_node_port_works(pending: Topology) -> None:
    services = {s["name"]: s for s in lab_status("lb-pending").as_dict()["services"]}
    assert services["web"]["external_ip"] == "<pending>" and services["web"]["node_ports"] == [30000]
    assert services["bare"]["node_ports"] == []
    # from the internet to node2, which has no endpoint: forwarded to web1 on node1, the client masqueraded away
    answer = http_get("lb-pending", "client", "192.168.56.12", 30000)
    assert answer["server"] == "web1"
