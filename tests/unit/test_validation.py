"""Validation: each kind of mistake gives its exact message, at its YAML path and line, all at once."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from netlab.errors import TopologyError
from netlab.topology import load_topology, load_topology_text

TOPOLOGIES = sorted(Path(__file__).parents[2].joinpath("topologies").glob("**/*.yaml"))


def problems(text: str) -> list[str]:
    with pytest.raises(TopologyError) as caught:
        load_topology_text(textwrap.dedent(text))
    return [str(p) for p in caught.value.problems]


def test_five_line_file_gets_sensible_defaults() -> None:
    t = load_topology_text("name: mini\npods:\n  - name: a\n  - name: b\n")
    assert t.cluster.cni == "docker-bridge" and t.cluster.proxy == "none"
    assert [n.name for n in t.nodes] == ["node1"]
    assert str(t.nodes[0].ip) == "192.168.56.11" and str(t.nodes[0].bridge_ip) == "172.17.0.1/16"
    assert [str(p.ip) for p in t.pods] == ["172.17.0.2/16", "172.17.0.3/16"]
    assert str(t.underlay.gateway) == "192.168.56.1/24" and str(t.internet.gateway) == "203.0.113.1/24"


def test_fixed_addresses_are_kept_and_skipped_by_the_pool() -> None:
    t = load_topology_text(textwrap.dedent("""
        name: fixed
        pods:
          - {name: a}
          - {name: b, ip: 172.17.0.2}
        internet:
          hosts: [{name: h1}, {name: h2, ip: 203.0.113.10}]
    """))
    assert {p.name: str(p.ip.ip) for p in t.pods} == {"a": "172.17.0.3", "b": "172.17.0.2"}
    assert {h.name: str(h.ip.ip) for h in t.internet.hosts} == {"h1": "203.0.113.11", "h2": "203.0.113.10",
                                                                "ns1": "203.0.113.53"}  # the internet's name server


@pytest.mark.parametrize("path", TOPOLOGIES, ids=lambda p: p.name)
def test_shipped_topologies_are_valid(path: Path) -> None:
    load_topology(path)


CASES = {
    "unknown key with did-you-mean": (
        "name: x\npodz: []\n",
        ["podz (line 2): unknown key 'podz'\n    hint: did you mean 'pods'?"]),
    "unknown nested key": (
        "name: x\ncluster:\n  podCIRD: 10.0.0.0/8\n",
        ["cluster.podCIRD (line 3): unknown key 'podCIRD'\n    hint: did you mean 'podCIDR'?"]),
    "bad CIDR": (
        "name: x\ncluster:\n  podCIDR: 10.244.0.0/33\n",
        ["cluster.podCIDR (line 3): '10.244.0.0/33' is not a valid CIDR\n"
         "    hint: write ADDRESS/PREFIX, e.g. 10.244.0.0/16"]),
    "CIDR with host bits": (
        "name: x\nunderlay:\n  subnet: 192.168.56.1/24\n",
        ["underlay.subnet (line 3): '192.168.56.1/24' has host bits set\n    hint: did you mean 192.168.56.0/24?"]),
    "overlapping ranges": (
        "name: x\ncluster:\n  serviceCIDR: 172.17.0.0/24\n",
        ["cluster.serviceCIDR (line 3): 172.17.0.0/24 overlaps cluster.podCIDR 172.17.0.0/16\n"
         "    hint: pod, service, underlay and internet ranges must be disjoint"]),
    "internet outside documentation prefixes": (
        "name: x\ninternet:\n  subnet: 8.8.8.0/24\n",
        ["internet.subnet (line 3): 8.8.8.0/24 is not a documentation prefix\n"
         "    hint: the simulated internet must use 203.0.113.0/24, 198.51.100.0/24 or 192.0.2.0/24 "
         "so that no real address is ever used"]),
    "duplicate names": (
        "name: x\nnodes: [{name: n1}]\npods:\n  - name: n1\n",
        ["pods[0].name (line 4): duplicate name 'n1'\n    hint: also used at line 2"]),
    "duplicate IPs": (
        "name: x\npods:\n  - {name: a, ip: 172.17.0.5}\n  - {name: b, ip: 172.17.0.5}\n",
        ["pods[1].ip (line 4): address 172.17.0.5 is used twice\n    hint: also at line 3"]),
    "unknown node": (
        "name: x\npods:\n  - {name: a, node: nod1}\n",
        ["pods[0].node (line 3): unknown node 'nod1'\n    hint: known nodes: node1"]),
    "pod IP outside its node's range": (
        "name: x\npods:\n  - {name: a, ip: 10.1.2.3}\n",
        ["pods[0].ip (line 3): 10.1.2.3 is not a usable pod address on node 'node1'\n"
         "    hint: pods on node1 use 172.17.0.0/16; 172.17.0.1 is the bridge"]),
    "port out of range": (
        "name: x\npods:\n  - {name: a, serve: ['http:70000']}\n",
        ["pods[0].serve[0] (line 3): 'http:70000' is not a valid serve entry\n"
         "    hint: write PROTO:PORT with PROTO one of tcp, udp, http and PORT 1-65535, e.g. http:80"]),
    "not a DNS label": (
        "name: x\npods:\n  - {name: Web_1}\n",
        ["pods[0].name (line 3): 'Web_1' is not a valid name\n"
         "    hint: use lower-case letters, digits and '-', starting and ending with a letter or digit"]),
    "name too long for an interface": (
        "name: x\nnodes:\n  - name: a-sixteen-chars1\n",
        ["nodes[0].name (line 3): 'a-sixteen-chars1' is 16 characters; the limit is 15\n"
         "    hint: this name becomes a network interface name, and Linux allows 15 characters"]),
    "NodePort outside 30000-32767": (
        "name: x\nservices:\n  - name: s\n    type: NodePort\n    ports: [{port: 80, nodePort: 8080}]\n",
        ["services (line 2): services need kube-proxy, and this lab has proxy 'none'\n"
         "    hint: set cluster.cni to a Kubernetes mode (flannel-vxlan, host-gw) and cluster.proxy",
         "services[0].ports[0].nodePort (line 5): 8080 is out of range 30000-32767\n"
         "    hint: Kubernetes' default --service-node-port-range is 30000-32767"]),
    "unsupported mode combination": (
        "name: x\ncluster:\n  cni: docker-bridge\n  proxy: iptables\n",
        ["cluster.proxy (line 4): proxy 'iptables' needs a Kubernetes cni, not docker-bridge\n"
         "    hint: use a Kubernetes cni (flannel-vxlan, host-gw, calico) for Services, or drop 'proxy'"]),
    "headless NodePort": (
        "name: x\ncluster: {cni: host-gw}\nservices:\n  - {name: s, type: NodePort, clusterIP: None, "
        "ports: [{port: 80}]}\n",
        ["services[0].clusterIP (line 4): a headless service (clusterIP: None) cannot be a NodePort\n"
         "    hint: drop 'clusterIP: None' or use type ClusterIP"]),
    "allocateLoadBalancerNodePorts on a NodePort": (
        "name: x\ncluster: {cni: host-gw}\nservices:\n  - {name: s, type: NodePort, allocateLoadBalancerNodePorts: "
        "false, ports: [{port: 80}]}\n",
        ["services[0].allocateLoadBalancerNodePorts (line 4): only a LoadBalancer service allocates node ports by "
         "this field"]),
    "a service port listed twice": (
        "name: x\ncluster: {cni: host-gw}\nservices:\n  - name: s\n    ports:\n"
        "      - {name: a, port: 80}\n      - {name: b, port: 80}\n",
        ["services[0].ports[1].port (line 7): tcp port 80 is listed twice"]),
    "NodePorts run out": (
        "name: x\ncluster: {cni: host-gw}\nservices:\n" + "".join(
            f"  - {{name: s{i}, type: NodePort, ports: [{{port: 80}}]}}\n" for i in range(2769)),
        ["services[2768].ports[0] (line 2772): no nodePort left in 30000-32767\n"
         "    hint: use type ClusterIP for some services"]),
    "sourceSeen node without a node": (
        "name: x\ninternet: {hosts: [{name: web}]}\nprobes:\n"
        "  - {from: web, to: 203.0.113.10, protocol: tcp, port: 80, expect: {sourceSeen: node}}\n",
        ["probes[0].expect.sourceSeen (line 4): 'node' needs a pod as the source or a node as the target\n"
         "    hint: name the node, e.g. sourceSeen: node1, or give an address"]),
    "unknown proxy mode": (
        "name: x\ncluster: {cni: host-gw, proxy: ipvs2}\n",
        ["cluster.proxy (line 2): 'ipvs2' is not a valid proxy\n    hint: did you mean 'ipvs'?"]),
    "more nodes than node subnets": (
        "name: x\ncluster: {cni: host-gw, podCIDR: 10.244.0.0/23}\nnodes: [{name: a}, {name: b}, {name: c}]\n",
        ["nodes (line 3): 3 nodes but podCIDR 10.244.0.0/23 holds only 2 /24 node subnets\n"
         "    hint: widen cluster.podCIDR or lengthen nodeSubnetLen"]),
    "node subnets wider than the pod network": (
        "name: x\ncluster: {cni: flannel-vxlan, podCIDR: 10.244.0.0/20, nodeSubnetLen: 16}\n",
        ["cluster.nodeSubnetLen (line 2): /16 does not fit in podCIDR 10.244.0.0/20\n"
         "    hint: nodeSubnetLen must be longer than the podCIDR prefix"]),
    "underlay overlaps the pod network": (
        "name: x\ncluster: {cni: flannel-vxlan}\nunderlay: {subnet: 10.244.5.0/24}\n",
        ["underlay.subnet (line 3): 10.244.5.0/24 overlaps cluster.podCIDR 10.244.0.0/16\n"
         "    hint: pod, service, underlay and internet ranges must be disjoint"]),
    "misspelt mode": (
        "name: x\ncluster:\n  cni: docker-brige\n",
        ["cluster.cni (line 3): 'docker-brige' is not a valid cni\n    hint: did you mean 'docker-bridge'?"]),
    "unknown probe references": (
        "name: x\npods: [{name: a}]\nprobes:\n  - {from: ghost, to: 'a:80'}\n  - {from: a, to: nowhere}\n",
        ["probes[0].from (line 4): unknown probe source 'ghost'\n"
         "    hint: a probe starts in a pod, a node or an internet host",
         "probes[1].to (line 5): unknown probe target 'nowhere'\n"
         "    hint: a pod, node, internet host or service name, an IPv4 address, or a DNS name"]),
    "a DNS name in a lab without DNS": (
        "name: x\ncluster: {dns: none}\npods: [{name: a}]\nprobes:\n  - {from: a, to: 'web.example.com:80'}\n",
        ["probes[0].to (line 5): 'web.example.com' is a DNS name, and this lab has no DNS\n"
         "    hint: remove 'cluster.dns: none', or name a pod, node, host or service the lab has"]),
    "a dns probe with a port": (
        "name: x\npods: [{name: a}]\nprobes:\n  - {from: a, to: 'ns1.example.com:53', protocol: dns}\n",
        ["probes[0].to (line 4): a dns probe asks the source's own name servers: it has no port\n"
         "    hint: to: the name to look up, e.g. web.default.svc.cluster.local"]),
    "a query type that does not exist": (
        "name: x\npods: [{name: a}]\nprobes:\n  - {from: a, to: ns1.example.com, query: AXFR}\n",
        ["probes[0].query (line 4): 'AXFR' is not a query type netlab asks\n"
         "    hint: one of: A, AAAA, CNAME, SRV, PTR, TXT, SOA, NS, MX"]),
    "an answer expected of a tcp probe": (
        "name: x\npods: [{name: a}, {name: b}]\nprobes:\n  - {from: a, to: 'b:80', expect: {answer: [1.2.3.4]}}\n",
        ["probes[0].expect (line 4): only a dns probe expects an answer or an rcode\n    hint: protocol: dns"]),
    "an rcode that does not exist": (
        "name: x\npods: [{name: a}]\nprobes:\n  - {from: a, to: x.example.com, protocol: dns, expect: {rcode: NOPE}}\n",
        ["probes[0].expect.rcode (line 4): 'NOPE' is not a response code\n"
         "    hint: one of: NOERROR, NXDOMAIN, SERVFAIL, REFUSED"]),
    "wrong type": (
        "name: x\npods: {name: a}\n",
        ["pods (line 2): expected a list, got a mapping"]),
    "reserved name": (
        "name: x\npods: [{name: internet}]\n",
        ["pods[0].name (line 2): 'internet' is reserved for netlab's own namespace\n    hint: pick another name"]),
    "published port used twice": (
        "name: x\npods:\n  - {name: a, publish: ['8080:80']}\n  - {name: b, publish: ['8080:81']}\n",
        ["pods[1].publish[0] (line 4): tcp port 8080 on node 'node1' is already taken by 'a'\n"
         "    hint: a host port can be published once, and not where a container on the host's network listens"]),
    "broken YAML": (
        "name: x\npods: [\n",
        None),
    "empty file": (
        "",
        ["the file is empty\n    hint: a lab needs at least 'name:' and some 'pods:'"]),
}


@pytest.mark.parametrize("case", CASES, ids=list(CASES))
def test_each_mistake_gives_its_message(case: str) -> None:
    text, expected = CASES[case]
    found = problems(text)
    if expected is None:
        assert len(found) == 1 and "line" in found[0]
    else:
        assert found == expected


def test_every_problem_is_reported_at_once() -> None:
    found = problems("""
        name: Bad
        clusterr: {}
        nodes: [{name: n1}, {name: n1}]
        pods:
          - {name: a, node: ghost}
          - {name: b, ip: 300.1.1.1}
    """)
    assert len(found) == 5, found
    assert [f.split(" ")[0] for f in found] == ["name", "clusterr", "nodes[1].name", "pods[0].node", "pods[1].ip"]
