"""Docker's embedded DNS server: what answers 127.0.0.11 in a container on a user-defined network.

dockerd's resolver (libnetwork/resolver.go) is part of dockerd, so netlab runs a stand-in built the same way: one
process per Docker host, in the host's namespace, that opens a UDP and a TCP socket on 127.0.0.11 *inside each
container's namespace* (libnetwork enters the namespace to bind them, on ports the kernel picks; netlab picks them
from the container's name, so the plan can show them). Inside each container, dockerd's nat rules (resolver_unix.go
setupIptablesNAT) send port 53 of 127.0.0.11 to those sockets:

    -A OUTPUT -d 127.0.0.11/32 -j DOCKER_OUTPUT
    -A POSTROUTING -d 127.0.0.11/32 -j DOCKER_POSTROUTING
    -A DOCKER_OUTPUT -d 127.0.0.11/32 -p tcp -m tcp --dport 53 -j DNAT --to-destination 127.0.0.11:<tcp port>
    …

It answers the names of the containers on the querying container's networks (`web`, `web.shop`) with their
addresses (TTL 600, as respTTL), and their PTR records; a name it does not know goes to the host's own name server,
dialled from the host's namespace, as dockerd dials the servers of the host's resolv.conf. Containers on the
default bridge get none of this: no resolver, no rules, the host's resolv.conf — as on Docker.
"""

from __future__ import annotations

import zlib

from netlab import naming
from netlab.features import dns as dns_feature
from netlab.features.dns import resolv
from netlab.plan import PYTHON, Daemon, NetnsFile, Note, RuleSet, Step
from netlab.topology.model import Node, Pod, Topology

ADDRESS = "127.0.0.11"  # resolverIPSandbox
WORKLOAD = "netlab.workloads.docker_dns"
EPHEMERAL = (32768, 60999)  # the kernel's ip_local_port_range: where the ports Docker's sockets get come from


def port(lab: str, pod: Pod, proto: str) -> int:
    """A port for the resolver's socket in the container: derived from its name, past any port it serves."""
    low, high = EPHEMERAL
    served = {s.port for s in pod.serve}
    number = low + zlib.crc32(f"{lab}/{pod.name}/{proto}".encode()) % (high - low + 1)
    while number in served:
        number = low + (number - low + 1) % (high - low + 1)
    return number


def upstream(t: Topology) -> str | None:
    """The host's name server (the internet's), which the resolver forwards other names to; None without one."""
    server = dns_feature.upstream_host(t)
    return str(server.ip.ip) if server is not None else None


def records(t: Topology, node: Node) -> list[tuple[str, str, str]]:
    """(network, container, address) of each container of `node` on a user-defined network: the names its
    resolver answers (workloads/docker_dns.networks), and the model's lookups with them (dns/lookup.py)."""
    return [(pod.network, pod.name, str(pod.ip.ip)) for pod in members(t, node)]


def nat_rules(udp: int, tcp: int) -> str:
    """The rules dockerd installs inside the container's namespace, as its -I calls leave them (tcp above udp)."""
    return "\n".join([
        "*nat", ":PREROUTING ACCEPT [0:0]", ":INPUT ACCEPT [0:0]", ":OUTPUT ACCEPT [0:0]", ":POSTROUTING ACCEPT [0:0]",
        ":DOCKER_OUTPUT - [0:0]", ":DOCKER_POSTROUTING - [0:0]",
        f"-A OUTPUT -d {ADDRESS}/32 -j DOCKER_OUTPUT",
        f"-A POSTROUTING -d {ADDRESS}/32 -j DOCKER_POSTROUTING",
        f"-A DOCKER_OUTPUT -d {ADDRESS}/32 -p tcp -m tcp --dport 53 -j DNAT --to-destination {ADDRESS}:{tcp}",
        f"-A DOCKER_OUTPUT -d {ADDRESS}/32 -p udp -m udp --dport 53 -j DNAT --to-destination {ADDRESS}:{udp}",
        f"-A DOCKER_POSTROUTING -s {ADDRESS}/32 -p tcp -m tcp --sport {tcp} -j SNAT --to-source :53",
        f"-A DOCKER_POSTROUTING -s {ADDRESS}/32 -p udp -m udp --sport {udp} -j SNAT --to-source :53",
        "COMMIT", ""])


def members(t: Topology, node: Node) -> list[Pod]:
    """The containers of `node` on user-defined networks."""
    return [p for p in t.pods_on(node.name) if p.network and p.plugged]


def compile_node(t: Topology, node: Node) -> list[Step]:
    """For the containers of `node` on user-defined networks: their resolv.conf, dockerd's rules in each, and the
    resolver that answers them all."""
    mine = members(t, node)
    if not mine:
        return []
    server = upstream(t)
    steps: list[Step] = [Note(f"node {node.name}: dockerd's embedded DNS server at {ADDRESS} in each container on "
                              "a user-defined network")]
    argv = [PYTHON, "-m", WORKLOAD] + (["--upstream", server] if server else [])
    for pod in mine:
        ns = naming.netns(t.name, pod.name)
        udp, tcp = port(t.name, pod, "udp"), port(t.name, pod, "tcp")
        steps += [NetnsFile(ns, "resolv.conf", resolv.docker_embedded(server)),
                  RuleSet(ns, t.cluster.iptables, "nat", nat_rules(udp, tcp))]
        argv += ["--container", f"{ns},{udp},{tcp},{pod.network}"]
    argv += [a for record in records(t, node) for a in ("--record", ",".join(record))]
    steps.append(Daemon(naming.netns(t.name, node.name), f"docker-dns-{node.name}", tuple(argv)))
    return steps


__all__ = ["ADDRESS", "compile_node", "nat_rules", "port"]
