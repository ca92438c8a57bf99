"""The internet router's BGP daemon: FRR, as a network's edge router runs it, peering with the cluster's nodes.

Debian's FRR is two daemons here: bgpd speaks BGP and hands the routes it chooses to zebra, which installs them
in the kernel (`proto bgp metric 20`). Each runs as the user `frr` (FRR drops root itself), with its files, its
pid file and its control sockets in the lab's state directory; `vtysh --vty_socket DIR` talks to them.

The configuration is what a network engineer writes for a top-of-rack or edge router facing the nodes: one
`neighbor … remote-as` per node; `no bgp ebgp-requires-policy`, since FRR 8 otherwise neither accepts nor sends a
route over eBGP without a route-map (RFC 8212); nothing announced of its own.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from ipaddress import IPv4Address

from netlab import naming
from netlab.plan import STATE, BgpSessions, Daemon, Note, Step
from netlab.topology.model import Topology

FOLDER = "frr"  # under the state directory; owned by the user frr, who writes the daemons' sockets there
USER = "frr"
DAEMON = "frr-bgpd"
ZEBRA = "frr-zebra"
ROUTE_METRIC = 20  # what zebra writes for a route bgpd chose, learnt over eBGP or iBGP alike (seen in the kernel)


@dataclass(frozen=True)
class Neighbor:
    ip: IPv4Address
    as_number: int
    description: str  # the node's name, as `show bgp summary` lists it


def bgpd_conf(router_id: IPv4Address, as_number: int, neighbors: list[Neighbor]) -> str:
    lines = ["frr defaults traditional", "hostname internet", "log stdout informational", "!",
             f"router bgp {as_number}", f" bgp router-id {router_id}",
             " no bgp ebgp-requires-policy"]
    for n in neighbors:
        lines += [f" neighbor {n.ip} remote-as {n.as_number}", f" neighbor {n.ip} description {n.description}"]
    return "\n".join(lines + ["!", ""])


def zebra_conf(hostname: str = "internet", extra: tuple[str, ...] = ()) -> str:
    return "\n".join([f"hostname {hostname}", "log stdout informational", *extra, "!", ""])


def daemons(t: Topology, as_number: int, neighbors: list[Neighbor]) -> list[Step]:
    """zebra, then bgpd, in the internet router's namespace."""
    return [Note(f"internet: FRR speaks BGP (AS {as_number}) with {', '.join(n.description for n in neighbors)}"),
            *zebra_and_bgpd(naming.netns(t.name, naming.INTERNET), FOLDER, ZEBRA, DAEMON, "internet",
                            bgpd_conf(t.underlay.gateway.ip, as_number, neighbors))]


def zebra_and_bgpd(ns: str, folder: str, zebra: str, bgpd: str, hostname: str, bgpd_config: str,
                   reload: tuple[str, ...] = (), zebra_lines: tuple[str, ...] = ()) -> list[Step]:
    """FRR's zebra and bgpd in `ns`, their files, pid files and sockets in `folder` (under the state directory):
    zebra first, since bgpd hands it its routes and learns the interfaces' addresses from it."""
    where = f"{STATE}/{folder}"
    common = ("-u", USER, "-g", USER, "--vty_socket", where, "-z", f"{where}/zserv.api", "-P", "0")
    return [
        Daemon(ns, zebra, ("/usr/lib/frr/zebra", *common, "-i", f"{where}/zebra.pid", "-f", f"{where}/zebra.conf"),
               ready=f"path:{folder}/zserv.api", files=((f"{folder}/zebra.conf", zebra_conf(hostname, zebra_lines)),),
               user=USER),
        Daemon(ns, bgpd, ("/usr/lib/frr/bgpd", *common, "-i", f"{where}/bgpd.pid", "-f", f"{where}/bgpd.conf"),
               ports=("tcp/179",), ready=f"path:{folder}/bgpd.vty", files=((f"{folder}/bgpd.conf", bgpd_config),),
               reload=reload, user=USER),
    ]


def reload_bgpd(folder: str) -> tuple[str, ...]:
    """FRR's own reload (frr-pythontools): it compares bgpd's running configuration with the file and sends bgpd
    only the difference through vtysh, so a session whose neighbour did not change stays up."""
    where = f"{STATE}/{folder}"
    return ("/usr/lib/frr/frr-reload.py", "--reload", "--stdout", "--bindir", "/usr/bin", "--confdir", where,
            "--rundir", where, "--vty_socket", where, "--daemon", "bgpd", f"{where}/bgpd.conf")


def sessions(t: Topology, neighbors: list[Neighbor]) -> BgpSessions:
    """The wait for bgpd's sessions with `neighbors`."""
    return BgpSessions(naming.netns(t.name, naming.INTERNET), DAEMON, f"{STATE}/{FOLDER}",
                       tuple(str(n.ip) for n in neighbors), speaker="frr")


def sessions_down(netns: str, vty_dir: str, sessions: tuple[str, ...]) -> list[str] | None:
    """Of `sessions` (neighbour addresses), those bgpd does not call Established (`192.168.56.12 is Active`);
    None when bgpd does not answer."""
    from netlab.kernel import netns as namespaces
    shown = namespaces.run(netns, ["vtysh", "--vty_socket", vty_dir, "-c", "show bgp summary json"])
    states = peer_states(shown.stdout) if shown.returncode == 0 else None
    if states is None:
        return None
    return [f"{ip} is {states.get(ip) or 'not configured'}" for ip in sessions if states.get(ip) != "Established"]


def peer_states(shown: str) -> dict[str, str] | None:
    """`show bgp summary json` as {neighbour: its state}: "Established", "Active", "Connect"…; None if unreadable."""
    try:
        peers = json.loads(shown).get("ipv4Unicast", {}).get("peers", {})
    except (ValueError, AttributeError):
        return None
    return {ip: str(peer.get("state", "?")) for ip, peer in peers.items()}
