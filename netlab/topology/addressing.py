"""IPAM and cross-checks: gives every node, pod, host and service its address, deterministically.

Conventions, chosen to match what students meet on real machines:
* underlay (a Vagrant-style private network): the internet router is .1, nodes from .11;
* docker-bridge: each node's docker0 holds the first address of the pod network (172.17.0.1/16), like
  dockerd; pods from .2 (several nodes each get the same 172.17.0.0/16, exactly as separate Docker hosts);
* Kubernetes CNIs: node i gets the i-th /nodeSubnetLen of the podCIDR, cni0 holds .1, pods from .2
  (host-local IPAM skips the gateway);
* internet: the router is .1, hosts from .10; services from the serviceCIDR's .10 upwards.

A lab that is changed (`netlab apply`) keeps what it gave out, as a cluster does: a node its address and pod
subnet, a pod its node and address (a pod never moves; host-local IPAM keeps its lease), a Service its
ClusterIP and NodePorts (the apiserver's allocators), an internet host its address. Only what is new is
numbered, with the lowest address that is free and was not in use before the change (host-local IPAM does not
hand a released address straight out again either): an old pod and its replacement run side by side while a
Deployment rolls out. So removing the first pod of a file moves nobody, where a fresh `up` of the same file
numbers the pods in file order.
"""

from __future__ import annotations

import dataclasses
import itertools
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from ipaddress import IPv4Address, IPv4Interface, IPv4Network

from netlab import features, naming
from netlab.features import deployments, dns, netpol
from netlab.features.calico import schema as calico_schema
from netlab.features.ingress import controller as ingress_controller
from netlab.features.metallb import controller as metallb_controller
from netlab.topology.exercise import read_exercise
from netlab.topology.endpoints import written_endpoints
from netlab.topology.loader import EXTERNAL_TYPES, Drafts, PodDraft, ProbeDraft
from netlab.topology.model import (
    Cluster, Deployment, DockerNetwork, Internet, InternetHost, Node, Pod, Probe, Service,
    ServicePort, Topology, Underlay, joined_container,
)
from netlab.topology.placement import NO_BRIDGE_MODES, check_networks, make_pod, mode_pods, schedulable
from netlab.topology.reader import Path, Reader
from netlab.topology.yaml_source import format_path

# The simulated internet must use documentation prefixes (RFC 5737) so no real address is ever a target.
DOCUMENTATION_NETS = tuple(IPv4Network(n) for n in ("192.0.2.0/24", "198.51.100.0/24", "203.0.113.0/24"))
FIRST_NODE_HOST = 11
FIRST_INTERNET_HOST = 10
FIRST_SERVICE_HOST = 10
NODE_PORT_RANGE = range(30000, 32768)  # kube-apiserver's default --service-node-port-range


class Leases:
    """What the lab being changed holds already, by name (none for a fresh `up`)."""

    def __init__(self, previous: Topology | None) -> None:
        t = previous
        self.nodes = {n.name: n for n in t.nodes} if t else {}
        self.pods = {p.name: p for p in t.pods} if t else {}
        self.hosts = {h.name: h for h in t.internet.hosts} if t else {}
        self.services = {(s.namespace, s.name): s for s in t.services} if t else {}

    def keep(self, wanted: dict[str, IPv4Address | None], leased: dict[str, IPv4Address | None],
             usable: Callable[[IPv4Address], bool]) -> dict[str, IPv4Address | None]:
        """Each name's fixed address (from the file), else its lease if still usable and not taken by another."""
        taken = {ip for ip in wanted.values() if ip is not None}
        result = dict(wanted)
        for name, ip in wanted.items():
            lease = leased.get(name)
            if ip is None and lease is not None and usable(lease) and lease not in taken:
                result[name] = lease
                taken.add(lease)
        return result


class Pool:
    """Hands out host addresses of a network in order, skipping reserved ones. With `after`, it starts after that
    address and comes round to the first one again, as host-local IPAM does from its last_reserved_ip: an address
    a pod released is handed out again only once the rest of the range has been, by when no neighbour remembers
    the MAC it had."""

    def __init__(self, network: IPv4Network, first: int, reserved: set[IPv4Address],
                 after: IPv4Address | None = None, *, whole: bool = False) -> None:
        start, last = int(network.network_address) + first, int(network.broadcast_address) - (0 if whole else 1)
        begin = int(after) + 1 if after is not None and start <= int(after) < last else start
        self.order = itertools.chain(range(begin, last + 1), range(start, begin))
        self.reserved = set(reserved)
        self.last: IPv4Address | None = after

    def take(self) -> IPv4Address | None:
        for number in self.order:
            candidate = IPv4Address(number)
            if candidate not in self.reserved:
                self.reserved.add(candidate)
                self.last = candidate
                return candidate
        return None


def resolve(r: Reader, d: Drafts, previous: Topology | None = None) -> Topology | None:
    """Turns drafts into the model, or returns None after recording why it cannot. `previous`: the model of the
    lab these drafts change; what it gave out, it keeps (leases)."""
    d = dns.expand(r, d)
    d = ingress_controller.expand(r, d)
    d, deployed = expand_deployments(r, d)
    check_unique_names(r, d)
    nets: list[tuple[Path, IPv4Network | None]] = [
        (("cluster", "podCIDR"), d.cluster.pod_cidr), (("cluster", "serviceCIDR"), d.cluster.service_cidr),
        (("underlay", "subnets", 0) if d.underlay_more else ("underlay", "subnet"), d.underlay_subnet),
        *d.underlay_more, (("internet", "subnet"), d.internet_subnet)]
    check_overlaps(r, nets)
    if d.internet_subnet is not None and not any(d.internet_subnet.subnet_of(n) for n in DOCUMENTATION_NETS):
        r.problem(("internet", "subnet"), f"{d.internet_subnet} is not a documentation prefix",
                  "the simulated internet must use 203.0.113.0/24, 198.51.100.0/24 or 192.0.2.0/24 "
                  "so that no real address is ever used")
    # An invalid range was reported already; stand in its default so every other problem is found too.
    pod_cidr = d.cluster.pod_cidr or IPv4Network("10.244.0.0/16")
    cluster = Cluster(d.cluster.cni.name, d.cluster.proxy, pod_cidr,
                      d.cluster.service_cidr or IPv4Network("10.96.0.0/12"), d.cluster.node_subnet_len,
                      d.cluster.iptables_backend, d.cluster.dns, network_policy=d.cluster.network_policy,
                      calico=d.cluster.calico, load_balancer=d.cluster.load_balancer,
                      ipvs_strict_arp=d.cluster.ipvs_strict_arp, ingress=d.cluster.ingress,
                      docker_layout=d.cluster.docker_layout)
    underlay_subnet = d.underlay_subnet or IPv4Network("192.168.56.0/24")
    underlay = Underlay(underlay_subnet, host_interface(underlay_subnet, 1), d.underlay_mtu,
                        tuple(host_interface(net, 1) for _, net in d.underlay_more))
    if d.cluster.docker_networks:  # user-defined Docker networks take the pools nothing else of the lab uses
        from netlab.features.docker import schema as docker_schema
        ranges = [cluster.pod_cidr, cluster.service_cidr, *(gw.network for gw in underlay.segments),
                  d.internet_subnet or DOCUMENTATION_NETS[2]]
        cluster = dataclasses.replace(cluster, docker_networks=docker_schema.resolve_networks(
            r, d.name, d.cluster.docker_networks, ranges))
    check_networks(r, d, cluster)
    leases = Leases(previous)
    nodes = resolve_nodes(r, d, d.cluster.cni, cluster, underlay, leases)
    calico_schema.check_nodes(r, cluster.calico, [n.name for n in d.nodes], [gw.ip for gw in underlay.segments])
    if cluster.cni == "host-gw" and len({underlay.segment_of(n.ip) for n in nodes}) > 1:
        # flannel's host-gw routes a node's subnet via the node itself, which must be on the same link
        r.problem(("underlay", "subnets"), "host-gw needs every node on one subnet",
                  "flannel's docs: host-gw needs direct layer 2 connectivity between hosts; "
                  "use flannel-vxlan across subnets")
    pods, last = resolve_pods(r, d, nodes, leases, cluster.docker_networks)
    nodes = tuple(dataclasses.replace(n, last_pod=last.get(n.name)) for n in nodes)
    internet = resolve_internet(r, d, d.internet_subnet or DOCUMENTATION_NETS[2], leases)
    services = resolve_services(r, d, cluster.service_cidr, leases)
    if cluster.load_balancer is not None:  # against what the lab uses, defaults included
        used = [(("cluster", "podCIDR"), cluster.pod_cidr), (("cluster", "serviceCIDR"), cluster.service_cidr),
                *((("underlay", "subnets", i), gw.network) for i, gw in enumerate(underlay.segments)),
                (("internet", "subnet"), d.internet_subnet or DOCUMENTATION_NETS[2])]
        metallb_controller.check_pool(r, cluster.load_balancer, cluster.cni, underlay, nodes, used)
    services = metallb_controller.assign(r, cluster.load_balancer, services,
                                         {(s.namespace, s.name): s.path for s in d.services}, leases.services)
    ingress_controller.check(r, d.ingresses, services, cluster.ingress)
    if d.services and cluster.proxy == features.NO_PROXY:
        r.problem(("services",), "services need kube-proxy, and this lab has proxy 'none'",
                  "set cluster.cni to a Kubernetes mode (flannel-vxlan, host-gw) and cluster.proxy")
    probes = resolve_probes(r, d.probes, Names.of_drafts(d))
    members = {name for _, name in named_drafts(d)} | {naming.UNDERLAY, naming.INTERNET}
    bgp_nodes = frozenset(n.name for n in nodes) if cluster.calico else frozenset()
    exercise = read_exercise(r, d.exercise, members, {p.name for p in probes}, bgp_nodes)
    namespaces = netpol.namespaces(r, d.namespaces, [*(p.namespace for p in pods),
                                   *(s.namespace for s in services)], d.policies)
    if r.problems:
        return None
    return Topology(d.name, cluster, underlay, internet, nodes, pods, services, probes, exercise, deployed,
                    namespaces, d.policies, d.ingresses)


def expand_deployments(r: Reader, d: Drafts) -> tuple[Drafts, tuple[Deployment, ...]]:
    """Each pod entry with `replicas:` becomes its Deployment and the pods of its ReplicaSet, where it stood in
    the file; replica i goes to node i (round-robin), unless the entry names a node."""
    if not any(p.deployment for p in d.pods):
        return d, ()
    if not d.cluster.cni.kubernetes:
        for p in d.pods:
            if p.deployment:
                r.problem(p.path + ("replicas",), "a Deployment is Kubernetes'; this lab is a "
                          f"{d.cluster.cni.name} lab", "use a Kubernetes cni, or list the pods one by one")
        return dataclasses.replace(d, pods=tuple(p for p in d.pods if not p.deployment)), ()
    pods: list[PodDraft] = []
    made: list[Deployment] = []
    for p in d.pods:
        if p.deployment is None:
            pods.append(p)
            continue
        names = [n.name for n in schedulable(r, p, d.nodes)]
        if p.node is not None:
            names = [p.node] if p.deployment.kind != "DaemonSet" or p.node in names else []
        dep = deployments.deployment(deployments.Template(p.name, p.namespace, p.labels, p.serve, p.node,
                                                          p.deployment, p.containers), len(names))
        dep = dataclasses.replace(dep, workload=p.workload, dns_policy=p.dns_policy)
        made.append(dep)
        stateful = dep.kind == "StatefulSet"  # each pod's hostname is its name, under the governing Service
        pods += [PodDraft(p.path, name, node, None, p.namespace, labels, p.serve, (), owner=dep,
                          hostname=name if stateful else p.hostname, subdomain=dep.service_name or p.subdomain,
                          dns_policy=p.dns_policy, dns_config=p.dns_config, workload=p.workload,
                          containers=p.containers, network=p.network)
                 for name, node, labels in deployments.replicas(dep, names) if node]
    return dataclasses.replace(d, pods=tuple(pods)), tuple(made)


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


def check_overlaps(r: Reader, nets: list[tuple[Path, IPv4Network | None]]) -> None:
    items = [(path, net) for path, net in nets if net is not None]
    for i, (path_a, a) in enumerate(items):
        for path_b, b in items[i + 1:]:
            if a.overlaps(b):
                # Point at a range the file spells out, not at one that took its default.
                if path_b not in r.doc.lines and path_a in r.doc.lines:
                    (a, path_a), (b, path_b) = (b, path_b), (a, path_a)
                r.problem(path_b, f"{b} overlaps {format_path(path_a)} {a}",
                          "pod, service, underlay and internet ranges must be disjoint")


def resolve_nodes(r: Reader, d: Drafts, cni: features.Cni, cluster: Cluster, underlay: Underlay,
                  leases: Leases) -> tuple[Node, ...]:
    def usable(ip: IPv4Address) -> bool:
        return any(ip in gw.network and ip not in (gw.network.network_address, gw.network.broadcast_address, gw.ip)
                   for gw in underlay.segments)
    for n in d.nodes:
        if n.ip is not None and not usable(n.ip):
            where = ", ".join(str(gw.network) for gw in underlay.segments)
            r.problem(n.path + ("ip",), f"{n.ip} is not a usable node address in underlay {where}",
                      f"{', '.join(str(gw.ip) for gw in underlay.segments)}: the internet router")
    check_duplicate_ips(r, [(n.path, n.ip) for n in d.nodes])
    chosen = leases.keep({n.name: n.ip for n in d.nodes}, {k: v.ip for k, v in leases.nodes.items()}, usable)
    released = {n.ip for n in leases.nodes.values()}
    pool = Pool(underlay.subnet, FIRST_NODE_HOST, {ip for ip in chosen.values() if ip} | {underlay.gateway.ip}
                | released)
    subnets = node_subnets(r, d, cni, cluster, leases)
    nodes = []
    for i, n in enumerate(d.nodes):
        ip = chosen[n.name] or pool.take()
        if ip is None:
            r.problem(n.path, f"underlay {underlay.subnet} has no address left for node '{n.name}'")
            continue
        subnet = subnets[i] if i < len(subnets) else cluster.pod_cidr
        bridge = host_interface(subnet, 1) if cni.bridged else None
        held = (ip, *([bridge.ip] if bridge else []), *cni.extra_node_addresses(cluster, subnet))
        nodes.append(Node(n.name, ip, subnet, bridge, n.rules, held, labels=n.labels))
    return tuple(nodes)


def node_subnets(r: Reader, d: Drafts, cni: features.Cni, cluster: Cluster, leases: Leases) -> list[IPv4Network]:
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
    # A node keeps the subnet it leased (flannel's lease is renewed, not moved); a new node takes the first free.
    kept: dict[str, IPv4Network] = {}
    for n in d.nodes:
        lease = leases.nodes.get(n.name)
        if lease is not None and lease.pod_subnet.prefixlen == cluster.node_subnet_len \
                and lease.pod_subnet.subnet_of(cluster.pod_cidr) and lease.pod_subnet not in kept.values():
            kept[n.name] = lease.pod_subnet
    released = {n.pod_subnet for n in leases.nodes.values()}
    free = (s for s in cluster.pod_cidr.subnets(new_prefix=cluster.node_subnet_len)
            if s not in kept.values() and s not in released)
    return [kept.get(n.name) or next(free) for n in d.nodes]


MAX_BRIDGE_PORTS = 1023  # the kernel's BR_MAX_PORTS is 1024, and port number 0 is never used


def resolve_pods(r: Reader, d: Drafts, nodes: tuple[Node, ...], leases: Leases,
                 networks: tuple[DockerNetwork, ...] = ()) -> tuple[tuple[Pod, ...], dict[str, IPv4Address]]:
    """The pods, each on its node with its address; and the last address each node's pool handed out: from .2
    of a bridged node's subnet (.1 is the bridge), from .0 of a Calico node's block but its tunnel address."""
    bridged = d.cluster.cni.bridged
    by_name = {n.name: n for n in nodes}
    placed: list[tuple[PodDraft, Node]] = []
    for i, p in enumerate(d.pods):
        lease = leases.pods.get(p.name)
        node: Node | None
        fitting = list(nodes)
        if p.node_selector and p.owner is None:  # a Deployment's replicas were placed with it already
            fitting = [by_name[n.name] for n in schedulable(r, p, d.nodes) if n.name in by_name]
        if p.node is None and lease is not None and lease.node in {n.name for n in fitting}:
            node = by_name[lease.node]  # scheduled once: a pod stays where it runs
        elif p.node is None:  # round-robin, in file order
            node = fitting[i % len(fitting)] if fitting else None
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
    last_pods: dict[str, Pool] = {}
    for on in nodes:
        mine = [(p, n) for p, n in by_node.get(on.name, []) if not p.network]
        for network in networks:
            pods += network_pods(r, on, network, [p for p, _ in by_node.get(on.name, []) if p.network == network.name],
                                 leases)
        if bridged and len(mine) > MAX_BRIDGE_PORTS:
            r.problem(("pods",), f"{len(mine)} pods on node '{on.name}'; its bridge holds at most {MAX_BRIDGE_PORTS}",
                      "a Linux bridge has 1,024 port numbers and port 0 is reserved: spread the pods over more nodes")
            continue
        for p, _ in mine:
            if p.ip is not None and not usable_pod_address(on, bridged, p.ip):
                held = [str(a) for a in on.addresses if a in on.pod_subnet]
                what = f"{on.bridge.ip} is the bridge" if bridged else f"{', '.join(held)} is the node's tunnel address"
                r.problem(p.path + ("ip",), f"{p.ip} is not a usable pod address on node '{on.name}'",
                          f"pods on {on.name} use {on.pod_subnet}" + (f"; {what}" if held else ""))
        check_duplicate_ips(r, [(p.path, p.ip) for p, _ in mine])
        chosen = leases.keep({p.name: p.ip for p, _ in mine}, {
            p.name: leases.pods[p.name].ip.ip for p, _ in mine if p.name in leases.pods
            and leases.pods[p.name].node == on.name}, partial(usable_pod_address, on, bridged))
        released = {p.ip.ip for p in leases.pods.values() if p.node == on.name}
        node_lease = leases.nodes.get(on.name)
        pool = Pool(on.pod_subnet, 2 if bridged else 0, {ip for ip in chosen.values() if ip} | set(on.addresses)
                    | released, after=node_lease.last_pod if node_lease and node_lease.pod_subnet == on.pod_subnet
                    else None, whole=not bridged)
        homeless = []
        last_pods[on.name] = pool
        for p, _ in mine:
            ip = chosen[p.name] or pool.take()
            if ip is None:
                homeless.append(p)
                continue
            # A Calico pod holds its address alone (/32); a bridged pod, with its node's subnet.
            iface = IPv4Interface(f"{ip}/{on.pod_subnet.prefixlen if bridged else 32}")
            pods.append((p.path, make_pod(p, on.name, iface)))
        if homeless:  # one problem per node, not one per pod
            more = f" (and {len(homeless) - 1} more pods after it)" if len(homeless) > 1 else ""
            r.problem(homeless[0].path, f"node '{on.name}' has no pod address left in {on.pod_subnet}{more}",
                      "widen the node's pod subnet (cluster.nodeSubnetLen or podCIDR) or add nodes" if bridged else
                      "netlab gives a Calico node one IPAM block: shorten calico.blockSize, or add nodes")
    sharing = [(p, n) for p, n in placed if p.network in NO_BRIDGE_MODES or joined_container(p.network)]
    pods += mode_pods(r, sharing, {pod.name: pod for _, pod in pods})
    check_published_ports(r, d, pods)
    order = {p.name: i for i, p in enumerate(d.pods)}
    return (tuple(pod for _, pod in sorted(pods, key=lambda item: order[item[1].name])),
            {node: pool.last for node, pool in last_pods.items() if pool.last is not None})


def network_pods(r: Reader, on: Node, network: DockerNetwork, drafts: list[PodDraft],
                 leases: Leases) -> list[tuple[Path, Pod]]:
    """The containers of one node on a user-defined network: addresses from .2 of its subnet (.1 is its bridge),
    each node's pool its own, as each Docker host's IPAM is."""
    if len(drafts) > MAX_BRIDGE_PORTS:
        r.problem(drafts[0].path, f"{len(drafts)} containers on network {network.name} of node '{on.name}'; a "
                  f"bridge holds at most {MAX_BRIDGE_PORTS}")
        return []
    subnet, gateway = network.subnet, network.gateway.ip

    def usable(ip: IPv4Address) -> bool:
        return ip in subnet and ip not in (subnet.network_address, subnet.broadcast_address, gateway)
    for p in drafts:
        if p.ip is not None and not usable(p.ip):
            r.problem(p.path + ("ip",), f"{p.ip} is not a usable address on network {network.name}",
                      f"its subnet is {subnet}; {gateway} is its bridge")
    check_duplicate_ips(r, [(p.path, p.ip) for p in drafts])
    chosen = leases.keep({p.name: p.ip for p in drafts}, {
        p.name: leases.pods[p.name].ip.ip for p in drafts if p.name in leases.pods
        and leases.pods[p.name].node == on.name}, usable)
    pool = Pool(subnet, 2, {ip for ip in chosen.values() if ip} | {gateway})
    found = []
    for p in drafts:
        ip = chosen[p.name] or pool.take()
        if ip is None:
            r.problem(p.path, f"network {network.name} has no address left in {subnet} on node '{on.name}'")
            continue
        found.append((p.path, make_pod(p, on.name, IPv4Interface(f"{ip}/{subnet.prefixlen}"))))
    return found


def usable_pod_address(node: Node, bridged: bool, ip: IPv4Address) -> bool:
    s = node.pod_subnet
    edges = (s.network_address, s.broadcast_address) if bridged else ()
    return ip in s and ip not in edges and ip not in node.addresses


def check_published_ports(r: Reader, d: Drafts, pods: list[tuple[Path, Pod]]) -> None:
    if not d.cluster.cni.publishes:
        instead = "a NodePort service" if d.cluster.cni.kubernetes else "a DNAT rule in the node's rules"
        for path, pod in pods:
            if pod.publish:
                r.problem(path + ("publish",), f"publish is Docker's -p; this lab uses {instead}")
        return
    # a container in host mode listens on its node's ports itself: a published port cannot have them too
    used: dict[tuple[str, int, str], str] = {(pod.node, s.port, s.kind.transport): pod.name for _, pod in pods
                                             if pod.network == "host" for s in pod.serve}
    for path, pod in pods:
        for i, pub in enumerate(pod.publish):
            key = (pod.node, pub.host_port, pub.protocol)
            if key in used:
                r.problem(path + ("publish", i), f"{pub.protocol} port {pub.host_port} on node '{pod.node}' "
                          f"is already taken by '{used[key]}'", "a host port can be published once, and not where a "
                          "container on the host's network listens")
            used[key] = pod.name


def check_duplicate_ips(r: Reader, items: list[tuple[Path, IPv4Address | None]]) -> None:
    seen: dict[IPv4Address, Path] = {}
    for path, ip in items:
        if ip is None:
            continue
        if ip in seen:
            r.problem(path + ("ip",), f"address {ip} is used twice", f"also at line {r.doc.line_of(seen[ip])}")
        seen.setdefault(ip, path)


def resolve_internet(r: Reader, d: Drafts, subnet: IPv4Network, leases: Leases) -> Internet:
    gateway = host_interface(subnet, 1)

    def usable(ip: IPv4Address) -> bool:
        return ip in subnet and ip not in (gateway.ip, subnet.broadcast_address, subnet.network_address)
    for h in d.hosts:
        if h.ip is not None and not usable(h.ip):
            r.problem(h.path + ("ip",), f"{h.ip} is not a usable host address in internet {subnet}",
                      f"{gateway.ip} is the internet router")
    check_duplicate_ips(r, [(h.path, h.ip) for h in d.hosts])
    chosen = leases.keep({h.name: h.ip for h in d.hosts}, {k: v.ip.ip for k, v in leases.hosts.items()}, usable)
    released = {h.ip.ip for h in leases.hosts.values()}
    pool = Pool(subnet, FIRST_INTERNET_HOST, {ip for ip in chosen.values() if ip} | {gateway.ip} | released)
    hosts = []
    for h in d.hosts:
        ip = chosen[h.name] or pool.take()
        if ip is None:
            r.problem(h.path, f"internet {subnet} has no address left for host '{h.name}'")
            continue
        hosts.append(InternetHost(h.name, IPv4Interface(f"{ip}/{subnet.prefixlen}"), h.serve, h.role))
    return Internet(subnet, gateway, tuple(hosts))


def resolve_services(r: Reader, d: Drafts, cidr: IPv4Network, leases: Leases) -> tuple[Service, ...]:
    for s in d.services:
        if s.cluster_ip is not None and s.cluster_ip not in cidr:
            r.problem(s.path + ("clusterIP",), f"{s.cluster_ip} is outside serviceCIDR {cidr}")
    check_duplicate_ips(r, [(s.path, s.cluster_ip) for s in d.services])
    chosen = leases.keep({f"{s.namespace}/{s.name}": s.cluster_ip for s in d.services
                          if not s.headless and s.type != "ExternalName"},
                         {f"{ns}/{name}": v.cluster_ip for (ns, name), v in leases.services.items() if v.cluster_ip},
                         lambda ip: ip in cidr and ip not in (cidr.network_address, cidr.broadcast_address))
    node_ports: dict[tuple[int, str], str] = {}
    released = {s.cluster_ip for s in leases.services.values() if s.cluster_ip}
    pool = Pool(cidr, FIRST_SERVICE_HOST, {ip for ip in chosen.values() if ip} | released)
    written = written_endpoints(r, d)
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
        seen_names: set[str] = set()
        for i, port in enumerate(s.ports):
            if (port.port, port.protocol) in seen_ports:
                r.problem(s.path + ("ports", i, "port"), f"{port.protocol} port {port.port} is listed twice")
            if port.name and port.name in seen_names:
                r.problem(s.path + ("ports", i, "name"), f"port name '{port.name}' is used twice")
            seen_ports.add((port.port, port.protocol))
            seen_names.add(port.name)
        if s.headless and s.type in EXTERNAL_TYPES:
            r.problem(s.path + ("clusterIP",), f"a headless service (clusterIP: None) cannot be a {s.type}",
                      "drop 'clusterIP: None' or use type ClusterIP")
        virtual = not s.headless and s.type != "ExternalName"  # a Service with a ClusterIP
        ip = (chosen[f"{s.namespace}/{s.name}"] or pool.take()) if virtual else None
        if ip is None and virtual:
            r.problem(s.path, f"serviceCIDR {cidr} has no address left for service '{s.name}'")
        ports = tuple(ServicePort(p.name, p.port, p.target_port, p.protocol, p.node_port, p.target_name)
                      for p in s.ports)
        services.append(Service(s.name, s.namespace, s.type, ip, s.selector, ports, s.session_affinity,
                                s.affinity_timeout, s.external_traffic_policy, s.external_name, s.external_ips,
                                s.health_check_node_port, s.load_balancer_ip, s.load_balancer_source_ranges,
                                subsets=written.get((s.namespace, s.name), ())))
        if s.health_check_node_port is not None:
            if s.health_check_node_port in {port for port, _ in node_ports}:
                r.problem(s.path + ("healthCheckNodePort",), f"node port {s.health_check_node_port} is taken")
            node_ports[(s.health_check_node_port, "tcp")] = s.name
    return allocate_node_ports(r, d, services, {port for port, _ in node_ports}, leases)


def allocate_node_ports(r: Reader, d: Drafts, services: list[Service], taken: set[int],
                        leases: Leases) -> tuple[Service, ...]:
    """A NodePort service port without a nodePort keeps the one it had, or gets the lowest free one (the
    apiserver picks at random; netlab picks deterministically so a plan is the same every time). So does a
    LoadBalancer's, unless allocateLoadBalancerNodePorts is false (then it has only the ones it names)."""
    allocating = {(draft.namespace, draft.name) for draft in d.services if draft.type == "NodePort" or
                  (draft.type == "LoadBalancer" and draft.allocate_node_ports)}
    kept: dict[tuple[str, str, int, str], int] = {}
    for s in services:
        lease = leases.services.get((s.namespace, s.name))
        if (s.namespace, s.name) not in allocating or lease is None:
            continue
        for port in s.ports:
            old = next((p.node_port for p in lease.ports if (p.port, p.protocol) == (port.port, port.protocol)), None)
            if port.node_port is None and old is not None and old not in taken:
                kept[(s.namespace, s.name, port.port, port.protocol)] = old
                taken.add(old)
    free = (p for p in NODE_PORT_RANGE if p not in taken)
    result = []
    for draft, s in zip(d.services, services, strict=True):
        if (s.namespace, s.name) in allocating:
            ports = []
            for i, port in enumerate(s.ports):
                if port.node_port is None:
                    lease_port = kept.get((s.namespace, s.name, port.port, port.protocol))
                    port = dataclasses.replace(port, node_port=lease_port or next(free, None))
                    if port.node_port is None:
                        r.problem(draft.path + ("ports", i), "no nodePort left in 30000-32767",
                                  "use type ClusterIP for some services")
                ports.append(port)
            s = dataclasses.replace(s, ports=tuple(ports))
        if s.type == "LoadBalancer" and s.external_traffic_policy == "Local" and s.health_check_node_port is None:
            # the apiserver allocates it from the node port range, as a node port
            lease = leases.services.get((s.namespace, s.name))
            old = lease.health_check_node_port if lease else None
            port_number = old if old is not None and old not in taken else next(free, None)
            if port_number is None:
                r.problem(draft.path, "no node port left in 30000-32767 for its health check")
            else:
                taken.add(port_number)
            s = dataclasses.replace(s, health_check_node_port=port_number)
        result.append(s)
    return tuple(result)


@dataclass(frozen=True)
class Names:
    """What a probe may name: its source (a pod, node or host) and its target (those, or a Service; or, in a
    lab with DNS, a name the source resolves)."""

    pods: frozenset[str]
    nodes: frozenset[str]
    hosts: frozenset[str]
    services: frozenset[str]
    dns: bool

    @classmethod
    def of_drafts(cls, d: Drafts) -> Names:
        # From the drafts, so a pod dropped for another problem does not also make probes "unknown".
        return cls(frozenset(x.name for x in d.pods), frozenset(x.name for x in d.nodes),
                   frozenset(x.name for x in d.hosts), frozenset(x.name for x in d.services), d.cluster.dns != "none")

    @classmethod
    def of_model(cls, t: Topology) -> Names:
        return cls(frozenset(x.name for x in t.pods), frozenset(x.name for x in t.nodes),
                   frozenset(x.name for x in t.internet.hosts), frozenset(x.name for x in t.services),
                   t.cluster.dns != "none")


def resolve_probes(r: Reader, drafts: tuple[ProbeDraft, ...], names: Names) -> tuple[Probe, ...]:
    sources = names.pods | names.nodes | names.hosts
    targets = sources | names.services
    pods, nodes = names.pods, names.nodes
    probes = []
    for p in drafts:
        if p.source not in sources:
            r.problem(p.path + ("from",), f"unknown probe source '{p.source}'",
                      "a probe starts in a pod, a node or an internet host")
        # A name with a dot the lab does not know is looked up (a single word is more likely a typo).
        if p.protocol == "dns" or (p.target not in targets and "." in p.target and naming.is_domain(p.target)):
            # A name to look up, in the source's namespace, with its resolv.conf.
            if not names.dns:
                r.problem(p.path + ("to",), f"'{p.target}' is a DNS name, and this lab has no DNS",
                          "remove 'cluster.dns: none', or name a pod, node, host or service the lab has")
            elif not naming.is_query_name(p.target) and not (p.query == "PTR" and naming.is_ipv4(p.target)):
                r.problem(p.path + ("to",), f"'{p.target}' is not a DNS name",
                          "a name such as web.default.svc.cluster.local (or an address, for query: PTR)")
        elif p.target not in targets and not naming.is_ipv4(p.target):
            r.problem(p.path + ("to",), f"unknown probe target '{p.target}'",
                      "a pod, node, internet host or service name, an IPv4 address, or a DNS name")
        if p.expect.source_seen == "node" and p.source not in pods and p.target not in nodes:
            r.problem(p.path + ("expect", "sourceSeen"), "'node' needs a pod as the source or a node as the target",
                      "name the node, e.g. sourceSeen: node1, or give an address")
        seen = p.expect.source_seen
        if seen is not None and p.protocol == "icmp":
            r.problem(p.path + ("expect", "sourceSeen"), "an icmp probe cannot check the source seen",
                      "only the echo server reports the client address it saw: probe tcp, udp or http to its port")
        elif seen not in (None, "self", "node") and seen not in sources and not naming.is_ipv4(seen or ""):
            r.problem(p.path + ("expect", "sourceSeen"), f"sourceSeen '{seen}' is not self, node, a name or an address",
                      "a pod, node or internet host name, or an IPv4 address")
        unknown = [s for s in p.expect.served_by if s not in sources]
        if unknown:
            r.problem(p.path + ("expect", "servedBy"), f"'{unknown[0]}' serves nothing in this lab",
                      "the name of a pod or internet host that runs an echo server")
        probes.append(Probe(p.name, p.source, p.target, p.port, p.protocol, p.expect, p.size, p.query, p.host,
                            p.http_path))
    return tuple(probes)


