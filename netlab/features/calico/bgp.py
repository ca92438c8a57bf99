"""BGP between the nodes: a BIRD on every node, its sessions, and the routes it installs.

Every node announces its block. With the node-to-node mesh each node peers with every other one (`Mesh_<ip>`;
of each pair the node with the lower address waits, `passive on`); with route reflectors each node peers only
with the reflectors, which reflect what their clients announce (`rr client`, `rr cluster id`) and peer with each
other as ordinary iBGP neighbours. With no encapsulation BIRD installs what it learns: `<block> via <node> dev
eth0 proto bird`, and its own block as `blackhole … proto bird`; with IPIP or VXLAN it installs nothing of the
pool and felix programs the routes (felix.py). A node on another subnet is reached through the router (BIRD's
`gateway recursive`).

BGPPeers (`calico.peers`) point the nodes at the internet router too, which runs FRR (features/frr.py): it learns
the blocks, each from every node that announces it, and routes them (ECMP when several name themselves).
"""

from __future__ import annotations

from ipaddress import IPv4Address

from netlab import naming
from netlab.features import frr
from netlab.features.calico import bird
from netlab.features.calico.felix import config
from netlab.features.calico.model import NO_ENCAPSULATION
from netlab.plan import RTPROT_BGP, RTPROT_BIRD, STATE, BgpSessions, Daemon, Note, Route, Step
from netlab.topology.model import Node, Topology

CLUSTER_ID = "244.0.0.1"  # the routeReflectorClusterID of Calico's route reflector guide
BGP_METRIC = 1024  # calico_kernel_programming: krt_metric 1024 for a BGP route with no local preference


def daemon_name(node: Node) -> str:
    return f"bird-{node.name}"


def socket(node: Node) -> str:
    return f"calico/{node.name}/bird.ctl"


def peers(t: Topology, node: Node) -> list[bird.Peering]:
    """The BGP peers of `node`, as confd's bird.cfg lists them: by protocol name."""
    c = config(t)
    found = []
    if c.node_to_node_mesh:
        for other in t.nodes:
            if other is not node:
                # confd compares the addresses as text: 10.0.0.10 is "lower" than 10.0.0.9
                passive = "  passive on;\n" if str(other.ip) > str(node.ip) else ""
                found.append(bird.Peering(bird.peer_protocol("Mesh", other.ip), other.ip, c.as_number, passive))
    reflectors = set(c.route_reflectors)
    for other in t.nodes:
        if other is node or (node.name not in reflectors and other.name not in reflectors):
            continue
        client = node.name in reflectors and other.name not in reflectors
        tail = f"  rr client;\n  rr cluster id {CLUSTER_ID};\n" if client else ""
        found.append(bird.Peering(bird.peer_protocol("Node", other.ip), other.ip, c.as_number, tail))
    for peer in c.peers:
        if peer.peers_with(node.name):
            external = peer.as_number != c.as_number
            tail = "  next hop keep;\n" if external and peer.keep_original_next_hop else ""
            found.append(bird.Peering(bird.peer_protocol("Node" if peer.node else "Global", peer.peer_ip),
                                      peer.peer_ip, peer.as_number, tail))
    return sorted(found)  # confd sorts the protocols by name


def compile_bgp(t: Topology) -> list[Step]:
    """Every node's BIRD first (a session needs both ends), then the waits for their sessions and routes."""
    c = config(t)
    steps: list[Step] = []
    for node in t.nodes:
        ns, folder = naming.netns(t.name, node.name), f"calico/{node.name}"
        steps += [Note(f"node {node.name}: BIRD announces {node.pod_subnet} over BGP (AS {c.as_number})")]
        steps.append(Daemon(
            ns, daemon_name(node),
            # calico-node's runit service: bird -R -s <socket> -d -c <config> (-d: in the foreground, logging)
            ("bird", "-R", "-s", f"{STATE}/{socket(node)}", "-d", "-c", f"{STATE}/{folder}/bird.cfg"),
            ports=("tcp/179",), ready=f"path:{socket(node)}",
            # confd's reload: BIRD reads its files again; a session whose protocol did not change stays up
            reload=tuple(bird.control(f"{STATE}/{socket(node)}", "configure")),
            files=((f"{folder}/bird.cfg", bird.bird_cfg(c, node.ip, peers(t, node))),
                   (f"{folder}/bird_aggr.cfg", bird.bird_aggr_cfg(node.pod_subnet)),
                   (f"{folder}/bird_ipam.cfg", bird.bird_ipam_cfg(c, t.cluster.pod_cidr)))))
    speakers = router_peers(t)
    neighbors = [frr.Neighbor(node.ip, c.as_number, node.name) for node in speakers]
    if neighbors:  # the internet router's BGP daemon: its sessions are waited for with the nodes'
        steps += frr.daemons(t, c.peers[0].as_number, neighbors)
    for node in t.nodes:
        ns, name = naming.netns(t.name, node.name), daemon_name(node)
        sessions = tuple(peering.name for peering in peers(t, node))
        steps += [Note(f"node {node.name}: BGP sessions Established: {', '.join(sessions) or 'none'}"),
                  BgpSessions(ns, name, f"{STATE}/{socket(node)}", sessions)]
        if c.mode == NO_ENCAPSULATION:
            # Every node hears of every block, over the mesh or through a reflector (with neither, of none).
            heard = [other for other in t.nodes if other is not node and (c.node_to_node_mesh or c.route_reflectors)]
            steps += [Note(f"node {node.name}: the routes BIRD installs"),
                      Route(ns, str(node.pod_subnet), "", protocol=RTPROT_BIRD, blackhole=True, learned_from=name)]
            steps += [Route(ns, str(other.pod_subnet), naming.UPLINK, via=str(bird_next_hop(t, node, other)),
                            protocol=RTPROT_BIRD, metric=BGP_METRIC, learned_from=name) for other in heard]
    if neighbors:
        steps += [frr.sessions(t, neighbors), *router_routes(t, speakers)]
    return steps


def bird_next_hop(t: Topology, node: Node, other: Node) -> IPv4Address:
    """Where BIRD sends `node`'s packets for `other`'s block: to `other` when they share a subnet; else BGP's next
    hop is not on a link of `node`, and `gateway recursive` resolves it through the kernel's table — the default
    route, the router, which knows no pod block unless it peers with the nodes (calico.peers)."""
    segment = t.underlay.segment_of(node.ip)
    return other.ip if t.underlay.segment_of(other.ip) == segment else t.underlay.segments[segment].ip


def router_peers(t: Topology) -> list[Node]:
    """The nodes the internet router peers with, when BGPPeers point at it."""
    return [node for node in t.nodes if any(peer.peers_with(node.name) for peer in config(t).peers)]


def router_routes(t: Topology, speakers: list[Node]) -> list[Step]:
    """The routes to the pod blocks the router's zebra installs, from what bgpd learnt from `speakers`."""
    inet = naming.netns(t.name, naming.INTERNET)
    steps: list[Step] = [Note("internet: the routes to the pod blocks zebra installs, from what bgpd learnt")]
    for owner in t.nodes:
        hops = [str(hop) for hop in next_hops(t, owner, speakers)]
        if hops:  # several: bgpd's multipath (the paths are alike: one AS, one hop away), ECMP in the kernel
            leg = f"eth{t.underlay.segment_of(IPv4Address(hops[0]))}"  # the router's leg on that node's segment
            steps.append(Route(inet, str(owner.pod_subnet), leg, via=hops[0], protocol=RTPROT_BGP,
                               metric=frr.ROUTE_METRIC, learned_from=frr.DAEMON,
                               nexthops=tuple(hops) if len(hops) > 1 else ()))
    return steps


def next_hops(t: Topology, owner: Node, speakers: list[Node]) -> list[IPv4Address]:
    """Where the router sends packets for `owner`'s block: every node that announces it to the router. Each names
    itself as the next hop (BIRD does, towards an eBGP peer over a multihop session) unless keepOriginalNextHop
    keeps the owner's address; a node knows other blocks only over the mesh or from a reflector."""
    c = config(t)
    internal = c.peers[0].as_number == c.as_number  # iBGP does not pass on what it learnt over iBGP
    knows_others = (c.node_to_node_mesh or bool(c.route_reflectors)) and not internal
    keep = any(peer.keep_original_next_hop for peer in c.peers)
    announcers = [node for node in speakers if node is owner or knows_others]
    return sorted({owner.ip if keep else node.ip for node in announcers})
