"""dockerd's iptables rules for its bridge networks, in the three layouts a student meets (`docker: {layout: …}`):

  classic  Docker ≤ 27 (libnetwork's bridge driver at v27.5.1): FORWARD jumps to DOCKER-USER and
           DOCKER-ISOLATION-STAGE-1, then four rules per bridge; per published port a DNAT, an ACCEPT and a
           hairpin MASQUERADE; no raw table.
  28       Docker 28 (moby v28.2–v28.5): FORWARD → DOCKER-USER, DOCKER-FORWARD, which jumps to DOCKER-CT (replies),
           the isolation chains and DOCKER-BRIDGE (→ DOCKER, which ends with a DROP per bridge), then accepts what
           leaves a bridge; the raw table drops a packet for a container's address arriving from outside its bridge;
           no hairpin MASQUERADE while the userland proxy is on.
  current  Docker 29 and moby's main branch: as 28 without DOCKER-ISOLATION-STAGE-1/2 (the raw rule keeps networks
           apart now), with an empty DOCKER-INTERNAL for `--internal` networks, and without nat DOCKER's RETURNs.

Each layout is held to moby's own integration-test goldens (integration/network/bridge/iptablesdoc/generated,
tests/data/moby) for the same networks and port mapping; the classic one, which has no goldens, follows the
v27.5.1 code (setup_ip_tables_linux.go, port_mapping_linux.go). The order of rules is the order dockerd's inserts
and appends leave: a newer network's FORWARD rules above an older one's in classic, per-port ACCEPTs at the head of
DOCKER in 28 and later. Defaults as a daemon has them: icc on, ip-masquerade on, userland-proxy on.
"""

from __future__ import annotations

from dataclasses import dataclass
from ipaddress import IPv4Address, IPv4Network

from netlab.topology.model import PublishedPort

LAYOUTS = ("current", "28", "classic")


@dataclass(frozen=True)
class Network:
    """A bridge network on one host, as its rules need it: in the order dockerd created them (docker0 first)."""

    bridge: str
    subnet: IPv4Network
    containers: tuple[IPv4Address, ...]  # every container's address on it, in the order they were started
    published: tuple[tuple[IPv4Address, PublishedPort], ...]  # (container, -p HOST:CONTAINER/PROTO)


def tables(layout: str, networks: list[Network]) -> dict[str, str]:
    """{table: iptables-restore payload} for the host: nat and filter, and raw from Docker 28 on."""
    payloads = {"nat": restore("nat", ("PREROUTING", "INPUT", "OUTPUT", "POSTROUTING"), ["DOCKER"],
                               nat_rules(layout, networks)),
                "filter": restore("filter", ("INPUT", "FORWARD", "OUTPUT"), filter_chains(layout),
                                  filter_rules(layout, networks), forward_policy="DROP")}
    if layout != "classic":
        payloads["raw"] = restore("raw", ("PREROUTING", "OUTPUT"), [], raw_rules(networks))
    return payloads


def restore(table: str, builtin: tuple[str, ...], chains: list[str], rules: list[str],
            forward_policy: str = "ACCEPT") -> str:
    # dockerd found ip_forward off (a fresh namespace) and turned it on, so it set FORWARD's policy to DROP.
    head = [f"*{table}", *(f":{c} {forward_policy if c == 'FORWARD' else 'ACCEPT'} [0:0]" for c in builtin),
            *(f":{c} - [0:0]" for c in chains)]
    return "\n".join([*head, *rules, "COMMIT", ""])


def filter_chains(layout: str) -> list[str]:
    if layout == "classic":
        return ["DOCKER", "DOCKER-ISOLATION-STAGE-1", "DOCKER-ISOLATION-STAGE-2", "DOCKER-USER"]
    isolation = ["DOCKER-INTERNAL"] if layout == "current" else ["DOCKER-ISOLATION-STAGE-1", "DOCKER-ISOLATION-STAGE-2"]
    return ["DOCKER", "DOCKER-BRIDGE", "DOCKER-CT", "DOCKER-FORWARD", *isolation, "DOCKER-USER"]


def port_match(p: PublishedPort, port: int) -> str:
    return f"-p {p.protocol} -m {p.protocol} --dport {port}"


def published(networks: list[Network]) -> list[tuple[Network, IPv4Address, PublishedPort]]:
    return [(n, ip, p) for n in networks for ip, p in n.published]


def nat_rules(layout: str, networks: list[Network]) -> list[str]:
    rules = ["-A PREROUTING -m addrtype --dst-type LOCAL -j DOCKER",
             # With the userland proxy on, dockerd leaves 127.0.0.0/8 to docker-proxy.
             "-A OUTPUT ! -d 127.0.0.0/8 -m addrtype --dst-type LOCAL -j DOCKER"]
    rules += [f"-A POSTROUTING -s {n.subnet} ! -o {n.bridge} -j MASQUERADE" for n in reversed(networks)]
    if layout == "classic":  # the hairpin, always in ≤27; from 28 only with the userland proxy off
        rules += [f"-A POSTROUTING -s {ip}/32 -d {ip}/32 {port_match(p, p.container_port)} -j MASQUERADE"
                  for _, ip, p in published(networks)]
    if layout != "current":
        rules += [f"-A DOCKER -i {n.bridge} -j RETURN" for n in reversed(networks)]
    rules += [f"-A DOCKER ! -i {n.bridge} {port_match(p, p.host_port)} -j DNAT --to-destination {ip}:{p.container_port}"
              for n, ip, p in published(networks)]
    return rules


def accept_published(n: Network, ip: IPv4Address, p: PublishedPort) -> str:
    return f"-A DOCKER -d {ip}/32 ! -i {n.bridge} -o {n.bridge} {port_match(p, p.container_port)} -j ACCEPT"


def filter_rules(layout: str, networks: list[Network]) -> list[str]:
    if layout == "classic":
        rules = ["-A FORWARD -j DOCKER-USER", "-A FORWARD -j DOCKER-ISOLATION-STAGE-1"]
        for n in reversed(networks):  # each network's rules are inserted above the older ones'
            rules += [f"-A FORWARD -o {n.bridge} -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT",
                      f"-A FORWARD -o {n.bridge} -j DOCKER",
                      f"-A FORWARD -i {n.bridge} ! -o {n.bridge} -j ACCEPT",
                      f"-A FORWARD -i {n.bridge} -o {n.bridge} -j ACCEPT"]
        rules += [accept_published(n, ip, p) for n, ip, p in published(networks)]
        rules += [f"-A DOCKER-ISOLATION-STAGE-1 -i {n.bridge} ! -o {n.bridge} -j DOCKER-ISOLATION-STAGE-2"
                  for n in reversed(networks)]
        rules += ["-A DOCKER-ISOLATION-STAGE-1 -j RETURN"]
        rules += [f"-A DOCKER-ISOLATION-STAGE-2 -o {n.bridge} -j DROP" for n in reversed(networks)]
        return rules + ["-A DOCKER-ISOLATION-STAGE-2 -j RETURN", "-A DOCKER-USER -j RETURN"]
    rules = ["-A FORWARD -j DOCKER-USER", "-A FORWARD -j DOCKER-FORWARD"]
    # a per-port ACCEPT is inserted at the head of DOCKER, above every bridge's DROP (setPerPortForwarding)
    rules += [accept_published(n, ip, p) for n, ip, p in reversed(published(networks))]
    rules += [f"-A DOCKER ! -i {n.bridge} -o {n.bridge} -j DROP" for n in networks]
    rules += [f"-A DOCKER-BRIDGE -o {n.bridge} -j DOCKER" for n in networks]
    rules += [f"-A DOCKER-CT -o {n.bridge} -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT" for n in networks]
    middle = "DOCKER-INTERNAL" if layout == "current" else "DOCKER-ISOLATION-STAGE-1"
    rules += ["-A DOCKER-FORWARD -j DOCKER-CT", f"-A DOCKER-FORWARD -j {middle}", "-A DOCKER-FORWARD -j DOCKER-BRIDGE"]
    rules += [f"-A DOCKER-FORWARD -i {n.bridge} -j ACCEPT" for n in networks]
    if layout == "28":
        rules += [f"-A DOCKER-ISOLATION-STAGE-1 -i {n.bridge} ! -o {n.bridge} -j DOCKER-ISOLATION-STAGE-2"
                  for n in networks]
        rules += [f"-A DOCKER-ISOLATION-STAGE-2 -o {n.bridge} -j DROP" for n in reversed(networks)]
    return rules


def raw_rules(networks: list[Network]) -> list[str]:
    """Docker 28.2's filterDirectAccess: a packet for a container's address that did not come in through its bridge
    is dropped before anything else sees it — only a published port (DNATed later, in nat) reaches it from outside."""
    return [f"-A PREROUTING -d {ip}/32 ! -i {n.bridge} -j DROP" for n in networks for ip in n.containers]


__all__ = ["LAYOUTS", "Network", "tables"]
