"""Docker's default bridge network, as dockerd (libnetwork's bridge driver, classic ≤ v27 layout) builds it.

Per node: bridge docker0 holding 172.17.0.1/16, ip_forward on, and the nat/filter rules of
kubernetes-dataplane.md §6.1 with the defaults icc=true, ip-masq=true, userland-proxy=true. Per container:
a veth `veth<7 hex>` enslaved to docker0 and eth0 inside with the next address, default route via docker0.
Per published port: a DNAT in nat DOCKER, an ACCEPT in filter DOCKER, a hairpin MASQUERADE, and a
docker-proxy process listening on the host port (it serves what the rules skip: traffic from the
node itself to 127.0.0.1 and from containers on docker0).
"""

from __future__ import annotations

from netlab import naming
from netlab.compile.links import bridge, containers_on_bridge
from netlab.plan import PYTHON, Daemon, Note, RuleSet, Step, Sysctl
from netlab.topology.model import Node, Pod, Topology

BRIDGE = "docker0"
VETH_HEX_DIGITS = 7  # libnetwork: vethLen = len("veth") + 7
DOCKER_PROXY = "netlab.workloads.docker_proxy"


def compile_pod_network(t: Topology) -> list[Step]:
    steps: list[Step] = []
    for node in t.nodes:
        ns = naming.netns(t.name, node.name)
        pods = t.pods_on(node.name)
        steps += [Note(f"node {node.name}: dockerd creates {BRIDGE} {node.bridge} and turns on forwarding")]
        steps += bridge(t.name, ns, BRIDGE, 1500, str(node.bridge))
        steps += [Sysctl(ns, "net.ipv4.ip_forward", "1")]
        steps += [Note(f"node {node.name}: dockerd's iptables rules (nat, then filter)"),
                  RuleSet(ns, t.cluster.iptables, "nat", nat_rules(node, pods)),
                  RuleSet(ns, t.cluster.iptables, "filter", filter_rules(pods))]
        steps += containers_on_bridge(t, node, BRIDGE, hex_digits=VETH_HEX_DIGITS, label="container")
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


def nat_rules(node: Node, pods: tuple[Pod, ...]) -> str:
    subnet = node.pod_subnet
    lines = [
        "*nat",
        ":PREROUTING ACCEPT [0:0]",
        ":INPUT ACCEPT [0:0]",
        ":OUTPUT ACCEPT [0:0]",
        ":POSTROUTING ACCEPT [0:0]",
        ":DOCKER - [0:0]",
        "-A PREROUTING -m addrtype --dst-type LOCAL -j DOCKER",
        # With the userland proxy on, dockerd leaves 127.0.0.0/8 to docker-proxy.
        "-A OUTPUT ! -d 127.0.0.0/8 -m addrtype --dst-type LOCAL -j DOCKER",
        f"-A POSTROUTING -s {subnet} ! -o {BRIDGE} -j MASQUERADE",
    ]
    for pod in pods:
        for pub in pod.publish:
            p = pub.protocol
            lines.append(f"-A POSTROUTING -s {pod.ip.ip}/32 -d {pod.ip.ip}/32 -p {p} -m {p} "
                         f"--dport {pub.container_port} -j MASQUERADE")
    lines.append(f"-A DOCKER -i {BRIDGE} -j RETURN")
    for pod in pods:
        for pub in pod.publish:
            p = pub.protocol
            lines.append(f"-A DOCKER ! -i {BRIDGE} -p {p} -m {p} --dport {pub.host_port} "
                         f"-j DNAT --to-destination {pod.ip.ip}:{pub.container_port}")
    return "\n".join(lines + ["COMMIT", ""])


def filter_rules(pods: tuple[Pod, ...]) -> str:
    lines = [
        "*filter",
        ":INPUT ACCEPT [0:0]",
        # dockerd found ip_forward off (a fresh namespace) and turned it on, so it set FORWARD's policy to DROP.
        ":FORWARD DROP [0:0]",
        ":OUTPUT ACCEPT [0:0]",
        ":DOCKER - [0:0]",
        ":DOCKER-ISOLATION-STAGE-1 - [0:0]",
        ":DOCKER-ISOLATION-STAGE-2 - [0:0]",
        ":DOCKER-USER - [0:0]",
        "-A FORWARD -j DOCKER-USER",
        "-A FORWARD -j DOCKER-ISOLATION-STAGE-1",
        f"-A FORWARD -o {BRIDGE} -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT",
        f"-A FORWARD -o {BRIDGE} -j DOCKER",
        f"-A FORWARD -i {BRIDGE} ! -o {BRIDGE} -j ACCEPT",
        f"-A FORWARD -i {BRIDGE} -o {BRIDGE} -j ACCEPT",
    ]
    for pod in pods:
        for pub in pod.publish:
            p = pub.protocol
            lines.append(f"-A DOCKER -d {pod.ip.ip}/32 ! -i {BRIDGE} -o {BRIDGE} -p {p} -m {p} "
                         f"--dport {pub.container_port} -j ACCEPT")
    lines += [
        f"-A DOCKER-ISOLATION-STAGE-1 -i {BRIDGE} ! -o {BRIDGE} -j DOCKER-ISOLATION-STAGE-2",
        "-A DOCKER-ISOLATION-STAGE-1 -j RETURN",
        f"-A DOCKER-ISOLATION-STAGE-2 -o {BRIDGE} -j DROP",
        "-A DOCKER-ISOLATION-STAGE-2 -j RETURN",
        "-A DOCKER-USER -j RETURN",
        "COMMIT",
        "",
    ]
    return "\n".join(lines)
