"""Docker's default bridge network, as dockerd (libnetwork's bridge driver) builds it.

Per node: bridge docker0 holding 172.17.0.1/16, ip_forward on, and dockerd's rules in the lab's layout (rules.py:
Docker 29's by default, 28's or the classic ≤27 one) with the defaults icc=true, ip-masq=true, userland-proxy=true.
Per container: a veth `veth<7 hex>` enslaved to docker0 and eth0 inside with the next address, default route via
docker0. Per published port: a DNAT in nat DOCKER, an ACCEPT in filter DOCKER, and a docker-proxy process
listening on the host port (it serves what the rules skip: traffic from the node itself to 127.0.0.1 and from
containers on docker0).
"""

from __future__ import annotations

from netlab import naming
from netlab.compile.links import bridge, containers_on_bridge
from netlab.features.docker import embedded_dns, rules
from netlab.plan import PYTHON, Daemon, LinkSet, Netns, Note, RuleSet, Step, Sysctl
from netlab.topology.model import Node, Pod, Topology

BRIDGE = "docker0"
VETH_HEX_DIGITS = 7  # libnetwork: vethLen = len("veth") + 7
DOCKER_PROXY = "netlab.workloads.docker_proxy"
LAYOUT_NAMES = {"current": "as Docker 29 writes them", "28": "as Docker 28 writes them",
                "classic": "as Docker 27 and earlier write them"}


def compile_pod_network(t: Topology) -> list[Step]:
    steps: list[Step] = []
    for node in t.nodes:
        ns = naming.netns(t.name, node.name)
        pods = t.pods_on(node.name)
        on_docker0 = tuple(p for p in pods if not p.network)  # "": docker0; modes and user networks aside
        steps += [Note(f"node {node.name}: dockerd creates {BRIDGE} {node.bridge} and turns on forwarding")]
        steps += bridge(t.name, ns, BRIDGE, 1500, str(node.bridge))
        steps += [Sysctl(ns, "net.ipv4.ip_forward", "1")]
        for net in t.cluster.docker_networks:
            steps += [Note(f"node {node.name}: docker network create {net.name}: bridge {net.bridge} {net.gateway}")]
            steps += bridge(t.name, ns, net.bridge, 1500, str(net.gateway))
        networks = [rules.Network(BRIDGE, node.pod_subnet, tuple(p.ip.ip for p in on_docker0),
                                  tuple((p.ip.ip, pub) for p in on_docker0 for pub in p.publish))]
        for net in t.cluster.docker_networks:
            members = [p for p in pods if p.network == net.name]
            networks.append(rules.Network(net.bridge, net.subnet, tuple(p.ip.ip for p in members),
                                          tuple((p.ip.ip, pub) for p in members for pub in p.publish)))
        payloads = rules.tables(t.cluster.docker_layout, networks)
        steps += [Note(f"node {node.name}: dockerd's iptables rules, {LAYOUT_NAMES[t.cluster.docker_layout]} "
                       f"({', then '.join(payloads)})")]
        steps += [RuleSet(ns, t.cluster.iptables, table, payload) for table, payload in payloads.items()]
        taken: set[str] = set()
        steps += containers_on_bridge(t, node, BRIDGE, hex_digits=VETH_HEX_DIGITS, label="container",
                                      pods=on_docker0, taken=taken)
        for net in t.cluster.docker_networks:
            steps += containers_on_bridge(t, node, net.bridge, hex_digits=VETH_HEX_DIGITS, label="container",
                                          pods=tuple(p for p in pods if p.network == net.name),
                                          gateway=str(net.gateway.ip), taken=taken)
        for pod in (p for p in pods if p.network == "none"):
            steps += [Note(f"container {pod.name}: --network none, a namespace with lo alone"),
                      Netns(naming.netns(t.name, pod.name), "pod", node.name),
                      LinkSet(naming.netns(t.name, pod.name), "lo", None)]
        steps += embedded_dns.compile_node(t, node)
        steps += docker_proxies(t, node, pods)
    return steps


def docker_proxies(t: Topology, node: Node, pods: tuple[Pod, ...]) -> list[Step]:
    """One userland proxy per published port, listening on the host port (libnetwork's portmapper): it serves
    what the DNAT rules leave out, the node's own connections to 127.0.0.1 and containers on docker0."""
    published = [(pod, pub) for pod in pods for pub in pod.publish]
    steps: list[Step] = [Note(f"node {node.name}: dockerd starts one docker-proxy per published port")] if published \
        else []
    for pod, pub in published:
        steps.append(Daemon(
            naming.netns(t.name, node.name), f"docker-proxy-{node.name}-{pub.protocol}-{pub.host_port}",
            (PYTHON, "-m", DOCKER_PROXY, "-proto", str(pub.protocol), "-host-ip", "0.0.0.0", "-host-port",
             str(pub.host_port), "-container-ip", str(pod.ip.ip), "-container-port", str(pub.container_port)),
            ports=(f"{pub.protocol}/{pub.host_port}",)))
    return steps
