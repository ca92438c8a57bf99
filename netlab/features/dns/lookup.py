"""Looking a name up from inside a lab namespace, as a program there would.

Two ways, for two questions:
  * `getent` — "what address does this program connect to?": glibc's own resolver run in the namespace
    (`ip netns exec` shows it /etc/netns/<ns>/resolv.conf as /etc/resolv.conf), so the search list, ndots and
    the order of name servers are the real ones. Probes to a DNS name use it.
  * `query` — "what did the name servers say?": each query the stub resolver sends, in the order glibc sends
    them (the search-list expansion below), with its response code and records, through dnspython (the wire
    format is the library's). dns probes and `netlab trace` use it.

glibc's expansion (resolv/res_query.c, __res_context_search): a name ending in a dot is asked as it is; a name
with at least `ndots` dots is asked as it is first, then with each search domain; any other name with each
search domain first, then as it is. The first answer that is not NXDOMAIN (or an empty NOERROR) ends it.
"""

from __future__ import annotations

import random
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import dns.exception
import dns.flags
import dns.message
import dns.name
import dns.query
import dns.rcode
import dns.rdatatype
import dns.reversename

from netlab import naming
from netlab.kernel import netns
from netlab.topology.model import Expectation, Topology

PORT = 53


@dataclass(frozen=True)
class ResolvConf:
    nameservers: tuple[str, ...]
    searches: tuple[str, ...]
    ndots: int = 1

    @classmethod
    def parse(cls, text: str) -> ResolvConf:
        servers, searches, ndots = [], [], 1
        for line in text.splitlines():
            words = line.split()
            if not words or words[0].startswith(("#", ";")):
                continue
            if words[0] == "nameserver" and len(words) > 1:
                servers.append(words[1])
            elif words[0] in ("search", "domain"):
                searches = words[1:]
            elif words[0] == "options":
                for option in words[1:]:
                    if option.startswith("ndots:") and option[6:].isdigit():
                        ndots = min(int(option[6:]), 15)  # glibc caps it at 15
        return cls(tuple(servers), tuple(searches), ndots)


def resolv_conf(ns: str) -> ResolvConf:
    """The resolv.conf a program in namespace NS reads: the lab's file for it, else the machine's."""
    own = Path("/etc/netns") / ns / "resolv.conf"
    path = own if own.exists() else Path("/etc/resolv.conf")
    return ResolvConf.parse(path.read_text() if path.exists() else "")


def candidates(name: str, conf: ResolvConf) -> list[str]:
    """The names glibc asks for NAME, in order."""
    if name.endswith("."):
        return [name]
    expanded = [f"{name}.{domain}." for domain in conf.searches]
    return [f"{name}.", *expanded] if name.count(".") >= conf.ndots else [*expanded, f"{name}."]


@dataclass(frozen=True)
class Query:
    """One question the stub resolver sent and what came back."""

    name: str
    type: str
    server: str
    rcode: str  # NOERROR, NXDOMAIN… or "timeout"
    records: tuple[str, ...]  # the answer section: "NAME TTL IN TYPE DATA"
    truncated: bool = False  # the UDP answer was cut (TC) and asked again over TCP
    source_port: int = 0

    def as_dict(self) -> dict[str, object]:
        return {"name": self.name, "type": self.type, "server": self.server, "rcode": self.rcode,
                "records": list(self.records), "truncated": self.truncated, "source_port": self.source_port}


@dataclass(frozen=True)
class Answer:
    """A lookup: every query, and the answer the program gets (the last query's)."""

    name: str
    type: str
    queries: tuple[Query, ...] = field(default=())

    @property
    def responded(self) -> bool:
        return any(q.rcode != "timeout" for q in self.queries)

    @property
    def final(self) -> Query | None:
        return self.queries[-1] if self.queries else None

    @property
    def server(self) -> str | None:
        return self.final.server if self.final else None

    @property
    def rcode(self) -> str:
        return self.final.rcode if self.final else "no name server"

    @property
    def data(self) -> tuple[str, ...]:
        """The data of the answer's records of the type asked for (after any CNAME): what a program uses."""
        final = self.final
        if final is None:
            return ()
        return tuple(r.split(None, 4)[4] for r in final.records if r.split(None, 4)[3] == self.type)

    def meets(self, e: Expectation) -> bool:
        rcode = e.rcode or ("NOERROR" if e.answer is not None else None)
        if rcode is not None and self.rcode != rcode:
            return False
        return e.answer is None or sorted(map(normal, self.data)) == sorted(map(normal, e.answer))

    def summary(self) -> str:
        if not self.queries:
            return "no name server in resolv.conf"
        asked = len(self.queries)
        text = f"{self.rcode} from {self.server}"
        if self.data:
            text += ": " + ", ".join(self.data)
        if asked > 1:
            text += f" ({asked} queries: {', '.join(q.name for q in self.queries)})"
        if any(q.truncated for q in self.queries):
            text += "; truncated over UDP, asked again over TCP"
        return text

    def as_dict(self) -> dict[str, object]:
        return {"name": self.name, "type": self.type, "rcode": self.rcode, "data": list(self.data),
                "queries": [q.as_dict() for q in self.queries]}


def normal(data: str) -> str:
    return data.lower().rstrip(".")


def expected(e: Expectation) -> str:
    parts = [e.rcode or "NOERROR"]
    if e.answer is not None:
        parts.append(", ".join(e.answer) if e.answer else "no records")
    return " ".join(parts)


def query(ns: str, name: str, qtype: str, *, timeout: float = 2.0) -> Answer:
    """Asks NAME's records of QTYPE from namespace NS the way its stub resolver would: the search list, each
    name server in turn on a timeout, TCP when a UDP answer is truncated."""
    conf = resolv_conf(ns)
    if qtype == "PTR" and naming.is_ipv4(name):
        names = [dns.reversename.from_address(name).to_text()]
    else:
        names = candidates(name, conf)
    queries: list[Query] = []
    deadline = time.monotonic() + timeout * max(1, len(names))
    for qname in names:
        q = _ask(ns, qname, qtype, conf.nameservers, deadline)
        if q is None:
            break
        queries.append(q)
        if q.rcode not in ("NXDOMAIN", "timeout") and not (q.rcode == "NOERROR" and not q.records
                                                             and qname != names[-1]):
            break
    return Answer(name, qtype, tuple(queries))


def _ask(ns: str, qname: str, qtype: str, servers: tuple[str, ...], deadline: float) -> Query | None:
    if not servers:
        return None
    last = None
    for server in servers:
        message = dns.message.make_query(qname, dns.rdatatype.from_text(qtype))
        message.flags |= dns.flags.RD
        wait = max(0.1, min(2.0, deadline - time.monotonic()))
        # A port of its own, so that a trace can find the query's conntrack entry (and its DNAT).
        port = random.randint(20000, 60999)
        try:
            with netns.inside(ns):
                # dnspython opens its sockets in the thread's namespace; a UDP answer with TC is asked over TCP.
                response, over_tcp = dns.query.udp_with_fallback(message, server, timeout=wait, port=PORT,
                                                                 source_port=port)
        except (dns.exception.Timeout, OSError) as e:
            rcode = "timeout" if isinstance(e, dns.exception.Timeout) else (getattr(e, "strerror", None) or str(e))
            last = Query(qname, qtype, server, rcode, (), source_port=port)
            continue
        records = tuple(line for rrset in response.answer for line in rrset.to_text().splitlines())
        return Query(qname, qtype, server, dns.rcode.to_text(response.rcode()), records, over_tcp, port)
    return last


def getent(ns: str, name: str) -> str | None:
    """NAME's first IPv4 address as glibc resolves it in namespace NS (getent ahostsv4), or None."""
    done = subprocess.run(["ip", "netns", "exec", ns, "getent", "ahostsv4", name], capture_output=True, text=True,
                          timeout=30, check=False)
    for line in done.stdout.splitlines():
        return line.split()[0]
    return None


# -- for `netlab trace`: the lookup before the connection ------------------------------------------------

def is_lookup(t: Topology, name: str) -> bool:
    """Whether a trace or probe target is a name to look up: not one the lab's model knows, not an address,
    a DNS name with a dot, and a lab with DNS."""
    return (t.cluster.dns != "none" and t.address_of(name) is None and not naming.is_ipv4(name) and "." in name
            and naming.is_query_name(name))


@dataclass(frozen=True)
class Step:
    """One query of a traced lookup, as `netlab trace` shows it."""

    name: str
    type: str
    server: str
    rcode: str
    answers: tuple[str, ...]
    answered_by: str | None  # where kube-proxy's DNAT sent it: "coredns-… 10.244.1.6" (None: not DNATed)


def traced(t: Topology, source: str, name: str) -> tuple[tuple[Step, ...], str | None]:
    """Looks NAME up from SOURCE (its A record, as a connecting program does) and finds each query's conntrack
    entry in the lab's nodes: the DNAT of kube-dns's ClusterIP to one coredns pod. The steps and the address
    (None: it does not resolve)."""
    found = query(naming.netns(t.name, t.home_of(source)), name, "A")
    steps = tuple(Step(q.name, q.type, q.server, q.rcode, tuple(r.split(None, 4)[4] for r in q.records),
                       _dnat_of(t, q)) for q in found.queries)
    return steps, (found.data[0] if found.data and found.rcode == "NOERROR" else None)


def _dnat_of(t: Topology, q: Query) -> str | None:
    by_ip = {str(p.ip.ip): p.name for p in t.plugged_pods}
    for node in t.nodes:
        out = netns.run(naming.netns(t.name, node.name), ["conntrack", "-L", "-p", "udp", "--orig-port-src",
                                                          str(q.source_port)]).stdout
        for line in out.splitlines():
            # src= twice: the original tuple's, then the reply's, which is who really answers
            sources = [f.split("=", 1)[1] for f in line.split() if f.startswith("src=")]
            if len(sources) == 2 and sources[1] != q.server:
                return f"{by_ip.get(sources[1], sources[1])} {sources[1]}"
    return None


def in_model(t: Topology, source: str, name: str, qtype: str = "A") -> tuple[tuple[Step, ...], str | None]:
    """The same lookup, answered from the lab's model (records.py) instead of its servers: for
    `trace --predict` and for checking dns probes without root. The steps, and the first address (for A)."""
    from netlab.features.dns import all_records, resolv_of
    source = t.home_of(source)  # a pod on its node's network asks as its node does
    pod = next((p for p in t.pods if p.name == source), None)
    local = None  # Docker's embedded server for a container on a user-defined network: the server's own answers
    if pod is not None and pod.network and pod.plugged:
        from netlab.features.docker import embedded_dns
        from netlab.features.dns.resolv import docker_embedded
        from netlab.workloads import docker_dns
        local = docker_dns.networks(embedded_dns.records(t, t.node(pod.node))).get(pod.network)
        conf = ResolvConf.parse(docker_embedded(embedded_dns.upstream(t)))
    else:
        conf = ResolvConf.parse(resolv_of(t, source).text())
    known: dict[str, list[Any]] = {}
    for r in all_records(t):
        known.setdefault(r.name, []).append(r)
    names = [dns.reversename.from_address(name).to_text()] if qtype == "PTR" and naming.is_ipv4(name) \
        else candidates(name, conf)
    server = conf.nameservers[0] if conf.nameservers else ""
    steps = []
    for qname in names:
        reply = docker_dns.answer(dns.message.make_query(qname, qtype), local) if local is not None else None
        if reply is not None:  # the embedded server knew the name; anything else it forwards, as below
            found = tuple(rr.to_text() for rrset in reply.answer for rr in rrset)
            steps.append(Step(qname, qtype, server, "NOERROR", found, None))
            if found:
                break
            continue
        rrs = known.get(qname.lower(), [])
        answers = tuple(r.data for r in rrs if r.type in (qtype, "CNAME"))
        cname = next((r.data for r in rrs if r.type == "CNAME"), None)
        if cname and qtype != "CNAME":
            answers += tuple(r.data for r in known.get(cname, []) if r.type == qtype)
        steps.append(Step(qname, qtype, server, "NOERROR" if rrs else "NXDOMAIN", answers, None))
        if answers:
            break
    addresses = [a for a in steps[-1].answers if naming.is_ipv4(a)] if steps else []
    return tuple(steps), (addresses[0] if addresses else None)
