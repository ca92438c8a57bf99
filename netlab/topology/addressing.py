"""IPAM and cross-checks: gives every node, pod, host and service its address, deterministically.

Conventions, chosen to match what students meet on real machines:
* underlay (a Vagrant-style private network): the internet router is .1, nodes from .11;
* docker-bridge: each node's docker0 holds the first address of the pod network (172.17.0.1/16), like
  dockerd; pods from .2 (several nodes each get the same 172.17.0.0/16, exactly as separate Docker hosts);
* Kubernetes CNIs: node i gets the i-th /nodeSubnetLen of the podCIDR, cni0 holds .1, pods from .2
  (host-local IPAM skips the gateway);
* internet: the router is .1, hosts from .10; services from the serviceCIDR's .10 upwards.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from ipaddress import IPv4Address, IPv4Interface, IPv4Network

from netlab import features, naming
from netlab.topology.exercise import read_exercise
from netlab.topology.loader import Drafts, PodDraft
from netlab.topology.model import (
    Cluster, Internet, InternetHost, Node, Pod, Probe, Service, ServicePort, Topology, Underlay,
)
from netlab.topology.reader import Path, Reader

# The simulated internet must use documentation prefixes (RFC 5737) so no real address is ever a target.
DOCUMENTATION_NETS = tuple(IPv4Network(n) for n in ("192.0.2.0/24", "198.51.100.0/24", "203.0.113.0/24"))
FIRST_NODE_HOST = 11
FIRST_INTERNET_HOST = 10
FIRST_SERVICE_HOST = 10
NODE_PORT_RANGE = range(30000, 32768)  # kube-apiserver's default --service-node-port-range


class Pool:
    """Hands out host addresses of a network in order, skipping reserved ones."""

    def __init__(self, network: IPv4Network, first: int, reserved: set[IPv4Address]) -> None:
        self.network = network
        self.next = network.network_address + first
        self.reserved = set(reserved)

    def take(self) -> IPv4Address | None:
        while self.next < self.network.broadcast_address:
            candidate, self.next = self.next, self.next + 1
            if candidate not in self.reserved:
                self.reserved.add(candidate)
                return candidate
        return None


def resolve(r: Reader, d: Drafts) -> Topology | None:
    """Turns drafts into the model, or returns None after recording why it cannot."""
    check_unique_names(r, d)
    nets = {"cluster.podCIDR": d.cluster.pod_cidr, "cluster.serviceCIDR": d.cluster.service_cidr,
            "underlay.subnet": d.underlay_subnet, "internet.subnet": d.internet_subnet}
    check_overlaps(r, nets)
    if d.internet_subnet is not None and not any(d.internet_subnet.subnet_of(n) for n in DOCUMENTATION_NETS):
        r.problem(("internet", "subnet"), f"{d.internet_subnet} is not a documentation prefix",
                  "the simulated internet must use 203.0.113.0/24, 198.51.100.0/24 or 192.0.2.0/24 "
                  "so that no real address is ever used")
    # An invalid range was reported already; stand in its default so every other problem is found too.
    pod_cidr = d.cluster.pod_cidr or IPv4Network("10.244.0.0/16")
    cluster = Cluster(d.cluster.cni.name, d.cluster.proxy, pod_cidr,
                      d.cluster.service_cidr or IPv4Network("10.96.0.0/12"), d.cluster.node_subnet_len,
                      d.cluster.iptables_backend)
    underlay_subnet = d.underlay_subnet or IPv4Network("192.168.56.0/24")
    underlay = Underlay(underlay_subnet, host_interface(underlay_subnet, 1), d.underlay_mtu)
    nodes = resolve_nodes(r, d, d.cluster.cni, cluster, underlay)
    pods = resolve_pods(r, d, nodes)
    internet = resolve_internet(r, d, d.internet_subnet or DOCUMENTATION_NETS[2])
    services = resolve_services(r, d, cluster.service_cidr)
    if d.services and cluster.proxy == features.NO_PROXY:
        r.problem(("services",), "services need kube-proxy, and this lab has proxy 'none'",
                  "set cluster.cni to a Kubernetes mode (flannel-vxlan, host-gw) and cluster.proxy")
    probes = resolve_probes(r, d)
    members = {name for _, name in named_drafts(d)} | {naming.UNDERLAY, naming.INTERNET}
    exercise = read_exercise(r, d.exercise, members, {p.name for p in probes})
    if r.problems:
        return None
    return Topology(d.name, cluster, underlay, internet, nodes, pods, services, probes, exercise)


def host_interface(net: IPv4Network, index: int) -> IPv4Interface:
    return IPv4Interface(f"{net.network_address + index}/{net.prefixlen}")


def check_unique_names(r: Reader, d: Drafts) -> None:
    """Nodes, pods and internet hosts each get a namespace, so their names share one space."""
    seen: dict[str, Path] = {}
    for path, name in named_drafts(d):
        if name in RESERVED_NAMES:
            r.problem(path + ("name",), f"'{name}' is reserved for netlab's own namespace", "pick another name")
        elif name in seen:
            r.problem(path + ("name",), f"duplicate name '{name}'", f"also used at line {r.doc.line_of(seen[name])}")
        seen.setdefault(name, path)
    services: set[tuple[str, str]] = set()
    for s in d.services:
        if (s.namespace, s.name) in services:
            r.problem(s.path + ("name",), f"duplicate service '{s.namespace}/{s.name}'")
        services.add((s.namespace, s.name))


RESERVED_NAMES = frozenset({naming.UNDERLAY, naming.INTERNET})  # namespaces every lab has


def named_drafts(d: Drafts) -> list[tuple[Path, str]]:
    """Everything that becomes a namespace, with where it was declared."""
    return [(n.path, n.name) for n in d.nodes] + [(p.path, p.name) for p in d.pods] + \
        [(h.path, h.name) for h in d.hosts]


def check_overlaps(r: Reader, nets: dict[str, IPv4Network | None]) -> None:
    items = [(k, v) for k, v in nets.items() if v is not None]
    for i, (name_a, a) in enumerate(items):
        for name_b, b in items[i + 1:]:
            if a.overlaps(b):
                # Point at a range the file spells out, not at one that took its default.
                path_a, path_b = tuple(name_a.split(".")), tuple(name_b.split("."))
                if path_b not in r.doc.lines and path_a in r.doc.lines:
                    (name_a, a, path_a), (name_b, b, path_b) = (name_b, b, path_b), (name_a, a, path_a)
                r.problem(path_b, f"{b} overlaps {name_a} {a}",
                          "pod, service, underlay and internet ranges must be disjoint")


def resolve_nodes(r: Reader, d: Drafts, cni: features.Cni, cluster: Cluster, underlay: Underlay) -> tuple[Node, ...]:
    fixed = {n.ip for n in d.nodes if n.ip is not None}
    for n in d.nodes:
        if n.ip is not None and (n.ip not in underlay.subnet or n.ip in (underlay.subnet.network_address,
                                 underlay.subnet.broadcast_address, underlay.gateway.ip)):
            r.problem(n.path + ("ip",), f"{n.ip} is not a usable node address in underlay {underlay.subnet}",
                      f"{underlay.gateway.ip} is the internet router")
    check_duplicate_ips(r, [(n.path, n.ip) for n in d.nodes])
    pool = Pool(underlay.subnet, FIRST_NODE_HOST, fixed | {underlay.gateway.ip})
    subnets = node_subnets(r, d, cni, cluster)
    nodes = []
    for i, n in enumerate(d.nodes):
        ip = n.ip or pool.take()
        if ip is None:
            r.problem(n.path, f"underlay {underlay.subnet} has no address left for node '{n.name}'")
            continue
        subnet = subnets[i] if i < len(subnets) else cluster.pod_cidr
        bridge = host_interface(subnet, 1)
        nodes.append(Node(n.name, ip, subnet, bridge, n.rules, (ip, bridge.ip, *cni.extra_node_addresses(subnet))))
    return tuple(nodes)


def node_subnets(r: Reader, d: Drafts, cni: features.Cni, cluster: Cluster) -> list[IPv4Network]:
    if cni.shared_subnet:
        return [cluster.pod_cidr] * len(d.nodes)  # every Docker host has the same docker0 network
    if cluster.node_subnet_len < cluster.pod_cidr.prefixlen:
        r.problem(("cluster", "nodeSubnetLen"), f"/{cluster.node_subnet_len} does not fit in podCIDR "
                  f"{cluster.pod_cidr}", "nodeSubnetLen must be longer than the podCIDR prefix")
        return []
    available = 2 ** (cluster.node_subnet_len - cluster.pod_cidr.prefixlen)
    if len(d.nodes) > available:
        r.problem(("nodes",), f"{len(d.nodes)} nodes but podCIDR {cluster.pod_cidr} holds only {available} "
                  f"/{cluster.node_subnet_len} node subnets", "widen cluster.podCIDR or lengthen nodeSubnetLen")
        return []
    return list(limited_subnets(cluster.pod_cidr, cluster.node_subnet_len, len(d.nodes)))


def limited_subnets(net: IPv4Network, prefix: int, count: int) -> Iterator[IPv4Network]:
    subnets = net.subnets(new_prefix=prefix)
    for _ in range(count):
        yield next(subnets)


MAX_BRIDGE_PORTS = 1023  # the kernel's BR_MAX_PORTS is 1024, and port number 0 is never used


def resolve_pods(r: Reader, d: Drafts, nodes: tuple[Node, ...]) -> tuple[Pod, ...]:
    by_name = {n.name: n for n in nodes}
    placed: list[tuple[PodDraft, Node]] = []
    for i, p in enumerate(d.pods):
        if p.node is None:  # round-robin, in file order
            node = nodes[i % len(nodes)] if nodes else None
        else:
            node = by_name.get(p.node)
            if node is None:
                r.problem(p.path + ("node",), f"unknown node '{p.node}'",
                          "known nodes: " + ", ".join(by_name) if by_name else None)
        if node is not None:
            placed.append((p, node))
    by_node: dict[str, list[tuple[PodDraft, Node]]] = {}
    for p, n in placed:
        by_node.setdefault(n.name, []).append((p, n))
    pods = []
    for node in nodes:
        mine = by_node.get(node.name, [])
        if len(mine) > MAX_BRIDGE_PORTS:
            r.problem(("pods",), f"{len(mine)} pods on node '{node.name}'; its bridge holds at most {MAX_BRIDGE_PORTS}",
                      "a Linux bridge has 1,024 port numbers and port 0 is reserved: spread the pods over more nodes")
            continue
        for p, _ in mine:
            if p.ip is not None and (p.ip not in node.pod_subnet or p.ip == node.bridge_ip.ip
                                     or p.ip in (node.pod_subnet.network_address, node.pod_subnet.broadcast_address)):
                r.problem(p.path + ("ip",), f"{p.ip} is not a usable pod address on node '{node.name}'",
                          f"pods on {node.name} use {node.pod_subnet}; {node.bridge_ip.ip} is the bridge")
        check_duplicate_ips(r, [(p.path, p.ip) for p, _ in mine])
        pool = Pool(node.pod_subnet, 2, {p.ip for p, _ in mine if p.ip} | {node.bridge_ip.ip})
        homeless = []
        for p, _ in mine:
            ip = p.ip or pool.take()
            if ip is None:
                homeless.append(p)
                continue
            iface = IPv4Interface(f"{ip}/{node.pod_subnet.prefixlen}")
            pods.append((p.path, Pod(p.name, node.name, iface, p.namespace, p.labels, p.serve, p.publish)))
        if homeless:  # one problem per node, not one per pod
            more = f" (and {len(homeless) - 1} more pods after it)" if len(homeless) > 1 else ""
            r.problem(homeless[0].path, f"node '{node.name}' has no pod address left in {node.pod_subnet}{more}",
                      "widen the node's pod subnet (cluster.nodeSubnetLen or podCIDR) or add nodes")
    check_published_ports(r, d, pods)
    order = {p.name: i for i, p in enumerate(d.pods)}
    return tuple(pod for _, pod in sorted(pods, key=lambda item: order[item[1].name]))


def check_published_ports(r: Reader, d: Drafts, pods: list[tuple[Path, Pod]]) -> None:
    if not d.cluster.cni.publishes:
        instead = "a NodePort service" if d.cluster.cni.kubernetes else "a DNAT rule in the node's rules"
        for path, pod in pods:
            if pod.publish:
                r.problem(path + ("publish",), f"publish is Docker's -p; this lab uses {instead}")
        return
    used: dict[tuple[str, int, str], str] = {}
    for path, pod in pods:
        for i, pub in enumerate(pod.publish):
            key = (pod.node, pub.host_port, pub.protocol)
            if key in used:
                r.problem(path + ("publish", i), f"{pub.protocol} port {pub.host_port} on node '{pod.node}' "
                          f"is already published by pod '{used[key]}'")
            used[key] = pod.name


def check_duplicate_ips(r: Reader, items: list[tuple[Path, IPv4Address | None]]) -> None:
    seen: dict[IPv4Address, Path] = {}
    for path, ip in items:
        if ip is None:
            continue
        if ip in seen:
            r.problem(path + ("ip",), f"address {ip} is used twice", f"also at line {r.doc.line_of(seen[ip])}")
        seen.setdefault(ip, path)


def resolve_internet(r: Reader, d: Drafts, subnet: IPv4Network) -> Internet:
    gateway = host_interface(subnet, 1)
    for h in d.hosts:
        if h.ip is not None and (h.ip not in subnet or h.ip == gateway.ip or h.ip == subnet.broadcast_address
                                 or h.ip == subnet.network_address):
            r.problem(h.path + ("ip",), f"{h.ip} is not a usable host address in internet {subnet}",
                      f"{gateway.ip} is the internet router")
    check_duplicate_ips(r, [(h.path, h.ip) for h in d.hosts])
    pool = Pool(subnet, FIRST_INTERNET_HOST, {h.ip for h in d.hosts if h.ip} | {gateway.ip})
    hosts = []
    for h in d.hosts:
        ip = h.ip or pool.take()
        if ip is None:
            r.problem(h.path, f"internet {subnet} has no address left for host '{h.name}'")
            continue
        hosts.append(InternetHost(h.name, IPv4Interface(f"{ip}/{subnet.prefixlen}"), h.serve))
    return Internet(subnet, gateway, tuple(hosts))


def resolve_services(r: Reader, d: Drafts, cidr: IPv4Network) -> tuple[Service, ...]:
    fixed = {s.cluster_ip for s in d.services if s.cluster_ip}
    for s in d.services:
        if s.cluster_ip is not None and s.cluster_ip not in cidr:
            r.problem(s.path + ("clusterIP",), f"{s.cluster_ip} is outside serviceCIDR {cidr}")
    check_duplicate_ips(r, [(s.path, s.cluster_ip) for s in d.services])
    node_ports: dict[tuple[int, str], str] = {}
    pool = Pool(cidr, FIRST_SERVICE_HOST, set(fixed))
    services = []
    for s in d.services:
        for i, port in enumerate(s.ports):
            if port.node_port is not None:
                key = (port.node_port, port.protocol)
                if key in node_ports:
                    r.problem(s.path + ("ports", i, "nodePort"), f"nodePort {port.node_port}/{port.protocol} is "
                              f"already used by service '{node_ports[key]}'")
                node_ports[key] = s.name
        if len(s.ports) > 1 and any(not p.name for p in s.ports):
            r.problem(s.path + ("ports",), "a service with several ports must name each port")
        seen_ports: set[tuple[int, str]] = set()
        for i, port in enumerate(s.ports):
            if (port.port, port.protocol) in seen_ports:
                r.problem(s.path + ("ports", i, "port"), f"{port.protocol} port {port.port} is listed twice")
            seen_ports.add((port.port, port.protocol))
        if s.headless and s.type == "NodePort":
            r.problem(s.path + ("clusterIP",), "a headless service (clusterIP: None) cannot be a NodePort",
                      "drop 'clusterIP: None' or use type ClusterIP")
        ip = None if s.headless else (s.cluster_ip or pool.take())
        if ip is None and not s.headless:
            r.problem(s.path, f"serviceCIDR {cidr} has no address left for service '{s.name}'")
        ports = tuple(ServicePort(p.name, p.port, p.target_port, p.protocol, p.node_port) for p in s.ports)
        services.append(Service(s.name, s.namespace, s.type, ip, s.selector, ports, s.session_affinity,
                                s.affinity_timeout, s.external_traffic_policy))
    return allocate_node_ports(r, d, services, {port for port, _ in node_ports})


def allocate_node_ports(r: Reader, d: Drafts, services: list[Service], taken: set[int]) -> tuple[Service, ...]:
    """A NodePort service port without a nodePort gets the lowest free one (the apiserver picks at random;
    netlab picks deterministically so a plan is the same every time)."""
    free = (p for p in NODE_PORT_RANGE if p not in taken)
    result = []
    for draft, s in zip(d.services, services, strict=True):
        if s.type == "NodePort":
            ports = []
            for i, port in enumerate(s.ports):
                if port.node_port is None:
                    port = dataclasses.replace(port, node_port=next(free, None))
                    if port.node_port is None:
                        r.problem(draft.path + ("ports", i), "no nodePort left in 30000-32767",
                                  "use type ClusterIP for some services")
                ports.append(port)
            s = dataclasses.replace(s, ports=tuple(ports))
        result.append(s)
    return tuple(result)


def resolve_probes(r: Reader, d: Drafts) -> tuple[Probe, ...]:
    # Names from the drafts, so a pod dropped for another problem does not also make probes "unknown".
    sources = {name for _, name in named_drafts(d)}
    targets = sources | {s.name for s in d.services}
    pods, nodes = {x.name for x in d.pods}, {x.name for x in d.nodes}
    probes = []
    for p in d.probes:
        if p.source not in sources:
            r.problem(p.path + ("from",), f"unknown probe source '{p.source}'",
                      "a probe starts in a pod, a node or an internet host")
        if p.target not in targets and not is_address(p.target):
            r.problem(p.path + ("to",), f"unknown probe target '{p.target}'",
                      "a pod, node, internet host or service name, or an IPv4 address")
        if p.expect.source_seen == "node" and p.source not in pods and p.target not in nodes:
            r.problem(p.path + ("expect", "sourceSeen"), "'node' needs a pod as the source or a node as the target",
                      "name the node, e.g. sourceSeen: node1, or give an address")
        seen = p.expect.source_seen
        if seen is not None and p.protocol == "icmp":
            r.problem(p.path + ("expect", "sourceSeen"), "an icmp probe cannot check the source seen",
                      "only the echo server reports the client address it saw: probe tcp, udp or http to its port")
        elif seen not in (None, "self", "node") and seen not in sources and not is_address(seen or ""):
            r.problem(p.path + ("expect", "sourceSeen"), f"sourceSeen '{seen}' is not self, node, a name or an address",
                      "a pod, node or internet host name, or an IPv4 address")
        probes.append(Probe(p.name, p.source, p.target, p.port, p.protocol, p.expect, p.size))
    return tuple(probes)


def is_address(text: str) -> bool:
    try:
        IPv4Address(text)
    except ValueError:
        return False
    return True
