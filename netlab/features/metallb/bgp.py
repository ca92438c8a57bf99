"""MetalLB in BGP mode: every node's speaker tells the internet router, over BGP, that the load balancer addresses
are reached through it; the router installs one route per address with a next hop per node (ECMP) and spreads the
flows over them.

The speaker is FRR, as in MetalLB's FRR mode: MetalLB's Go speaker only renders FRR's configuration
(internal/bgp/frr/templates/frr.tmpl) and has frr-reload.py apply it; bgpd speaks BGP. netlab renders the same
configuration for one BGPPeer (the router) and one BGPAdvertisement (a /32 per address): the route-map `<peer>-in`
denies everything the router sends, the prefix-list `<peer>-allowed-ipv4` lets out exactly the addresses this node
announces, and `network <ip>/32` (with `no bgp network import-check`: the address is on no interface) originates
them. Which nodes announce is speaker/bgp_controller.go's ShouldAnnounce: all of them while the Service has a ready
endpoint; with externalTrafficPolicy Local, only the nodes that have one (controller.usable_nodes).
"""

from __future__ import annotations

from ipaddress import IPv4Address

from netlab import naming
from netlab.features import frr
from netlab.features.metallb.controller import usable_nodes
from netlab.features.metallb.model import BGP, speaker_name
from netlab.plan import RTPROT_BGP, Note, Route, Step, Sysctl
from netlab.topology.model import Node, Topology


ZEBRA_COMMANDS = ("ip nht ", "ipv6 nht ")


def folder(node: Node) -> str:
    return f"metallb/{node.name}"


def frr_conf(hostname: str, my_asn: int, peer: IPv4Address, peer_asn: int, prefixes: list[str],
             timers: tuple[int, int] | None = None) -> str:
    """frr.tmpl for one neighbour and its advertisements, line for line as MetalLB renders it; `timers`
    (keepalive, hold) when the BGPPeer sets them."""
    timer_lines = [f"  neighbor {peer} timers {timers[0]} {timers[1]}"] if timers else []
    allowed = [f"ip prefix-list {peer}-allowed-ipv4 seq {i} permit {p}" for i, p in enumerate(prefixes, 1)]
    lines = ["log stdout informational", "log timestamp precision 3", f"hostname {hostname}",
             "ip nht resolve-via-default", "ipv6 nht resolve-via-default",
             f"route-map {peer}-in deny 20", "", "",
             *(allowed or [f"ip prefix-list {peer}-allowed-ipv4 seq 1 deny any"]), "", "",
             f"ipv6 prefix-list {peer}-allowed-ipv6 seq 1 deny any", "",
             f"route-map {peer}-out permit 1", f"  match ip address prefix-list {peer}-allowed-ipv4", "",
             f"route-map {peer}-out permit 2", f"  match ipv6 address prefix-list {peer}-allowed-ipv6", "",
             f"router bgp {my_asn}", "  no bgp ebgp-requires-policy", "  no bgp network import-check",
             "  no bgp default ipv4-unicast", "  bgp graceful-restart preserve-fw-state", "",
             f"  neighbor {peer} remote-as {peer_asn}", f"  neighbor {peer} port 179", *timer_lines, "  ", "  ", "",
             "  address-family ipv4 unicast", f"    neighbor {peer} activate",
             f"    neighbor {peer} route-map {peer}-in in", f"    neighbor {peer} route-map {peer}-out out",
             "  exit-address-family"]
    if prefixes:
        lines += ["  address-family ipv4 unicast", *(f"    network {p}" for p in prefixes), "  exit-address-family"]
    return "\n".join(lines + ["", ""])


def split(conf: str) -> tuple[tuple[str, ...], str]:
    """MetalLB's FRR reads frr.conf whole, through vtysh, which gives each daemon its own lines; netlab starts zebra
    and bgpd each with its file, so the next-hop-tracking lines (zebra's) go to zebra and the rest to bgpd."""
    lines = conf.split("\n")
    zebra = tuple(line for line in lines if line.startswith(ZEBRA_COMMANDS))
    return zebra, "\n".join(line for line in lines if not line.startswith(ZEBRA_COMMANDS))


def compile_bgp_speakers(t: Topology) -> list[Step]:
    config = t.cluster.load_balancer
    if config is None or config.mode != BGP:
        return []
    # each address, and the nodes that announce it (ShouldAnnounce)
    balanced = [(ip, usable_nodes(t, s, t.nodes)) for s in t.services if s.type == "LoadBalancer"
                for ip in s.ingress_ips]
    timers = (config.keepalive_time, config.hold_time) if config.keepalive_time and config.hold_time else None
    neighbors = [frr.Neighbor(node.ip, config.my_asn, node.name) for node in t.nodes]
    inet = naming.netns(t.name, naming.INTERNET)
    # The router first, as on a real network: each speaker's first connection then finds it listening (else
    # bgpd waits out its connect-retry timer before trying again, and `up` with it).
    steps: list[Step] = frr.daemons(t, config.peer_asn, neighbors)
    for node in t.nodes:
        peer = t.underlay.segments[t.underlay.segment_of(node.ip)].ip  # the router's leg on the node's segment
        prefixes = [f"{ip}/32" for ip, nodes in sorted(balanced, key=lambda b: int(b[0])) if node in nodes]
        steps.append(Note(f"node {node.name}: MetalLB's speaker (FRR's bgpd, AS {config.my_asn}) announces "
                          f"{', '.join(prefixes) or 'nothing yet'} to the internet router {peer}"))
        zebra_lines, bgpd_conf = split(frr_conf(node.name, config.my_asn, peer, config.peer_asn, prefixes, timers))
        steps += frr.zebra_and_bgpd(naming.netns(t.name, node.name), folder(node), f"metallb-zebra-{node.name}",
                                    speaker_name(node.name), node.name, bgpd_conf, reload=frr.reload_bgpd(folder(node)),
                                    zebra_lines=zebra_lines)
    # A router spreads flows over equal next hops by their ports too (a ToR switch hashes the 5-tuple); Linux's
    # default hashes the addresses only, which would send every flow of one client to one node.
    steps += [Sysctl(inet, "net.ipv4.fib_multipath_hash_policy", "1"), frr.sessions(t, neighbors),
              Note("internet: the routes to the load balancer addresses zebra installs, one next hop per node")]
    for ip, nodes in balanced:
        hops = sorted((n.ip for n in nodes), key=int)
        if hops:
            leg = f"eth{t.underlay.segment_of(hops[0])}"
            steps.append(Route(inet, f"{ip}/32", leg, via=str(hops[0]), protocol=RTPROT_BGP, metric=frr.ROUTE_METRIC,
                               learned_from=frr.DAEMON, nexthops=tuple(str(h) for h in hops) if len(hops) > 1 else ()))
    return steps
