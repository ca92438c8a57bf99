"""A Kubernetes pod network as flannel and the CNI bridge plugin build it: the `vxlan` and `host-gw` backends.

On every node (kubernetes-dataplane.md §4, §5):
* flanneld: ip_forward and bridge-nf-call-iptables on; the FLANNEL-POSTRTG masquerade and FLANNEL-FWD
  accept rules (§4.6); a subnet.env per node; then the backend:
  - vxlan: `flannel.1` (VNI 1, kernel-default port 8472, nolearning, local = node IP, MTU = uplink − 50)
    holding `<subnet>.0/32`, and per remote node, in flannel's order: a permanent neighbour for the remote
    VTEP, an FDB entry sending its MAC to the remote node, an onlink route for its /24. No route for the
    whole podCIDR.
  - host-gw: per remote node only `<remote /24> via <remote node IP> dev eth0`. No tunnel, full MTU.
* the CNI bridge plugin (network "cbr0", as kube-flannel's cni-conf.json delegates): bridge `cni0` with
  the gateway .1, pods on `veth<8 hex>` with hairpin on, arp_notify on the pod's eth0, pod routes
  `<podCIDR> via .1` then `default via .1`.
"""

from __future__ import annotations

from netlab import naming
from netlab.compile.links import attached_namespace, bridge
from netlab.features.kube_proxy.service_ports import MASQUERADE_MARK_MATCH  # kube-proxy's, which flannel leaves alone
from netlab.plan import (
    Address, BridgePort, FdbEntry, File, LinkSet, Neighbor, Note, Route, RuleSet, Step, Sysctl, Vxlan,
)
from netlab.topology.model import Node, Topology

BRIDGE = "cni0"  # the bridge plugin's defaultBrName
VTEP = "flannel.1"  # fmt.Sprintf("flannel.%d", VNI)
VNI = 1
VXLAN_OVERHEAD = 50  # outer Ethernet 14 + IP 20 + UDP 8 + VXLAN 8
VETH_HEX_DIGITS = 8  # RandomVethName(): "veth%x" of 4 bytes
# The bridge plugin's setupVeth, in the pod: announce the address when eth0 comes up (a gratuitous ARP), so that a
# pod given an address another pod had is not sent frames meant for the old one's MAC.
POD_SYSCTLS = (("net.ipv4.conf.eth0.arp_notify", "1"),)


def compile_pod_network(t: Topology, *, vxlan: bool) -> list[Step]:
    mtu = t.underlay.mtu - VXLAN_OVERHEAD if vxlan else t.underlay.mtu
    steps: list[Step] = []
    for node in t.nodes:
        steps += flanneld(t, node, mtu, vxlan)
    for node in t.nodes:
        steps += cni_bridge(t, node, mtu)
    return steps


def vtep_mac(lab: str, node: str) -> str:
    """flannel picks a random locally administered unicast MAC (and keeps it in the node's annotation)."""
    return naming.mac(lab, node, VTEP)


def flanneld(t: Topology, node: Node, mtu: int, vxlan: bool) -> list[Step]:
    ns = naming.netns(t.name, node.name)
    backend = "vxlan" if vxlan else "host-gw"
    steps: list[Step] = [
        Note(f"node {node.name}: flanneld ({backend}) leases {node.pod_subnet}; forwarding and bridge netfilter on"),
        Sysctl(ns, "net.ipv4.ip_forward", "1"),
        Sysctl(ns, "net.bridge.bridge-nf-call-iptables", "1"),
        File(f"flannel/{node.name}/subnet.env", subnet_env(t, node, mtu)),
        Note(f"node {node.name}: flanneld's masquerade and forward rules"),
        RuleSet(ns, t.cluster.iptables, "nat", masquerade_rules(t, node)),
        RuleSet(ns, t.cluster.iptables, "filter", forward_rules(t)),
    ]
    remotes = [n for n in t.nodes if n is not node]
    if vxlan:
        steps += [Note(f"node {node.name}: the VXLAN tunnel endpoint {VTEP}"),
                  Vxlan(ns, VTEP, VNI, str(node.ip), naming.UPLINK, mtu, vtep_mac(t.name, node.name)),
                  Address(ns, VTEP, f"{node.pod_subnet.network_address}/32"),
                  LinkSet(ns, VTEP, naming.alias(t.name))]
        for remote in remotes:
            gateway = str(remote.pod_subnet.network_address)
            mac = vtep_mac(t.name, remote.name)
            steps += [Note(f"node {node.name}: how to reach {remote.pod_subnet} on {remote.name} (ARP, FDB, route)"),
                      Neighbor(ns, VTEP, gateway, mac),
                      FdbEntry(ns, VTEP, mac, str(remote.ip)),
                      Route(ns, str(remote.pod_subnet), VTEP, via=gateway, onlink=True)]
    else:
        steps.append(Note(f"node {node.name}: one route per remote node, via its underlay address"))
        steps += [Route(ns, str(r.pod_subnet), naming.UPLINK, via=str(r.ip)) for r in remotes]
    return steps


def cni_bridge(t: Topology, node: Node, mtu: int) -> list[Step]:
    ns = naming.netns(t.name, node.name)
    steps: list[Step] = [Note(f"node {node.name}: the CNI bridge plugin creates {BRIDGE} {node.bridge}")]
    steps += bridge(t.name, ns, BRIDGE, mtu, str(node.bridge))
    taken: set[str] = set()
    gateway = str(node.bridge.ip)
    for pod in t.plugged_pods_on(node.name):
        veth = naming.hashed_veth(t.name, node.name, pod.name, hex_digits=VETH_HEX_DIGITS, taken=taken)
        pod_ns = naming.netns(t.name, pod.name)
        steps += [Note(f"pod {pod.name}: {pod.ip} on {BRIDGE} through {veth}")]
        steps += attached_namespace(t.name, netns=pod_ns, role="pod", outer_netns=ns, outer_name=veth,
                                    master=BRIDGE, address=str(pod.ip), gateway=None, mtu=mtu, host=node.name,
                                    sysctls=POD_SYSCTLS)
        steps += [BridgePort(ns, veth, hairpin=True),
                  Route(pod_ns, str(t.cluster.pod_cidr), naming.UPLINK, via=gateway),
                  Route(pod_ns, "default", naming.UPLINK, via=gateway)]
    return steps


def subnet_env(t: Topology, node: Node, mtu: int) -> str:
    return (f"FLANNEL_NETWORK={t.cluster.pod_cidr}\n"
            f"FLANNEL_SUBNET={node.bridge}\n"  # the first usable address, as flannel writes it
            f"FLANNEL_MTU={mtu}\n"
            "FLANNEL_IPMASQ=true\n")


def masquerade_rules(t: Topology, node: Node) -> str:
    net, mine = t.cluster.pod_cidr, node.pod_subnet
    tail = '-m comment --comment "flanneld masq"'
    return "\n".join([
        "*nat",
        ":FLANNEL-POSTRTG - [0:0]",
        f"-A POSTROUTING {tail} -j FLANNEL-POSTRTG",
        # kube-proxy already marked it for masquerading: leave it to KUBE-POSTROUTING.
        f"-A FLANNEL-POSTRTG -m mark --mark {MASQUERADE_MARK_MATCH} {tail} -j RETURN",
        f"-A FLANNEL-POSTRTG -s {mine} -d {net} {tail} -j RETURN",
        f"-A FLANNEL-POSTRTG -s {net} -d {mine} {tail} -j RETURN",
        f"-A FLANNEL-POSTRTG ! -s {net} -d {mine} {tail} -j RETURN",
        f"-A FLANNEL-POSTRTG -s {net} ! -d 224.0.0.0/4 {tail} -j MASQUERADE --random-fully",
        f"-A FLANNEL-POSTRTG ! -s {net} -d {net} {tail} -j MASQUERADE --random-fully",
        "COMMIT", ""])


def forward_rules(t: Topology) -> str:
    net = t.cluster.pod_cidr
    tail = '-m comment --comment "flanneld forward"'
    return "\n".join([
        "*filter",
        ":FLANNEL-FWD - [0:0]",
        f"-A FORWARD {tail} -j FLANNEL-FWD",
        f"-A FLANNEL-FWD -s {net} {tail} -j ACCEPT",
        f"-A FLANNEL-FWD -d {net} {tail} -j ACCEPT",
        "COMMIT", ""])
