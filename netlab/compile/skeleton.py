"""The wires every lab has: the underlay switch, the internet router and its hosts, and the nodes' uplinks.

underlay (a namespace holding bridge br0) is the L2 segment the nodes share, like a Vagrant private
network. internet is a router namespace with one leg on the underlay (.1, the nodes' default gateway) and
a bridge towards the internet hosts (documentation prefixes only). The router forwards without NAT: it
has no route to pod networks, so pod traffic reaches the internet only if a node masquerades it (or BGP tells
it the pod blocks: Calico's peers). An underlay of several subnets is several segments (br0, br1, …), each
a rack with its own switch, and the router has a leg on each (eth0, eth1, …): nodes of different racks
reach each other through it, one routed hop apart.
"""

from __future__ import annotations

from netlab import naming
from netlab.compile.links import attached_namespace, bridge
from netlab.plan import Address, LinkSet, Netns, Note, RuleSet, Step, Sysctl, Veth
from netlab.topology.model import Topology


def compile_underlay_and_internet(t: Topology) -> list[Step]:
    lab, under, inet = t.name, naming.netns(t.name, naming.UNDERLAY), naming.netns(t.name, naming.INTERNET)
    segments = t.underlay.segments
    steps: list[Step] = [Note(f"underlay: the switch every node is plugged into ({t.underlay.subnet})" if
                              len(segments) == 1 else "underlay: a switch per segment, the router between them (" +
                              ", ".join(f"{naming.underlay_bridge(i)} {gw.network}" for i, gw in enumerate(segments))
                              + ")")]
    steps += [Netns(under, "underlay")]
    for i in range(len(segments)):
        steps += bridge(lab, under, naming.underlay_bridge(i), t.underlay.mtu)
    steps += [Note(f"internet: a router between the underlay and the internet hosts ({t.internet.subnet})")]
    steps += attached_namespace(lab, netns=inet, role="internet", outer_netns=under, outer_name="internet",
                                master=naming.UNDERLAY_BRIDGE, address=str(t.underlay.gateway), gateway=None,
                                mtu=t.underlay.mtu)
    for i, gw in enumerate(segments[1:], 1):  # its leg on each further segment
        leg, outer = f"eth{i}", f"internet{i}"
        steps += [Veth(under, outer, inet, leg, t.underlay.mtu),
                  LinkSet(under, outer, naming.alias(lab), naming.underlay_bridge(i)),
                  Address(inet, leg, str(gw)), LinkSet(inet, leg, naming.alias(lab))]
    steps += bridge(lab, inet, naming.INTERNET_BRIDGE, 1500, str(t.internet.gateway))
    steps += [Sysctl(inet, "net.ipv4.ip_forward", "1")]
    for host in t.internet.hosts:
        steps += [Note(f"internet host {host.name}")]
        steps += attached_namespace(lab, netns=naming.netns(lab, host.name), role="host", outer_netns=inet,
                                    outer_name=host.name, master=naming.INTERNET_BRIDGE, address=str(host.ip),
                                    gateway=str(t.internet.gateway.ip), mtu=1500)
    return steps


def compile_nodes(t: Topology) -> list[Step]:
    steps: list[Step] = []
    under = naming.netns(t.name, naming.UNDERLAY)
    for node in t.nodes:
        segment = t.underlay.segment_of(node.ip)
        gateway = t.underlay.segments[segment]
        steps += [Note(f"node {node.name}: eth0 {node.ip} on the underlay, default route via the router")]
        steps += attached_namespace(
            t.name, netns=naming.netns(t.name, node.name), role="node", outer_netns=under, outer_name=node.name,
            master=naming.underlay_bridge(segment), address=f"{node.ip}/{gateway.network.prefixlen}",
            gateway=str(gateway.ip), mtu=t.underlay.mtu)
    return steps


def compile_user_rules(t: Topology) -> list[Step]:
    steps: list[Step] = []
    for node in t.nodes:
        ns = naming.netns(t.name, node.name)
        if node.rules.iptables:
            steps += [Note(f"node {node.name}: extra iptables rules from the topology"),
                      RuleSet(ns, t.cluster.iptables, "custom", node.rules.iptables, origin="user")]
        if node.rules.nft:
            steps += [Note(f"node {node.name}: extra nftables rules from the topology"),
                      RuleSet(ns, "nft", "custom", node.rules.nft, origin="user")]
    return steps

