"""The records of cluster DNS, as the Kubernetes DNS-Based Service Discovery specification defines them and
CoreDNS's kubernetes plugin answers them (kubeadm's Corefile: `ttl 30`, `pods insecure`); and the records of
the simulated internet's zone. Pure: the lab's model in, records out.

For the zone cluster.local (plugin/kubernetes: handler.go, kubernetes.go, reverse.go, backend_lookup.go):

  <svc>.<ns>.svc.cluster.local.            A     the ClusterIP, endpoints or not
                                           A     each ready endpoint, for a headless Service (none: NXDOMAIN)
                                           CNAME the externalName, for an ExternalName Service
                                           SRV   0 w port <target>, one per port (w = 100 / records)
  _<port>._<proto>.<svc>.<ns>.svc...       SRV   per named port: the Service (ClusterIP) or each endpoint
  <ep>.<svc>.<ns>.svc.cluster.local.       A     each endpoint: its hostname (spec.hostname, when its
                                                 spec.subdomain is the Service), else its address dashed
  <a-b-c-d>.<ns>.pod.cluster.local.        A     every pod
  <reversed ip>.in-addr.arpa.              PTR   a ClusterIP: its Service; an endpoint: <ep>.<svc>...
  cluster.local.                           SOA   ns.dns.cluster.local. hostmaster.cluster.local. …
                                           NS    kube-dns.kube-system.svc.cluster.local.
  ns.dns.cluster.local.                    A     the kube-dns ClusterIP
  dns-version.cluster.local.               TXT   "1.1.0" (TTL 28800)

Every record has the plugin's TTL (30), the SOA min(ttl, 300). CoreDNS's SOA serial is the time of the last
change it saw; here it is a digest of the other records, so it changes when they do and a plan stays the same
for the same lab.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from ipaddress import IPv4Address, IPv4Network

from netlab.topology.model import Endpoint, Pod, Service, Topology

TTL = 30  # kubeadm's Corefile: kubernetes … { ttl 30 }
VERSION_TTL = 28800  # dns-version's, fixed in the plugin
SCHEMA_VERSION = "1.1.0"  # the specification's schema version the plugin implements
SOA_TIMERS = "7200 1800 86400"  # refresh, retry, expire (backend_lookup.go SOA)
INTERNET_TTL = 300


@dataclass(frozen=True, order=True)
class Record:
    name: str  # absolute, lower case: "web.default.svc.cluster.local."
    type: str
    data: str  # as a zone file writes it
    ttl: int = TTL

    def __str__(self) -> str:
        return f"{self.name} {self.ttl} IN {self.type} {self.data}"


def reverse_name(ip: IPv4Address) -> str:
    return ip.reverse_pointer + "."


def dashed(ip: IPv4Address) -> str:
    """An endpoint without a hostname is named by its address, dots as dashes (endpointHostname)."""
    return str(ip).replace(".", "-")


def service_name(s: Service, domain: str) -> str:
    return f"{s.name}.{s.namespace}.svc.{domain}."


def endpoint_host(t: Topology, s: Service, e: Endpoint) -> str:
    """The endpoint's name under its Service: the pod's hostname when the pod's subdomain is this Service, in
    its namespace (the endpoints controller's ShouldSetHostname), else its address dashed."""
    pod = _pods(t).get(e.pod)
    if pod is not None and pod.hostname and pod.subdomain == s.name and pod.namespace == s.namespace:
        return pod.hostname
    return dashed(e.ip)


def cluster_records(t: Topology, dns_ip: IPv4Address) -> list[Record]:
    domain = t.cluster.domain
    records: list[Record] = [
        Record(f"{domain}.", "NS", f"kube-dns.kube-system.svc.{domain}."),
        Record(f"ns.dns.{domain}.", "A", str(dns_ip)),
        Record(f"dns-version.{domain}.", "TXT", f'"{SCHEMA_VERSION}"', VERSION_TTL),
    ]
    for s in t.services:
        records += service_records(t, s, domain)
    records += [Record(f"{dashed(p.ip.ip)}.{p.namespace}.pod.{domain}.", "A", str(p.ip.ip)) for p in t.pods]
    unique = sorted(set(records))
    return [soa(domain, unique), *unique]


def soa(zone: str, records: list[Record]) -> Record:
    digest = hashlib.sha256("\n".join(map(str, records)).encode()).digest()
    serial = int.from_bytes(digest[:4], "big") or 1
    return Record(f"{zone}.", "SOA", f"ns.dns.{zone}. hostmaster.{zone}. {serial} {SOA_TIMERS} {TTL}", min(TTL, 300))


def service_records(t: Topology, s: Service, domain: str) -> list[Record]:
    name = service_name(s, domain)
    if s.type == "ExternalName":
        return [Record(name, "CNAME", absolute(s.external_name or ""))]
    ready = {port: t.endpoints(s, port) for port in s.ports}
    addresses = sorted({e.ip for eps in ready.values() for e in eps}, key=str)
    hosts = {e.ip: endpoint_host(t, s, e) for eps in ready.values() for e in eps}
    records = [Record(f"{hosts[ip]}.{name}", "A", str(ip)) for ip in addresses]
    records += [Record(reverse_name(ip), "PTR", f"{hosts[ip]}.{name}") for ip in addresses]
    if s.cluster_ip is not None:
        records += [Record(name, "A", str(s.cluster_ip)), Record(reverse_name(s.cluster_ip), "PTR", name)]
        records += _srv(name, [(f"_{p.name}._{p.protocol}.{name}" if p.name else None, [(name, p.port)])
                               for p in s.ports])
    elif addresses:  # headless: the endpoints themselves; with none ready, the name does not exist
        records += [Record(name, "A", str(ip)) for ip in addresses]
        records += _srv(name, [(f"_{p.name}._{p.protocol}.{name}" if p.name else None,
                                [(f"{hosts[e.ip]}.{name}", e.port) for e in ready[p]]) for p in s.ports])
    return records


def _srv(name: str, ports: list[tuple[str | None, list[tuple[str, int]]]]) -> list[Record]:
    """SRV records: under each named port's _<port>._<proto> name, and all of them under the Service's own name.
    Priority 0; weight 100 divided by the number of records the query returns, at least 1 (backend_lookup.go
    SRV); one record per target and port."""
    records = []
    every = [target for _, targets in ports for target in targets]
    for owner, targets in [*((o, t) for o, t in ports if o), (name, every)]:
        unique = sorted(set(targets))
        weight = max(1, 100 // len(targets)) if targets else 0
        records += [Record(owner, "SRV", f"0 {weight} {port} {target}") for target, port in unique]
    return records


def absolute(name: str) -> str:
    return name.lower() if name.endswith(".") else f"{name.lower()}."


def _pods(t: Topology) -> dict[str, Pod]:
    return {p.name: p for p in t.pods}


# -- the simulated internet ------------------------------------------------------------------------------

def internet_records(t: Topology, domain: str, server: str) -> list[Record]:
    """The internet's zone: every internet host NAME is NAME.<domain>, the name server is ns1.<domain>; and the
    reverse names of their addresses."""
    records = [Record(f"{domain}.", "NS", f"{server}.{domain}.", INTERNET_TTL)]
    for h in t.internet.hosts:
        records += [Record(f"{h.name}.{domain}.", "A", str(h.ip.ip), INTERNET_TTL),
                    Record(reverse_name(h.ip.ip), "PTR", f"{h.name}.{domain}.", INTERNET_TTL)]
    unique = sorted(set(records))
    digest = hashlib.sha256("\n".join(map(str, unique)).encode()).digest()
    serial = int.from_bytes(digest[:4], "big") or 1
    return [Record(f"{domain}.", "SOA", f"{server}.{domain}. hostmaster.{domain}. {serial} {SOA_TIMERS} "
                   f"{INTERNET_TTL}", INTERNET_TTL), *unique]


def reverse_zones(network: IPv4Network) -> list[str]:
    """The in-addr.arpa zones that cover a network, one per whole octet: a /12 is sixteen /16 zones."""
    prefix = max(8, -(-network.prefixlen // 8) * 8)
    zones = []
    for sub in network.subnets(new_prefix=prefix) if prefix > network.prefixlen else [network]:
        octets = str(sub.network_address).split(".")[: prefix // 8]
        zones.append(".".join(reversed(octets)) + ".in-addr.arpa.")
    return zones
