"""The trace engine: send one real probe through a running lab and watch it from every namespace at once.

Four planes are read (reference/packet-tracing.md): AF_PACKET capture in every lab namespace (where
the packet was, and what it carried there), nftables trace events in every node (which rule did what),
conntrack (the NAT bindings), and route lookups (why it went that way). A `Tracer` keeps its sockets
open, so a second trace is much cheaper than the first. Whatever happens — an error, Ctrl-C — the
trace tables come out of the nodes again, and nothing is ever opened in the root namespace.
"""

from __future__ import annotations

import errno
import random
import socket
import time

from netlab import naming, state
from netlab.errors import UsageError
from netlab.kernel import netns as netns_mod
from netlab.probe import ping
from netlab.trace import conntrack, nftrace
from netlab.trace.capture import Capture
from netlab.trace.correlate import Observation, Outcome, build_trace
from netlab.trace.kernel_view import KernelView
from netlab.trace.model import ConntrackEntry, Target, Trace, parse_target
from netlab.trace.nftrace import RuleHit

KEY_BLOCKS = range(40000, 60000, 64)  # probe source ports: clear of NodePorts (30000-32767)
KEY_BLOCK_SIZE = 64  # a tracer owns one block of ports (or echo ids) and uses each once
SETTLE = 0.01  # seconds of quiet on every socket that end the capture


class Tracer:
    """Traces probes through one running lab (needs root). Use as a context manager."""

    def __init__(self, lab: str) -> None:
        lab_state = state.LabState(lab)
        plan = lab_state.plan()
        if plan is None or not lab_state.is_ready():
            raise UsageError(f"lab '{lab}' is not up", hint="netlab up FILE, then trace it")
        self.lab = lab
        self.topology = lab_state.built_topology()
        self.plan = plan
        index = plan.index()
        self.namespaces = list(index.spaces)
        self.objects = index.objects
        self.masters = index.bridge_ports()
        # Only namespaces with rules run netfilter chains worth tracing: the nodes (and any router with rules).
        self.rule_namespaces = [n for n, s in index.spaces.items() if s.role == "node" or s.has_rules]
        self.capture: Capture | None = None
        self.trace_sockets: list[tuple[str, socket.socket]] = []
        self.conntrack_sockets: list[tuple[str, socket.socket]] = []
        self.kernel = KernelView(self.objects)
        first = random.choice(KEY_BLOCKS)
        self.keys_all = range(first, first + KEY_BLOCK_SIZE)
        self.keys = random.sample(self.keys_all, KEY_BLOCK_SIZE)
        self.tables: nftrace.TraceTables | None = None

    def __enter__(self) -> Tracer:
        try:
            self.capture = Capture(self.namespaces)
            for name in self.rule_namespaces:
                with netns_mod.inside(name):
                    self.trace_sockets.append((name, nftrace.open_socket()))
                    self.conntrack_sockets.append((name, conntrack.open_listener()))
            # The trace table marks this tracer's whole block of keys, so it is loaded once, not per probe.
            self.tables = nftrace.TraceTables(self.rule_namespaces, min(self.keys_all), max(self.keys_all))
        except BaseException:
            self.close()
            raise
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        if self.tables is not None:
            self.tables.close()
            self.tables = None
        if self.capture is not None:
            self.capture.close()
            self.capture = None
        for _, sock in self.trace_sockets + self.conntrack_sockets:
            sock.close()
        self.trace_sockets.clear()
        self.conntrack_sockets.clear()
        self.kernel.close()

    def trace(self, source: str, target_text: str, proto: str, *, timeout: float = 1.0,
              resolved: str | None = None) -> Trace:
        """One probe from SOURCE to TARGET_TEXT (NAME[:PORT]); `resolved`: the address a DNS name was looked up
        as (session.py does the lookup)."""
        home = self.topology.home_of(source)  # a container in host mode, or joined to another, sends from there
        if home not in self.objects.values() or source in (naming.UNDERLAY, naming.INTERNET):
            raise UsageError(f"'{source}' is not a pod, node or internet host of lab {self.lab}")
        target = parse_target(self.topology, target_text, proto, resolved=resolved)
        assert self.capture is not None, "use Tracer as a context manager"
        if not self.keys:
            raise UsageError(f"this tracer has used all its {KEY_BLOCK_SIZE} probe keys; open a new one")
        key = self.keys.pop()
        self.capture.drain()  # whatever came before this probe is not part of it
        self._read_hits()
        self._read_conntrack()
        outcome = send_probe(naming.netns(self.lab, home), proto, target, key, timeout)
        captures = self.capture.drain(idle=SETTLE, deadline=time.monotonic() + 1.0)
        hits = self._read_hits()
        entries = [e for _, e in self._read_conntrack() if e.proto == proto and e.original_tuple()[2] == key]
        observation = Observation(self.lab, source, target_text, proto, key, captures, hits, outcome,
                                  self.objects, self.masters, latest(entries))
        return build_trace(observation, self.kernel.route, self.kernel.rule, self._proxy_arp)

    def _proxy_arp(self, netns: str, dev: str, gateway: str) -> str | None:
        """Who answered the ARP for a next hop that no one holds (Calico's 169.254.1.1): the plan says who may,
        the sender's neighbour table says what MAC it got."""
        said = self.plan.index().proxy_arp_answer(netns, dev, gateway)
        mac = self.kernel.neighbour(netns, dev, gateway) if said else None
        return f"{said}: {gateway} is at {mac}" if mac else None

    def _read_conntrack(self) -> list[tuple[int, ConntrackEntry]]:
        events = []
        for name, sock in self.conntrack_sockets:
            events.extend(conntrack.read_events(self.objects[name], sock))
        return events

    def _read_hits(self) -> list[RuleHit]:
        hits = []
        for name, sock in self.trace_sockets:
            while True:
                try:
                    data = sock.recv(1 << 16)
                except BlockingIOError:
                    break
                hits.extend(nftrace.decode(name, data))
        return hits


def latest(entries: list[ConntrackEntry]) -> list[ConntrackEntry]:
    """The last event of each entry (per namespace and original tuple) says its final state."""
    last: dict[tuple[str, str], ConntrackEntry] = {}
    for entry in entries:
        last[(entry.netns, entry.original)] = entry
    return list(last.values())


# -- the probe itself ------------------------------------------------------------------------------------

def send_probe(ns: str, proto: str, target: Target, key: int, timeout: float) -> Outcome:
    """One connection, datagram or echo request from source port (or echo id) `key`, opened in `ns`."""
    try:
        if proto == "icmp":
            answered, detail = ping(ns, target.address, ident=key, timeout=timeout)
            return Outcome(answered, None if answered else detail)
        kind = socket.SOCK_DGRAM if proto == "udp" else socket.SOCK_STREAM
        with netns_mod.inside(ns):
            sock = socket.socket(socket.AF_INET, kind)
        with sock:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            sock.bind(("0.0.0.0", key))
            sock.settimeout(timeout)
            sock.connect((target.address, target.port or 0))
            if proto == "udp":
                sock.send(b"netlab trace\n")
                sock.recv(65535)
            return Outcome(True)
    except TimeoutError:
        return Outcome(False, "timed out")
    except OSError as e:
        return Outcome(False, e.strerror or errno.errorcode.get(e.errno or 0, str(e)))
