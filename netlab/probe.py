"""Probes: real traffic from one lab namespace to a target, checked against what the topology expects.

The probing thread steps into the source namespace and opens its socket there (a socket stays in the
namespace it was born in), so a probe costs no process. The echo server answers with the address it saw,
which is how a probe tells MASQUERADE (the node's address) from a direct path (the client's own).
"""

from __future__ import annotations

import json
import socket
from dataclasses import dataclass

from netlab import naming
from netlab.kernel import netns
from netlab.topology.model import Probe, Topology

TIMEOUT = 2.0


@dataclass(frozen=True)
class ProbeResult:
    probe: Probe
    target_ip: str
    reachable: bool
    server: str | None  # who answered (the echo server's name)
    seen_source: str | None  # the client address the far end saw
    expected_source: str | None  # what `expect.sourceSeen` asks for, as an address (or "node1's address")
    accepted_sources: frozenset[str]  # the addresses that satisfy it
    detail: str

    @property
    def ok(self) -> bool:
        if self.reachable != self.probe.expect.reachable:
            return False
        return self.expected_source is None or not self.reachable or self.seen_source in self.accepted_sources


def address_of(t: Topology, name: str) -> str:
    """A pod, host, node or service name (or an address) to the address a client would use."""
    for pod in t.pods:
        if pod.name == name:
            return str(pod.ip.ip)
    for host in t.internet.hosts:
        if host.name == name:
            return str(host.ip.ip)
    for node in t.nodes:
        if node.name == name:
            return str(node.ip)
    for svc in t.services:
        if svc.name == name and svc.cluster_ip is not None:
            return str(svc.cluster_ip)
    return name


def expected_source(t: Topology, probe: Probe) -> tuple[str | None, frozenset[str]]:
    """What the far end must see as the client: the source itself, "node" (the node that masqueraded:
    the source pod's node, or the node a NodePort probe is sent to) or a named host or address."""
    seen = probe.expect.source_seen
    if seen is None or probe.protocol == "icmp":
        return None, frozenset()
    if seen == "node":  # the loader made sure the source is a pod or the target a node
        pod = next((p for p in t.pods if p.name == probe.source), None)
        name = pod.node if pod else probe.target
        # MASQUERADE picks the address of the outgoing interface: eth0 towards the internet, cni0
        # towards a local pod, flannel.1 towards a remote one. Any of the node's addresses will do.
        return f"{name}'s address", frozenset(str(a) for a in t.node_addresses(t.node(name)))
    address = address_of(t, probe.source if seen == "self" else seen)
    return address, frozenset({address})


def run_probe(t: Topology, probe: Probe) -> ProbeResult:
    target = address_of(t, probe.target)
    ns = naming.netns(t.name, probe.source)
    try:
        if probe.protocol == "icmp":
            reachable, answer = ping(ns, target), None
            detail = "echo reply" if reachable else "no echo reply"
        else:
            answer = exchange(ns, probe.protocol, target, probe.port or 0)
            reachable, detail = True, f"answered by {answer.get('server', '?')}"
    except OSError as e:
        reachable, answer, detail = False, None, e.strerror or type(e).__name__
    return ProbeResult(probe, target, reachable, answer.get("server") if answer else None,
                       answer.get("client") if answer else None, *expected_source(t, probe), detail)


def exchange(ns: str, protocol: str, host: str, port: int) -> dict[str, str]:
    kind = socket.SOCK_DGRAM if protocol == "udp" else socket.SOCK_STREAM
    with netns.inside(ns):
        sock = socket.socket(socket.AF_INET, kind)
    with sock:
        sock.settimeout(TIMEOUT)
        if protocol == "udp":
            sock.sendto(b"netlab probe\n", (host, port))
            data = sock.recv(65535)
        else:
            sock.connect((host, port))
            if protocol == "http":
                sock.sendall(f"GET / HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n".encode())
            data = b""
            while chunk := sock.recv(65535):
                data += chunk
            if protocol == "http":
                data = data.partition(b"\r\n\r\n")[2]
    try:
        answer = json.loads(data.decode(errors="replace").splitlines()[0])
    except (ValueError, IndexError):
        return {}  # something answered, but not netlab's echo server
    return answer if isinstance(answer, dict) else {}


def ping(ns: str, host: str) -> bool:
    return netns.run(ns, ["ping", "-n", "-c1", f"-W{int(TIMEOUT)}", host]).returncode == 0


def run_probes(t: Topology) -> list[ProbeResult]:
    return [run_probe(t, p) for p in t.probes]
