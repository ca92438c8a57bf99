"""What felix puts in a node's kernel for the pod network: forwarding, the tunnel device and the routes to the
other nodes' blocks when the pool is encapsulated (felix/dataplane/linux/vxlan_mgr.go, ipip_mgr.go).

Since Calico v3.33 felix, not BIRD, programs the cluster routes of an encapsulated pool (FelixConfiguration
programClusterRoutes, default EnabledIPIPOnly; VXLAN routes always were felix's): `proto 80`, onlink through the
tunnel, and a blackhole for the node's own block. With no encapsulation BIRD installs them (bgp.py).
"""

from __future__ import annotations

import hashlib

from netlab import naming
from netlab.features import dns
from netlab.features.calico import cni_plugin, felix_policy, felix_rules
from netlab.features.netpol.model import EGRESS, INGRESS
from netlab.features.calico.model import IPIP, TUNL0, VXLAN, VXLAN_DEVICE, CalicoConfig
from netlab.plan import Address, FdbEntry, IpipTunnel, LinkSet, Neighbor, Note, Route, RuleSet, Step, Sysctl, Vxlan
from netlab.topology.model import Node, Pod, Topology

FELIX_PROTOCOL = 80  # routetable.DefaultRouteProto: felix's routes show as `proto 80`
VXLAN_VNI = 4096  # FelixConfiguration vxlanVNI
VXLAN_PORT = 4789  # FelixConfiguration vxlanPort: the IANA port (flannel keeps the kernel's 8472)
OVERHEAD = {VXLAN: 50, IPIP: 20}  # int_dataplane.go: outer headers, taken off the underlay MTU


def config(t: Topology) -> CalicoConfig:
    assert t.cluster.calico is not None  # the loader gives every calico lab its settings
    return t.cluster.calico


def pod_mtu(t: Topology) -> int:
    return t.underlay.mtu - OVERHEAD.get(config(t).mode, 0)


def tunnel_address(node: Node) -> str:
    """The node's tunnel address, the first of its block (calico-node's allocateip, felix's /32 on the tunnel)."""
    return str(node.pod_subnet.network_address)


def vtep_mac(node: str) -> str:
    """felix's VTEP MAC for a node: "f" (0x66) and the first five bytes of sha1(node name)."""
    return ":".join(f"{b:02x}" for b in b"f" + hashlib.sha1(node.encode()).digest()[:5])


def node_routing(t: Topology, node: Node) -> list[Step]:
    ns = naming.netns(t.name, node.name)
    steps: list[Step] = [Note(f"node {node.name}: felix turns on forwarding"),
                         Sysctl(ns, "net.ipv4.ip_forward", "1")]
    if config(t).mode == VXLAN:
        steps += vxlan(t, node)
    elif config(t).mode == IPIP:
        steps += ipip(t, node)
    return steps


def rules(t: Topology, node: Node) -> list[Step]:
    """felix's ipsets and chains (filter: a chain each way per local pod; nat: natOutgoing)."""
    ns = naming.netns(t.name, node.name)
    pods = t.plugged_pods_on(node.name)  # a pod on the host's network is no workload endpoint
    enforced = felix_policy.compile_node(t, pods) if t.cluster.network_policy == "calico" else None
    endpoints = [felix_rules.Endpoint(cni_plugin.host_veth(pod), pod.namespace, service_account(pod),
                                      *((tuple(enforced.calls.get((pod.name, d), ())) for d in (INGRESS, EGRESS))
                                        if enforced else ()))
                 for pod in pods]
    sets = felix_rules.host_sets(config(t), str(t.cluster.pod_cidr), [str(n.ip) for n in t.nodes],
                                 enforced.sets if enforced else None)
    return [Note(f"node {node.name}: felix's ipsets and chains: cali-FORWARD dispatches to a chain each way per "
                 f"local pod ({len(endpoints)}), cali-nat-outgoing" + ("" if config(t).nat_outgoing else " (empty)")),
            RuleSet(ns, "ipset", "felix", sets),
            RuleSet(ns, t.cluster.iptables, "felix",
                    felix_rules.chains_payload(config(t), config(t).tunnel, endpoints,
                                               tuple(enforced.chains) if enforced else ()))]


def hooks(t: Topology) -> list[Step]:
    """felix's jumps at the top of the built-in chains: after kube-proxy's, which felix moves below its own."""
    steps: list[Step] = []
    for node in t.nodes:
        steps += [Note(f"node {node.name}: felix hooks its chains in first (INPUT, FORWARD, OUTPUT, nat)"),
                  RuleSet(naming.netns(t.name, node.name), t.cluster.iptables, "felix-hooks",
                          felix_rules.hooks_payload())]
    return steps


def service_account(pod: Pod) -> str:
    """Every pod runs as its namespace's `default` service account, but kubeadm's coredns (`coredns`)."""
    return "coredns" if pod.workload == dns.SERVER else "default"


def own_block(t: Topology, node: Node) -> list[Step]:
    ns = naming.netns(t.name, node.name)
    return [Note(f"node {node.name}: felix's blackhole for its own block {node.pod_subnet}"),
            Route(ns, str(node.pod_subnet), "", protocol=FELIX_PROTOCOL, blackhole=True)]


def ipip(t: Topology, node: Node) -> list[Step]:
    """tunl0 with the node's tunnel address; per remote node an onlink route to its block via its node address:
    the kernel wraps the packet in an outer IP header (protocol 4) to that address."""
    ns = naming.netns(t.name, node.name)
    steps: list[Step] = [
        Note(f"node {node.name}: felix's IPIP device {TUNL0} holding {tunnel_address(node)}/32"),
        IpipTunnel(ns, TUNL0, pod_mtu(t)),
        Address(ns, TUNL0, f"{tunnel_address(node)}/32"),
        LinkSet(ns, TUNL0, naming.alias(t.name)),
        *own_block(t, node),
    ]
    for remote in t.nodes:
        if remote is not node:
            steps += [Note(f"node {node.name}: felix's route to {remote.name}'s block {remote.pod_subnet}"),
                      no_encap_route(t, node, remote) or Route(ns, str(remote.pod_subnet), TUNL0, via=str(remote.ip),
                                                               onlink=True, protocol=FELIX_PROTOCOL)]
    return steps


def no_encap_route(t: Topology, node: Node, remote: Node) -> Route | None:
    """CrossSubnet: to a node on the same subnet as this one, felix routes the block through the node's own
    interface to the remote node's address, unwrapped (route_mgr.go's noEncapRoute; the calculation graph sets
    SameSubnet when the pool is CrossSubnet and the remote address lies in this node's subnet)."""
    if not (config(t).cross_subnet and t.underlay.segment_of(node.ip) == t.underlay.segment_of(remote.ip)):
        return None
    return Route(naming.netns(t.name, node.name), str(remote.pod_subnet), naming.UPLINK, via=str(remote.ip),
                 protocol=FELIX_PROTOCOL)


def vxlan(t: Topology, node: Node) -> list[Step]:
    """vxlan.calico (VNI 4096, port 4789, no learning), then per remote node what flannel's vxlan backend also
    writes: a permanent neighbour for its tunnel address, an FDB entry to its node address, and the route."""
    ns = naming.netns(t.name, node.name)
    steps: list[Step] = [
        Note(f"node {node.name}: felix's VXLAN device {VXLAN_DEVICE} holding {tunnel_address(node)}/32"),
        Vxlan(ns, VXLAN_DEVICE, VXLAN_VNI, str(node.ip), naming.UPLINK, pod_mtu(t), vtep_mac(node.name),
              port=VXLAN_PORT),
        Address(ns, VXLAN_DEVICE, f"{tunnel_address(node)}/32"),
        LinkSet(ns, VXLAN_DEVICE, naming.alias(t.name)),
        *own_block(t, node),
    ]
    for remote in t.nodes:
        if remote is node:
            continue
        mac = vtep_mac(remote.name)
        steps += [Note(f"node {node.name}: felix's route to {remote.name}'s block {remote.pod_subnet}"),
                  Neighbor(ns, VXLAN_DEVICE, tunnel_address(remote), mac),
                  FdbEntry(ns, VXLAN_DEVICE, mac, str(remote.ip)),
                  no_encap_route(t, node, remote) or Route(ns, str(remote.pod_subnet), VXLAN_DEVICE,
                                                           via=tunnel_address(remote), onlink=True,
                                                           protocol=FELIX_PROTOCOL)]
    return steps
