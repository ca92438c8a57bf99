"""DNS: the cluster's (kube-dns) and the simulated internet's, with every namespace's resolv.conf.

What kubeadm sets up, and netlab builds the same (cluster.dns: kube-dns, the default in a Kubernetes lab):
  * a Service kube-system/kube-dns at the tenth address of the Service network (10.96.0.10), ports dns
    53/UDP, dns-tcp 53/TCP and metrics 9153/TCP, selecting k8s-app=kube-dns; kube-proxy programs it like any
    other Service, so a lookup is DNATed to one of
  * a Deployment kube-system/coredns of two pods, with dnsPolicy Default, which answer for cluster.local from
    the API and forward the rest to the node's name server.
  * every pod's /etc/resolv.conf written by kubelet from its dnsPolicy (resolv.py).
CoreDNS cannot be installed here. In its pods runs unbound, Debian's DNS server, holding the records CoreDNS's
kubernetes plugin would answer with (records.py), changed at run time through its control channel when the
lab changes (unbound.py). docs/dns.md says where the two differ.

The internet has a name server too (cluster.dns: upstream, the default elsewhere, or kube-dns): `ns1`, at the
internet's .53, authoritative for example.com, where every internet host NAME is NAME.example.com. Nodes,
internet hosts and Docker containers resolve through it; so does CoreDNS for names outside the cluster.
"""

from __future__ import annotations

import dataclasses
from ipaddress import IPv4Address, IPv4Network

from netlab import naming
from netlab.features import deployments
from netlab.features.dns import records, resolv, unbound
from netlab.plan import STATE, Daemon, NetnsFile, Note, Records, Step
from netlab.topology.loader import Drafts, HostDraft, PodDraft, PortDraft, ServiceDraft
from netlab.topology.model import InternetHost, Protocol, Serve, ServeKind, Topology
from netlab.topology.reader import Reader

KUBE_DNS, COREDNS, KUBE_SYSTEM = "kube-dns", "coredns", "kube-system"
KUBE_DNS_INDEX = 10  # kubeadm's GetDNSIP: the tenth address of the Service CIDR
COREDNS_REPLICAS = 2
UPSTREAM, UPSTREAM_INDEX, INTERNET_DOMAIN = "ns1", 53, "example.com"
SERVER = "cluster-dns"  # Pod.workload of a coredns pod
DOMAIN = "cluster.local"  # kubelet's --cluster-domain, kubeadm's default
DNS_SERVE = (Serve(ServeKind.UDP, 53), Serve(ServeKind.TCP, 53))


def kube_dns_ip(service_cidr: IPv4Network) -> IPv4Address:
    return service_cidr.network_address + KUBE_DNS_INDEX


def upstream_ip(internet: IPv4Network) -> IPv4Address:
    return internet.network_address + UPSTREAM_INDEX


# -- the model: what a cluster's DNS adds to the lab -----------------------------------------------------

def expand(r: Reader, d: Drafts) -> Drafts:
    """The internet's name server, and for kube-dns its Service and its Deployment (after the file's own pods,
    which keep the addresses they had without it)."""
    dns = d.cluster.dns
    if dns == "none":
        return d
    collisions(r, d)
    where = ("cluster", "dns")
    hosts = (*d.hosts, HostDraft(where, UPSTREAM, upstream_ip(d.internet_subnet) if d.internet_subnet else None,
                                 (), role="dns"))
    if dns != KUBE_DNS or d.cluster.service_cidr is None:
        return dataclasses.replace(d, hosts=hosts)
    spec = deployments.Spec(COREDNS_REPLICAS, None, "25%", "1")  # kubeadm: rollingUpdate maxUnavailable 1
    coredns = PodDraft(where, COREDNS, None, None, KUBE_SYSTEM, (("k8s-app", KUBE_DNS),), DNS_SERVE, (),
                       deployment=spec, dns_policy="Default", workload=SERVER)
    service = ServiceDraft(where, KUBE_DNS, KUBE_SYSTEM, "ClusterIP", kube_dns_ip(d.cluster.service_cidr), False,
                           (("k8s-app", KUBE_DNS),), (PortDraft("dns", 53, 53, Protocol.UDP, None),
                                                     PortDraft("dns-tcp", 53, 53, Protocol.TCP, None),
                                                     PortDraft("metrics", 9153, 9153, Protocol.TCP, None)),
                           "None", 10800, "Cluster")
    return dataclasses.replace(d, hosts=hosts, pods=(*d.pods, coredns), services=(service, *d.services))


def collisions(r: Reader, d: Drafts) -> None:
    """Names the zone cannot hold twice: a pod's <hostname>.<subdomain> in its namespace, and the Service
    netlab adds itself (kube-system/kube-dns) or the internet's name server."""
    seen: dict[tuple[str, str, str], str] = {}
    for pod in d.pods:
        if pod.hostname and pod.subdomain:
            key = (pod.hostname, pod.subdomain, pod.namespace)
            if key in seen:
                r.problem(pod.path + ("hostname",), f"pods '{seen[key]}' and '{pod.name}' would both be "
                          f"{pod.hostname}.{pod.subdomain}.{pod.namespace}.svc.{DOMAIN}",
                          "give each pod of a subdomain its own hostname")
            seen.setdefault(key, pod.name)
    if d.cluster.dns == KUBE_DNS:
        for s in d.services:
            if (s.namespace, s.name) == (KUBE_SYSTEM, KUBE_DNS):
                r.problem(s.path + ("name",), "kube-system/kube-dns is cluster DNS's own Service, which netlab adds",
                          "name it otherwise, or set cluster.dns: none to bring no cluster DNS")
    for h in d.hosts:
        if h.name == UPSTREAM:
            r.problem(h.path + ("name",), f"'{UPSTREAM}' is the internet's name server, which netlab adds",
                      "name the host otherwise, or set cluster.dns: none")


# -- the plan: servers, their records, every resolv.conf ------------------------------------------------

def compile_dns(t: Topology) -> list[Step]:
    if t.cluster.dns == "none":
        return []
    upstream = upstream_host(t)
    assert upstream is not None, "dns: upstream adds the internet's name server (expand)"
    steps: list[Step] = [Note(f"dns: {UPSTREAM} ({upstream.ip.ip}) serves {INTERNET_DOMAIN} on the internet")]
    steps += server(t, upstream.name, forward_to=None, zones=[
        unbound.Zone(".", unbound.STATIC),  # the simulated internet has no other names
        unbound.Zone(f"{INTERNET_DOMAIN}.", unbound.STATIC),
        *(unbound.Zone(z, unbound.STATIC) for z in records.reverse_zones(t.internet.subnet))],
        data=records.internet_records(t, INTERNET_DOMAIN, UPSTREAM))
    if t.cluster.dns == KUBE_DNS:
        cluster_dns = str(kube_dns_ip(t.cluster.service_cidr))
        steps.append(Note(f"dns: kube-dns {cluster_dns} → the coredns pods (unbound standing in for CoreDNS)"))
        zones, data = cluster_zones(t), records.cluster_records(t, kube_dns_ip(t.cluster.service_cidr))
        for pod in (p for p in t.pods if p.workload == SERVER):
            steps += server(t, pod.name, forward_to=str(upstream.ip.ip), zones=zones, data=data)
    # A container on a user-defined Docker network gets the embedded server's file instead (features/docker).
    # one without a namespace of its own (host mode, container:X) has the one it shares.
    names = [*(n.name for n in t.nodes), *(h.name for h in t.internet.hosts), *(p.name for p in t.pods
                                                                              if p.network in ("", "none"))]
    return steps + [NetnsFile(naming.netns(t.name, name), "resolv.conf", resolv_of(t, name).text()) for name in names]


def upstream_host(t: Topology) -> InternetHost | None:
    """The internet's name server, which every host's resolv.conf names; None in a lab without DNS."""
    return next((h for h in t.internet.hosts if h.role == "dns"), None)


def resolv_of(t: Topology, name: str) -> resolv.Resolv:
    """The resolv.conf of a node, internet host or pod. A Docker container gets its host's (dockerd copies
    it); a pod, kubelet's for its dnsPolicy."""
    upstream = upstream_host(t)
    assert upstream is not None, "a lab with DNS has the internet's name server"
    node_file = resolv.host_resolv(str(upstream.ip.ip))
    pod = next((p for p in t.pods if p.name == name), None)
    if pod is None:
        return node_file
    cluster_dns = str(kube_dns_ip(t.cluster.service_cidr)) if t.cluster.dns == KUBE_DNS else None
    return resolv.pod_resolv(pod, node_file, cluster_dns, t.cluster.domain)


def all_records(t: Topology) -> list[records.Record]:
    """Every record the lab's servers hold: the cluster's (with kube-dns) and the internet's."""
    cluster = records.cluster_records(t, kube_dns_ip(t.cluster.service_cidr)) if t.cluster.dns == KUBE_DNS else []
    return [*cluster, *records.internet_records(t, INTERNET_DOMAIN, UPSTREAM)]


def cluster_zones(t: Topology) -> list[unbound.Zone]:
    """cluster.local and the reverse zones of the Service and pod networks: static (what is not there does not
    exist); the internet's reverse zone left to the upstream; each ExternalName a redirect to its target."""
    zones = [unbound.Zone(f"{t.cluster.domain}.", unbound.STATIC)]
    for network in (t.cluster.service_cidr, t.cluster.pod_cidr):
        zones += [unbound.Zone(z, unbound.STATIC) for z in records.reverse_zones(network)]
    zones += [unbound.Zone(z, unbound.NODEFAULT) for z in records.reverse_zones(t.internet.subnet)]
    zones += [unbound.Zone(records.service_name(s, t.cluster.domain), unbound.REDIRECT) for s in t.services
              if s.type == "ExternalName"]
    return zones


def server(t: Topology, name: str, *, forward_to: str | None, zones: list[unbound.Zone],
           data: list[records.Record]) -> list[Step]:
    """One unbound in namespace NAME: its configuration, the daemon, then its zones and records."""
    directory = f"dns/{name}"
    conf = f"{directory}/unbound.conf"
    ns = naming.netns(t.name, name)
    daemon = Daemon(ns, f"dns-{name}", ("unbound", "-d", "-p", "-c", f"{STATE}/{conf}"),
                    ports=("udp/53", "tcp/53"), ready="listen",
                    files=((conf, unbound.config(forward_to=forward_to, zones=zones)),))
    return [daemon, Records(ns, daemon.name, f"{STATE}/{conf}", unbound.payload(zones, data))]

