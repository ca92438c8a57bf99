"""Probes: which ones a run sends, real traffic from a lab namespace to each target, and the JUnit report.

The probing thread steps into the source namespace and opens its socket there (a socket stays in the
namespace it was born in), so a probe costs no process — ICMP included, from a raw socket. The echo server
answers with the address it saw, which is how a probe tells MASQUERADE (the node's address) from a direct
path (the client's own).
"""

from __future__ import annotations

import http.client
import json
import random
import socket
import struct
import time
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from dataclasses import dataclass

from netlab import naming
from netlab.errors import EnvironmentProblem, TopologyError, UsageError
from netlab.kernel import netns
from netlab.features.dns import lookup
from netlab.topology import probes_for
from netlab.topology.model import Probe, Topology

TIMEOUT = 2.0
IP_MTU_DISCOVER, IP_PMTUDISC_DONT = 10, 0  # <linux/in.h>: never set DF, fragment locally (not in Python's socket)
IP_AND_ICMP_HEADERS = 28
# A tcp echo server greets at once; a silent one is most likely an http server waiting for a request. Asking
# is harmless if the greeting was only late: the tcp echo server reads and drops what a client sends.
GREETING = 0.05
ICMP_ERRORS = {(3, 0): "network unreachable", (3, 1): "host unreachable", (3, 3): "port unreachable",
               (3, 9): "network prohibited", (3, 10): "host prohibited", (3, 13): "administratively prohibited",
               (11, 0): "TTL exceeded"}


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
    seconds: float = 0.0
    answer: lookup.Answer | None = None  # a dns probe's
    looked_up: bool = False  # the target was a DNS name the source resolved (to target_ip)
    status: int | None = None  # an http probe's response status

    @property
    def ok(self) -> bool:
        if self.reachable != self.probe.expect.reachable:
            return False
        if self.answer is not None and not self.answer.meets(self.probe.expect):
            return False
        e = self.probe.expect
        if self.reachable and e.status is not None and self.status != e.status:
            return False
        if self.reachable and e.served_by and self.server not in e.served_by:
            return False
        return self.expected_source is None or not self.reachable or self.seen_source in self.accepted_sources

    @property
    def expected(self) -> str:
        e = self.probe.expect
        text = "reachable" if e.reachable else "unreachable"
        if e.answer is not None or e.rcode is not None:
            text = lookup.expected(e)
        if e.status is not None:
            text += f", HTTP {e.status}"
        if e.served_by:
            text += f", served by {' or '.join(e.served_by)}"
        return text + (f", source {self.expected_source}" if self.expected_source and e.reachable else "")

    @property
    def observed(self) -> str:
        if not self.reachable:
            return f"unreachable ({self.detail})"
        return f"reachable ({self.detail})" + (f", source {self.seen_source}" if self.seen_source else "")

    def as_dict(self) -> dict[str, object]:
        p = self.probe
        return {"name": p.name, "from": p.source, "to": p.target, "target_ip": self.target_ip, "port": p.port,
                "protocol": p.protocol, "size": p.size, "reachable": self.reachable, "server": self.server,
                "seen_source": self.seen_source, "expected_source": self.expected_source,
                "accepted_sources": sorted(self.accepted_sources), "ok": self.ok, "detail": self.detail,
                "seconds": round(self.seconds, 4), "looked_up": self.looked_up, "query": p.query,
                "host": p.host, "path": p.path, "status": self.status,
                "answer": self.answer.as_dict() if self.answer else None}


# -- which probes --------------------------------------------------------------------------------------

# Where a problem with an ad-hoc probe came from on the command line, by the key the loader named.
OPTION_OF = {"from": "--from", "to": "--to", "port": "--to", "protocol": "--protocol", "expect": "--expect",
             "reachable": "--expect", "sourceSeen": "--source-seen", "name": "--name", "query": "--query"}


def ad_hoc(t: Topology, *, source: str, target: str, protocol: str | None = None, query: str | None = None,
           reachable: bool | None = None, source_seen: str | None = None, name: str | None = None) -> Probe:
    """One probe from the command line for a lab's model. It is checked like a probe in a file; problems become
    a UsageError naming the option."""
    spec: dict[str, object] = {"from": source, "to": target}
    optional = {"protocol": protocol, "name": name, "query": query}
    spec.update({k: v for k, v in optional.items() if v is not None})
    expect = {k: v for k, v in (("reachable", reachable), ("sourceSeen", source_seen)) if v is not None}
    if expect:
        spec["expect"] = expect
    try:
        return probes_for(t, [spec])[0]
    except TopologyError as e:
        raise UsageError("; ".join(f"{OPTION_OF.get(p.path.rpartition('.')[2], '--to')}: {p.message}"
                                   for p in e.problems), hint=e.problems[0].hint) from None


def only(t: Topology, names: Sequence[str]) -> tuple[Probe, ...]:
    """The declared probes named (in the file's order); an unknown name is a UsageError listing the known."""
    known = [p.name for p in t.probes]
    unknown = [n for n in names if n not in known]
    if unknown:
        raise UsageError(f"lab '{t.name}' declares no probe named " + ", ".join(f"'{n}'" for n in unknown),
                         hint="declared: " + (", ".join(f"'{n}'" for n in known) or "none"))
    return tuple(p for p in t.probes if p.name in names)


# -- sending -------------------------------------------------------------------------------------------

def address_of(t: Topology, name: str) -> str:
    """A name the lab knows, as an address; anything else is taken to be an address already."""
    return t.address_of(name) or name


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
        return f"{name}'s address", frozenset(str(a) for a in t.node(name).addresses)
    address = address_of(t, probe.source if seen == "self" else seen)
    return address, frozenset({address})


def run_probe(t: Topology, probe: Probe) -> ProbeResult:
    ns = naming.netns(t.name, t.home_of(probe.source))  # a container in host mode sends from its node
    if not netns.exists(ns):
        raise EnvironmentProblem(f"lab '{t.name}' has no namespace for '{probe.source}' ({ns})",
                                 hint=f"netlab status {t.name}")
    start = time.monotonic()
    if probe.protocol == "dns":
        answer = lookup.query(ns, probe.target, probe.query or "A", timeout=TIMEOUT)
        return ProbeResult(probe, answer.server or "", answer.responded, None, None, None, frozenset(),
                           answer.summary(), time.monotonic() - start, answer)
    target = t.address_of(probe.target)
    looked_up = False
    if target is None and not naming.is_ipv4(probe.target):  # a DNS name: the source resolves it, as its programs do
        target = lookup.getent(ns, probe.target)
        if target is None:
            return ProbeResult(probe, "", False, None, None, *expected_source(t, probe),
                               f"{probe.target} does not resolve", time.monotonic() - start, looked_up=True)
        looked_up = True
    target = target or probe.target
    echo: dict[str, str] = {}
    status = None
    try:
        if probe.protocol == "icmp":
            reachable, detail = ping(ns, target, size=probe.size)
        else:
            echo, detail, status = exchange(ns, probe.protocol, target, probe.port or 0, host_header=probe.host,
                                            path=probe.path)
            reachable = True
    except OSError as e:
        reachable, detail = False, failure(e)
    seconds = time.monotonic() - start
    return ProbeResult(probe, target, reachable, echo.get("server"), echo.get("client"),
                       *expected_source(t, probe), detail, seconds, looked_up=looked_up, status=status)


def failure(e: OSError) -> str:
    if isinstance(e, TimeoutError):
        return f"no answer in {TIMEOUT:g} s"
    return e.strerror or type(e).__name__


def exchange(ns: str, protocol: str, host: str, port: int, *, host_header: str | None = None,
             path: str = "/") -> tuple[dict[str, str], str, int | None]:
    """One tcp, udp or http exchange with the echo server: its answer, what happened, and an HTTP response's
    status. Raises OSError when the target cannot be reached; for tcp and http, a completed handshake already
    counts as reachable. An HTTP request carries `host_header` (default: the target) and asks for `path`."""
    kind = socket.SOCK_DGRAM if protocol == "udp" else socket.SOCK_STREAM
    with netns.inside(ns):
        sock = socket.socket(socket.AF_INET, kind)
    deadline = time.monotonic() + TIMEOUT
    with sock:
        sock.settimeout(TIMEOUT)
        # A connected UDP socket hears ICMP port unreachable (ECONNREFUSED) instead of waiting out the timeout.
        sock.connect((host, port))
        if protocol == "udp":
            sock.send(b"netlab probe\n")
            return parse_answer(sock.recv(65535)), "echo reply", None
        try:
            data = b""
            if protocol == "tcp":
                sock.settimeout(GREETING)
                try:
                    data = sock.recv(65535)
                except TimeoutError:
                    protocol = "http"  # silence: ask the way an http echo server wants to be asked
            if protocol == "http":
                return http_get(sock, host_header or host, path, deadline)
            if data:
                data = read_to_end(sock, data, deadline)
        except OSError as e:
            return {}, f"connected, then {failure(e)}", None
    answer = parse_answer(data)
    return answer, answered(answer), None


def http_get(sock: socket.socket, host: str, path: str, deadline: float) -> tuple[dict[str, str], str, int]:
    """GET `path` with `host` as the Host header, over the connected socket (http.client speaks HTTP)."""
    conn = http.client.HTTPConnection(host, timeout=max(deadline - time.monotonic(), 0.1))
    conn.sock = sock  # connected already, in the source's namespace
    conn.request("GET", path, headers={"Host": host, "Connection": "close"})
    response = conn.getresponse()
    answer = parse_answer(response.read())
    what = answered(answer) if response.status == 200 else f"HTTP {response.status} {response.reason}"
    if response.status != 200 and "server" in answer:
        what += f" from {answer['server']}"
    return answer, what, response.status


def answered(answer: dict[str, str]) -> str:
    return f"answered by {answer['server']}" if "server" in answer else "connected, not an echo server"


def read_to_end(sock: socket.socket, data: bytes, deadline: float) -> bytes:
    """The echo server ends its reply with FIN; a server that keeps talking is cut off at the deadline."""
    while (left := deadline - time.monotonic()) > 0:
        sock.settimeout(left)
        try:
            chunk = sock.recv(65535)
        except TimeoutError:
            break
        if not chunk:
            break
        data += chunk
    return data


def parse_answer(data: bytes) -> dict[str, str]:
    """The echo server's JSON line, from a bare reply or an HTTP response's body; {} for anything else."""
    if data.startswith(b"HTTP/"):
        data = data.partition(b"\r\n\r\n")[2]
    try:
        answer = json.loads(data.decode(errors="replace").splitlines()[0])
    except (ValueError, IndexError):
        return {}  # something answered, but not netlab's echo server
    return {str(k): str(v) for k, v in answer.items()} if isinstance(answer, dict) else {}


def ping(ns: str, host: str, *, ident: int | None = None, timeout: float = TIMEOUT,
         size: int | None = None) -> tuple[bool, str]:
    """One ICMP echo request from a raw socket opened in `ns` (no `ping` process). An echo reply, or an ICMP
    error quoting the request (host unreachable, prohibited…), ends the wait early. The tracer passes its
    own echo id, by which it recognises the request and its answer in every namespace.

    `size` makes the IP packet that big, sent without DF: the sender fragments it to fit its own MTU, as
    `ping -s N -M dont` does, so a packet is lost only where a link on the way carries less than a hop
    before it promised (an MTU black hole)."""
    ident = random.getrandbits(16) if ident is None else ident
    seq = random.getrandbits(16)
    with netns.inside(ns):
        sock = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_ICMP)
    with sock:
        payload = b"netlab probe"
        if size is not None:
            sock.setsockopt(socket.IPPROTO_IP, IP_MTU_DISCOVER, IP_PMTUDISC_DONT)
            payload = payload.ljust(max(size - IP_AND_ICMP_HEADERS, 0), b".")
        sock.sendto(icmp_echo(ident, seq, payload), (host, 0))
        deadline = time.monotonic() + timeout
        while (left := deadline - time.monotonic()) > 0:
            sock.settimeout(left)
            try:
                packet, (sender, _) = sock.recvfrom(65535)
            except TimeoutError:
                break
            if (verdict := read_icmp(packet, str(sender), ident, seq)) is not None:
                return verdict
    return False, f"no echo reply in {timeout:g} s"


def icmp_echo(ident: int, seq: int, payload: bytes = b"netlab probe") -> bytes:
    header = struct.pack("!BBHHH", 8, 0, 0, ident, seq)
    return struct.pack("!BBHHH", 8, 0, checksum(header + payload), ident, seq) + payload


def checksum(data: bytes) -> int:
    data += b"\0" * (len(data) % 2)
    total: int = sum(struct.unpack(f"!{len(data) // 2}H", data))
    while total >> 16:
        total = (total & 0xFFFF) + (total >> 16)
    return ~total & 0xFFFF


def read_icmp(packet: bytes, sender: str, ident: int, seq: int) -> tuple[bool, str] | None:
    """A raw socket sees every ICMP packet of the namespace: ours is the echo reply or the error quoting our
    request (same identifier and sequence); anything else is None."""
    ihl = (packet[0] & 0x0F) * 4
    icmp = packet[ihl:]
    if len(icmp) < 8:
        return None
    kind, code, ours = icmp[0], icmp[1], struct.pack("!HH", ident, seq)
    if kind == 0 and icmp[4:8] == ours:
        return True, "echo reply"
    if kind in (3, 11) and len(icmp) >= 8 + 20:
        inner = icmp[8:]
        quoted = inner[(inner[0] & 0x0F) * 4:]
        if inner[9] == socket.IPPROTO_ICMP and len(quoted) >= 8 and quoted[0] == 8 and quoted[4:8] == ours:
            return False, f"{ICMP_ERRORS.get((kind, code), f'ICMP type {kind} code {code}')} from {sender}"
    return None


def run_probes(t: Topology, probes: Sequence[Probe] | None = None) -> list[ProbeResult]:
    return [run_probe(t, p) for p in (t.probes if probes is None else probes)]


# -- reporting -----------------------------------------------------------------------------------------

def junit_xml(lab: str, results: Sequence[ProbeResult]) -> bytes:
    """One <testsuite> for the run, one <testcase> per probe; a failure says what was expected and observed."""
    failures = sum(1 for r in results if not r.ok)
    suite = ET.Element("testsuite", name=f"netlab probe {lab}", tests=str(len(results)), failures=str(failures),
                       errors="0", skipped="0", time=f"{sum(r.seconds for r in results):.3f}")
    for r in results:
        case = ET.SubElement(suite, "testcase", classname=f"netlab.{lab}", name=r.probe.name, time=f"{r.seconds:.3f}")
        port = f":{r.probe.port}" if r.probe.port else ""
        path = f"{r.probe.source} -> {r.probe.target}{port} ({r.probe.protocol}, {r.target_ip})"
        if not r.ok:
            failure_el = ET.SubElement(case, "failure", message=f"expected {r.expected}, observed {r.observed}",
                                       type="ExpectationFailed")
            failure_el.text = f"{path}\nexpected: {r.expected}\nobserved: {r.observed}\n"
        ET.SubElement(case, "system-out").text = f"{path}: {r.observed}\n"
    ET.indent(suite)
    document: bytes = ET.tostring(suite, encoding="utf-8", xml_declaration=True)
    return document + b"\n"
