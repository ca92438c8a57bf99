"""The topology schema: reads each YAML section into drafts, applying defaults and collecting every problem."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass
from ipaddress import IPv4Address, IPv4Network
from typing import Any, TypeVar

from netlab import features, naming
from netlab.features import deployments
from netlab.features.calico import schema as calico_schema
from netlab.features.calico.model import CalicoConfig
from netlab.features.ingress import schema as ingress_schema
from netlab.features.ingress.model import Ingress, IngressController
from netlab.features.metallb import schema as metallb_schema
from netlab.features.metallb.model import LoadBalancerConfig
from netlab.features.netpol import schema as netpol_schema
from netlab.features.netpol.model import Namespace, NetworkPolicy
from netlab.topology.model import (
    Container, Deployment, DnsConfig, Expectation, NodeRules, Protocol, PublishedPort, Serve,
    ServeKind,
)
from netlab.topology.endpoints import EndpointsDraft, read_endpoints
from netlab.topology.reader import Path, Reader
from netlab.topology.yaml_source import format_path

D = TypeVar("D")

TOP_KEYS = ("name", "cluster", "underlay", "internet", "nodes", "pods", "services", "probes", "exercise",
            "namespaces", "networkPolicies", "ingresses", "docker", "endpoints")
IFNAME_WHY = "this name becomes a network interface name, and Linux allows 15 characters"
IPTABLES_BACKENDS = ("nft", "legacy")
DNS_MODES = ("kube-dns", "upstream", "none")  # features/dns
POLICY_ENFORCERS = ("kube-router", "calico", "none")  # features/netpol; calico: felix (features/calico)
DNS_POLICIES = ("ClusterFirst", "Default", "None")
SERVICE_TYPES = ("ClusterIP", "NodePort", "LoadBalancer", "ExternalName")
EXTERNAL_TYPES = ("NodePort", "LoadBalancer")  # the types with node ports (a LoadBalancer has them by default)
PROBE_PROTOCOLS = ("icmp", "tcp", "udp", "http", "dns")
DNS_QUERIES = ("A", "AAAA", "CNAME", "SRV", "PTR", "TXT", "SOA", "NS", "MX")
DNS_RCODES = ("NOERROR", "NXDOMAIN", "SERVFAIL", "REFUSED")
# How big a lab may be: one machine builds it (1,000 pods take about 5 s, docs/performance.md), and a list
# past its limit is refused before any item is read, so a huge file costs no time.
LIMITS = {"nodes": 250, "pods": 5000, "services": 5000, "endpoints": 5000, "hosts": 250, "probes": 1000,
          "networkPolicies": 5000, "ingresses": 1000}


@dataclass(frozen=True)
class ClusterDraft:
    cni: features.Cni
    proxy: str
    pod_cidr: IPv4Network | None
    service_cidr: IPv4Network | None
    node_subnet_len: int
    iptables_backend: str | None
    dns: str = "none"
    network_policy: str = "none"
    calico: CalicoConfig | None = None
    load_balancer: LoadBalancerConfig | None = None
    ipvs_strict_arp: bool = False
    ingress: IngressController | None = None  # the ingress controller (features/ingress), if the lab has one
    ingress_asked: bool = False  # cluster.ingress was written: a controller even with no Ingress yet
    docker_layout: str = "current"
    docker_networks: tuple[Any, ...] = ()  # features/docker/schema.NetworkDraft, resolved with the ranges


@dataclass(frozen=True)
class NodeDraft:
    path: Path
    name: str
    ip: IPv4Address | None
    rules: NodeRules
    labels: tuple[tuple[str, str], ...] = ()  # with the ones kubelet sets (node_labels)


@dataclass(frozen=True)
class PodDraft:
    path: Path
    name: str
    node: str | None
    ip: IPv4Address | None
    namespace: str
    labels: tuple[tuple[str, str], ...]
    serve: tuple[Serve, ...]
    publish: tuple[PublishedPort, ...]
    deployment: deployments.Spec | None = None  # a pod entry with replicas: a Deployment's template
    owner: Deployment | None = None  # a pod a Deployment made (features/deployments)
    hostname: str = ""
    subdomain: str = ""
    dns_policy: str = "ClusterFirst"
    dns_config: DnsConfig | None = None
    workload: str = "echo"
    node_selector: tuple[tuple[str, str], ...] = ()  # spec.nodeSelector: only nodes with these labels
    containers: tuple[Container, ...] = ()  # a pod of several containers (serve is all their ports)
    network: str = ""  # a Docker container's network: "" for the default bridge, or a user-defined one


@dataclass(frozen=True)
class HostDraft:
    path: Path
    name: str
    ip: IPv4Address | None
    serve: tuple[Serve, ...]
    role: str = ""


@dataclass(frozen=True)
class PortDraft:
    name: str
    port: int
    target_port: int
    protocol: Protocol
    node_port: int | None
    target_name: str = ""  # targetPort by name: each pod's container port of that name


@dataclass(frozen=True)
class ServiceDraft:
    path: Path
    name: str
    namespace: str
    type: str
    cluster_ip: IPv4Address | None
    headless: bool
    selector: tuple[tuple[str, str], ...]
    ports: tuple[PortDraft, ...]
    session_affinity: str
    affinity_timeout: int
    external_traffic_policy: str
    external_name: str | None = None
    allocate_node_ports: bool = True  # allocateLoadBalancerNodePorts (LoadBalancer only; NodePort: always)
    external_ips: tuple[IPv4Address, ...] = ()
    health_check_node_port: int | None = None
    load_balancer_ip: IPv4Address | None = None
    load_balancer_source_ranges: tuple[IPv4Network, ...] = ()


@dataclass(frozen=True)
class ProbeDraft:
    path: Path
    name: str
    source: str
    target: str
    port: int | None
    protocol: str
    expect: Expectation
    size: int | None
    query: str | None = None
    host: str | None = None
    http_path: str = "/"


@dataclass(frozen=True)
class Drafts:
    name: str
    cluster: ClusterDraft
    underlay_subnet: IPv4Network | None
    underlay_more: tuple[tuple[Path, IPv4Network], ...]  # `subnets:` after the first: segments behind the router
    underlay_mtu: int
    internet_subnet: IPv4Network | None
    hosts: tuple[HostDraft, ...]
    nodes: tuple[NodeDraft, ...]
    pods: tuple[PodDraft, ...]
    services: tuple[ServiceDraft, ...]
    probes: tuple[ProbeDraft, ...]
    exercise: object  # read once every name is known (topology/exercise.py)
    namespaces: tuple[tuple[Path, Namespace], ...] = ()
    policies: tuple[NetworkPolicy, ...] = ()
    ingresses: tuple[Ingress, ...] = ()
    endpoints: tuple[EndpointsDraft, ...] = ()


def read_drafts(r: Reader) -> Drafts:
    top = r.mapping(r.doc.data, (), TOP_KEYS)
    if r.doc.data is None:
        r.problem((), "the file is empty", "a lab needs at least 'name:' and some 'pods:'")
        name = "empty"
    else:
        name = r.name(top, "name", (), max_len=32) or "invalid"
    if top.get("nodes", None) == []:
        r.problem(("nodes",), "a lab needs at least one node", "leave 'nodes' out for one node called node1")
    underlay = r.mapping(top.get("underlay"), ("underlay",), ("subnet", "subnets", "mtu"))
    underlay_subnet, underlay_more = read_underlay_subnets(r, underlay)
    cluster = read_cluster(r, top.get("cluster"), has_policies=bool(top.get("networkPolicies")),
                           has_ingresses=bool(top.get("ingresses")),
                           underlay=underlay_subnet)
    if "docker" in top:
        from netlab.features.docker import schema as docker_schema  # here: the docker package imports the compiler
        layout, networks = docker_schema.read_docker(r, top["docker"], cluster.cni.kubernetes)
        cluster = dataclasses.replace(cluster, docker_layout=layout, docker_networks=networks)
    internet = r.mapping(top.get("internet"), ("internet",), ("subnet", "hosts"))
    return Drafts(
        name=name,
        cluster=cluster,
        underlay_subnet=underlay_subnet,
        underlay_more=underlay_more,
        underlay_mtu=r.integer(underlay, "mtu", ("underlay",), 1500, 1280, 9000) or 1500,
        internet_subnet=r.network(internet, "subnet", ("internet",), "203.0.113.0/24"),
        hosts=tuple(read_list(r, internet.get("hosts"), ("internet", "hosts"), read_host)),  # a /24 at most
        nodes=tuple(read_list(r, top.get("nodes", [{"name": "node1"}]), ("nodes",), read_node)),
        pods=tuple(read_list(r, top.get("pods"), ("pods",), read_pod)),
        services=tuple(read_list(r, top.get("services"), ("services",), read_service)),
        probes=tuple(read_list(r, top.get("probes"), ("probes",), read_probe)),
        exercise=top.get("exercise"),
        namespaces=netpol_schema.read_namespaces(r, top.get("namespaces")),
        policies=tuple(read_list(r, top.get("networkPolicies"), ("networkPolicies",), netpol_schema.policy_reader())),
        ingresses=tuple(read_list(r, top.get("ingresses"), ("ingresses",), ingress_schema.ingress_reader)),
        endpoints=tuple(read_list(r, top.get("endpoints"), ("endpoints",), read_endpoints)),
    )


def read_list(r: Reader, value: object, path: Path, read_one: Callable[[Reader, object, Path], D | None]) -> list[D]:
    """Reads each item of a list section; an item too broken to use is dropped (its problems are recorded)."""
    sequence = r.sequence(value, path)
    limit = LIMITS[str(path[-1])]
    if len(sequence) > limit:
        r.problem(path, f"{len(sequence)} {path[-1]}; a lab holds at most {limit}",
                  "netlab builds a lab on one machine; split it into smaller labs")
        return []
    items = [read_one(r, item, path + (i,)) for i, item in enumerate(sequence)]
    return [item for item in items if item is not None]


def read_cluster(r: Reader, value: object, *, has_policies: bool = False, has_ingresses: bool = False,
                 underlay: IPv4Network | None = None) -> ClusterDraft:
    path: Path = ("cluster",)
    m = r.mapping(value, path, ("cni", "proxy", "podCIDR", "serviceCIDR", "nodeSubnetLen", "iptablesBackend",
                                "dns", "networkPolicy", "calico", "loadBalancer",
                                "ipvsStrictARP", "ingress"))
    cni = features.CNIS[r.one_of(m, "cni", path, list(features.CNIS), "docker-bridge")]
    calico = None
    if cni.name == "calico":
        calico = calico_schema.read_calico(r, m.get("calico"), path + ("calico",))
        if "nodeSubnetLen" in m:
            r.problem(path + ("nodeSubnetLen",), "Calico gives nodes IPAM blocks, not node subnets",
                      "set calico.blockSize (26 by default)")
    elif "calico" in m:
        r.problem(path + ("calico",), f"calico settings in a {cni.name} lab", "set cluster.cni: calico, or drop them")
    # A Kubernetes node runs kube-proxy, in iptables mode unless told otherwise; a Docker host has none.
    modes = [features.NO_PROXY, *features.PROXY_MODES]
    proxy = r.one_of(m, "proxy", path, modes, "iptables" if cni.kubernetes else features.NO_PROXY)
    if not cni.kubernetes and proxy != features.NO_PROXY:
        r.problem(path + ("proxy",), f"proxy '{proxy}' needs a Kubernetes cni, not {cni.name}",
                  "use a Kubernetes cni (" + ", ".join(c.name for c in features.CNIS.values() if c.kubernetes)
                  + ") for Services, or drop 'proxy'")
    backend = r.one_of(m, "iptablesBackend", path, list(IPTABLES_BACKENDS), None) if "iptablesBackend" in m else None
    # A Kubernetes cluster has kube-dns (kubeadm installs it); any lab has a name server on its internet.
    dns = r.one_of(m, "dns", path, list(DNS_MODES), "kube-dns" if cni.kubernetes else "upstream")
    if dns == "kube-dns" and not cni.kubernetes:
        r.problem(path + ("dns",), f"kube-dns is a Kubernetes cluster's; this lab is a {cni.name} lab",
                  "dns: upstream gives its hosts the internet's name server; or use a Kubernetes cni")
    # Calico's felix enforces policies itself. Neither flannel nor the bridge plugin does: a cluster runs
    # kube-router's netpol controller beside them for that (none: the policies exist, and nothing enforces them).
    own = "calico" if cni.name == "calico" else "kube-router"
    enforcer = r.one_of(m, "networkPolicy", path, list(POLICY_ENFORCERS), own if has_policies and cni.kubernetes
                        else "none")
    if enforcer != "none" and cni.kubernetes and enforcer != own:
        r.problem(path + ("networkPolicy",), f"{enforcer} does not enforce a {cni.name} lab's policies",
                  f"{own} does (networkPolicy: {own}), or leave networkPolicy out")
    elif has_policies and not cni.kubernetes:
        r.problem(("networkPolicies",), f"NetworkPolicy is a Kubernetes cluster's; this lab is a {cni.name} lab",
                  "use a Kubernetes cni (flannel-vxlan, host-gw)")
    elif enforcer != "none" and not cni.kubernetes:
        r.problem(path + ("networkPolicy",), f"{enforcer} enforces a Kubernetes cluster's policies; this lab is a "
                  f"{cni.name} lab", "use a Kubernetes cni (flannel-vxlan, host-gw), or leave networkPolicy out")
    load_balancer = None
    if "loadBalancer" in m:
        load_balancer = metallb_schema.read_load_balancer(r, m["loadBalancer"], path + ("loadBalancer",))
        if not cni.kubernetes:
            r.problem(path + ("loadBalancer",), f"a load balancer for Services; this lab is a {cni.name} lab",
                      "use a Kubernetes cni")
    ingress = None
    if "ingress" in m or has_ingresses:  # Ingresses bring their controller, as a cluster with ingress-nginx has
        ingress = ingress_schema.read_controller(r, m.get("ingress"), path + ("ingress",),
                                                 has_load_balancer=load_balancer is not None)
        if not cni.kubernetes:
            r.problem(path + ("ingress",) if "ingress" in m else ("ingresses",),
                      f"Ingress is a Kubernetes cluster's; this lab is a {cni.name} lab", "use a Kubernetes cni")
    strict_arp = r.boolean(m, "ipvsStrictARP", path, False)
    if "ipvsStrictARP" in m and proxy != "ipvs":
        r.problem(path + ("ipvsStrictARP",), "strict ARP is kube-proxy's IPVS mode setting (--ipvs-strict-arp)",
                  "set proxy: ipvs, or drop it")
    return ClusterDraft(
        cni=cni,
        proxy=proxy,
        pod_cidr=r.network(m, "podCIDR", path, str(calico_schema.default_pool(underlay)) if calico
                           else cni.default_pod_cidr),
        service_cidr=r.network(m, "serviceCIDR", path, "10.96.0.0/12"),
        node_subnet_len=calico.block_size if calico else r.integer(m, "nodeSubnetLen", path, 24, 16, 28) or 24,
        iptables_backend=backend,
        dns=dns,
        network_policy=enforcer,
        calico=calico,
        load_balancer=load_balancer,
        ipvs_strict_arp=strict_arp,
        ingress=ingress,
        ingress_asked="ingress" in m,
    )


def read_underlay_subnets(r: Reader, underlay: dict[str, object]) -> tuple[IPv4Network | None,
                                                                          tuple[tuple[Path, IPv4Network], ...]]:
    """`subnet: S`, or `subnets: [S, T, …]` for an underlay of several segments behind the router: the first
    subnet, and the others with where they were written."""
    if "subnets" not in underlay:
        return r.network(underlay, "subnet", ("underlay",), "192.168.56.0/24"), ()
    path: Path = ("underlay", "subnets")
    if "subnet" in underlay:
        r.problem(path, "both 'subnet' and 'subnets'", "one subnet, or a list of them")
    items = dict(enumerate(r.sequence(underlay["subnets"], path)))
    if not items:
        r.problem(path, "an empty list of subnets", "leave 'subnets' out for 192.168.56.0/24")
        return None, ()
    nets = [(path + (i,), r.network(items, i, path, "")) for i in items]
    return nets[0][1], tuple((where, net) for where, net in nets[1:] if net is not None)


def read_node(r: Reader, value: object, path: Path) -> NodeDraft | None:
    m = r.mapping(value, path, ("name", "ip", "rules", "labels"))
    name = r.name(m, "name", path, max_len=15, why=IFNAME_WHY)
    labels = netpol_schema.read_labels(r, m.get("labels"), path + ("labels",))
    rules = r.mapping(m.get("rules"), path + ("rules",), ("iptables", "nft"))
    node_rules = NodeRules(
        iptables=r.text(rules, "iptables", path + ("rules",), None),
        nft=r.text(rules, "nft", path + ("rules",), None),
    )
    if name is None:
        return None
    return NodeDraft(path, name, r.address(m, "ip", path), node_rules, node_labels(name, labels))


def node_labels(name: str, labels: tuple[tuple[str, str], ...]) -> tuple[tuple[str, str], ...]:
    """A node's labels: the file's, and over them the ones kubelet sets on every node (a nodeSelector may name
    kubernetes.io/hostname to pin a pod, as nodeName does)."""
    return tuple(sorted({**dict(labels), "kubernetes.io/arch": "amd64", "kubernetes.io/hostname": name,
                         "kubernetes.io/os": "linux"}.items()))


def read_pod(r: Reader, value: object, path: Path) -> PodDraft | None:
    m = r.mapping(value, path, ("name", "node", "ip", "namespace", "labels", "serve", "publish", "hostname",
                                "subdomain", "dnsPolicy", "dnsConfig", "nodeSelector", "containers", "network",
                                "hostNetwork", *deployments.FIELDS))
    name = r.name(m, "name", path, max_len=63)
    policy = r.one_of(m, "dnsPolicy", path, list(DNS_POLICIES), "ClusterFirst")
    dns_config = read_dns_config(r, m.get("dnsConfig"), path + ("dnsConfig",)) if "dnsConfig" in m else None
    if policy == "None" and dns_config is None:
        r.problem(path + ("dnsPolicy",), "dnsPolicy None needs a dnsConfig", "give dnsConfig: {nameservers: [...]}")
    containers = read_containers(r, m.get("containers"), path + ("containers",)) if "containers" in m else ()
    if containers and "serve" in m:
        r.problem(path + ("serve",), "a pod with containers serves what its containers serve",
                  "move the ports into containers[].serve")
    draft = PodDraft(
        path=path,
        name=name or "",
        node=r.text(m, "node", path, None),
        ip=r.address(m, "ip", path),
        namespace=r.name(m, "namespace", path, max_len=63, default="default") or "default",
        labels=r.string_map(m.get("labels"), path + ("labels",)),
        serve=tuple(s for c in containers for s in c.serve) or read_serve(r, m.get("serve"), path + ("serve",)),
        publish=read_publish(r, m.get("publish"), path + ("publish",)),
        deployment=deployments.read_spec(r, m, path),
        containers=containers,
        network="host" if r.boolean(m, "hostNetwork", path, False) else network_of(r, m, path),
        hostname=(r.name(m, "hostname", path, max_len=63) or "") if "hostname" in m else "",
        subdomain=(r.name(m, "subdomain", path, max_len=63) or "") if "subdomain" in m else "",
        dns_policy=policy,
        dns_config=dns_config,
        node_selector=netpol_schema.read_labels(r, m.get("nodeSelector"), path + ("nodeSelector",)),
    )
    return draft if name else None


def read_containers(r: Reader, value: object, path: Path) -> tuple[Container, ...]:
    """`containers: [{name, serve}]`: a pod of several containers, each its own process in the pod's network
    namespace; the namespace has one set of ports, so two containers may not serve the same one."""
    found: list[Container] = []
    used: dict[tuple[str, int], tuple[str, Path]] = {}
    for i, item in enumerate(r.sequence(value, path)):
        m = r.mapping(item, path + (i,), ("name", "serve"))
        name = r.name(m, "name", path + (i,), max_len=63)
        serve = read_serve(r, m.get("serve"), path + (i, "serve"))
        if name is None:
            continue
        if any(c.name == name for c in found):
            r.problem(path + (i, "name"), f"container name '{name}' is used twice")
            continue
        for j, s in enumerate(serve):
            other = used.get((s.kind.transport, s.port))
            if other is not None:
                r.problem(path + (i, "serve", j), f"container '{name}' serves {s.kind.transport} port {s.port}, "
                          f"which container '{other[0]}' serves already ({format_path(other[1])}): the containers of "
                          "a pod share its network namespace, and so its ports")
            used.setdefault((s.kind.transport, s.port), (name, path + (i, "serve", j)))
        found.append(Container(name, serve))
    return tuple(found)


def network_of(r: Reader, m: dict[str, object], path: Path) -> str:
    """`network:` — a Docker container's `--network`: bridge (docker0, the default) or a user-defined network's
    name ("" stands for bridge)."""
    value = r.text(m, "network", path, "bridge") or "bridge"
    if value.startswith("container:") and not naming.is_name(value.partition(":")[2]):
        r.problem(path + ("network",), "invalid network mode: invalid container format container:<name|id>")
    return "" if value == "bridge" else value


def read_dns_config(r: Reader, value: object, path: Path) -> DnsConfig:
    """A pod's dnsConfig: nameservers (addresses), searches (domains), options ({name, value})."""
    m = r.mapping(value, path, ("nameservers", "searches", "options"))
    nameservers = []
    for i, item in enumerate(r.sequence(m.get("nameservers"), path + ("nameservers",))):
        if r.address({"ip": item}, "ip", path + ("nameservers", i)) is not None:
            nameservers.append(str(item))
    searches = []
    for i, item in enumerate(r.sequence(m.get("searches"), path + ("searches",))):
        if not isinstance(item, str) or not naming.is_domain(item):
            r.problem(path + ("searches", i), f"'{item}' is not a DNS domain", "e.g. data.svc.cluster.local")
        else:
            searches.append(item.rstrip("."))
    options = []
    for i, item in enumerate(r.sequence(m.get("options"), path + ("options",))):
        om = r.mapping(item, path + ("options", i), ("name", "value"))
        oname = r.text(om, "name", path + ("options", i))
        if oname:
            option_value = om.get("value")
            options.append((oname, None if option_value is None else str(option_value)))
    return DnsConfig(tuple(nameservers), tuple(searches), tuple(options))


def read_host(r: Reader, value: object, path: Path) -> HostDraft | None:
    m = r.mapping(value, path, ("name", "ip", "serve"))
    name = r.name(m, "name", path, max_len=15, why=IFNAME_WHY)
    serve = read_serve(r, m.get("serve"), path + ("serve",))
    return HostDraft(path, name, r.address(m, "ip", path), serve) if name else None


def read_serve(r: Reader, value: object, path: Path) -> tuple[Serve, ...]:
    """`serve: [http:80, udp:53]` — what the built-in echo server listens on; an entry may be a mapping with a
    port name, as a container port has one: {name: web, port: 80, protocol: http}."""
    result: list[Serve] = []
    for i, item in enumerate(r.sequence(value, path)):
        name = ""
        if isinstance(item, dict):
            m = r.mapping(item, path + (i,), ("name", "port", "protocol"))
            kind, port = str(m.get("protocol", "tcp")), str(m.get("port", ""))
            name = r.text(m, "name", path + (i,), "") or ""
            if name and not netpol_schema.is_port_name(name):
                r.problem(path + (i, "name"), f"'{name}' is not a valid port name",
                          "at most 15 lower-case letters, digits and '-', with at least one letter")
        else:
            kind, _, port = str(item).partition(":") if isinstance(item, str) else ("", "", "")
        if kind not in ServeKind.__members__.values() or not port.isdigit() or not 1 <= int(port) <= 65535:
            r.problem(path + (i,), f"'{item}' is not a valid serve entry",
                      "write PROTO:PORT with PROTO one of tcp, udp, http and PORT 1-65535, e.g. http:80")
            continue
        serve = Serve(ServeKind(kind), int(port), name)
        if any(s.port == serve.port and s.kind.transport == serve.kind.transport for s in result):
            r.problem(path + (i,), f"{serve.kind.transport} port {serve.port} is served twice")
            continue
        if name and any(s.name == name for s in result):
            r.problem(path + (i, "name"), f"port name '{name}' is used twice")
            continue
        result.append(serve)
    return tuple(result)


def read_publish(r: Reader, value: object, path: Path) -> tuple[PublishedPort, ...]:
    """`publish: ["8080:80", "5353:53/udp"]` — Docker's -p HOST:CONTAINER[/PROTO]."""
    result: list[PublishedPort] = []
    for i, item in enumerate(r.sequence(value, path)):
        spec, _, proto = str(item).partition("/")
        host, _, container = spec.partition(":")
        ok = (isinstance(item, str) and host.isdigit() and container.isdigit() and proto in ("", "tcp", "udp")
              and 1 <= int(host) <= 65535 and 1 <= int(container) <= 65535)
        if not ok:
            r.problem(path + (i,), f"'{item}' is not a valid published port",
                      "write HOST:CONTAINER or HOST:CONTAINER/udp with ports 1-65535, e.g. \"8080:80\"")
            continue
        result.append(PublishedPort(int(host), int(container), Protocol(proto or "tcp")))
    return tuple(result)


def read_service(r: Reader, value: object, path: Path) -> ServiceDraft | None:
    fields = ("name", "namespace", "type", "clusterIP", "selector", "ports", "sessionAffinity",
              "sessionAffinityTimeout", "externalTrafficPolicy", "externalName", "allocateLoadBalancerNodePorts",
              "externalIPs", "healthCheckNodePort", "loadBalancerIP", "loadBalancerSourceRanges")
    m = r.mapping(value, path, fields)
    name = r.name(m, "name", path, max_len=63)
    svc_type = r.text(m, "type", path, "ClusterIP")
    if svc_type not in SERVICE_TYPES:
        r.problem(path + ("type",), f"'{svc_type}' is not a supported service type", ", ".join(SERVICE_TYPES))
        svc_type = "ClusterIP"
    external_name = r.text(m, "externalName", path, None)
    if svc_type == "ExternalName":
        if external_name is None:
            r.problem(path, "an ExternalName service needs externalName", "e.g. externalName: web.example.com")
        elif not naming.is_domain(external_name):
            r.problem(path + ("externalName",), f"'{external_name}' is not a DNS name",
                      "a name such as web.example.com (not an address, no scheme or port)")
            external_name = None
        for key in ("clusterIP", "selector", "ports"):
            if key in m:
                r.problem(path + (key,), f"an ExternalName service has no {key}",
                          "it is only a DNS alias (a CNAME); kube-proxy ignores it")
    elif external_name is not None:
        r.problem(path + ("externalName",), "externalName is only for type ExternalName")
    cluster_ip_text = m.get("clusterIP")
    headless = cluster_ip_text == "None"
    ports = []
    for i, item in enumerate(r.sequence(m.get("ports"), path + ("ports",))):
        ppath = path + ("ports", i)
        pm = r.mapping(item, ppath, ("name", "port", "targetPort", "protocol", "nodePort"))
        port = r.integer(pm, "port", ppath, None, 1, 65535)
        if "port" not in pm:
            r.problem(ppath, "'port' is required")
        proto = r.text(pm, "protocol", ppath, "TCP") or "TCP"
        if proto not in ("TCP", "UDP"):
            r.problem(ppath + ("protocol",), f"'{proto}' is not a supported protocol", "TCP or UDP")
            proto = "TCP"
        node_port = r.integer(pm, "nodePort", ppath, None, 30000, 32767,
                              hint="Kubernetes' default --service-node-port-range is 30000-32767")
        if node_port is not None and svc_type not in EXTERNAL_TYPES:
            r.problem(ppath + ("nodePort",), "nodePort is only allowed on a NodePort or LoadBalancer service")
        if port is not None:
            target_name = pm.get("targetPort") if isinstance(pm.get("targetPort"), str) else ""
            if target_name and not netpol_schema.is_port_name(str(target_name)):
                r.problem(ppath + ("targetPort",), f"'{target_name}' is not a port number or a container port's name",
                          "a number 1-65535, or a name: at most 15 lower-case letters, digits and '-'")
            target = 0 if target_name else r.integer(pm, "targetPort", ppath, port, 1, 65535) or port
            pname = r.name(pm, "name", ppath, max_len=15) if "name" in pm else ""
            ports.append(PortDraft(pname or "", port, target, Protocol(proto.lower()), node_port,
                                   str(target_name)))
    if not ports and "ports" in m:
        r.problem(path + ("ports",), "a service needs at least one port")
    affinity = r.text(m, "sessionAffinity", path, "None")
    if affinity not in ("None", "ClientIP"):
        r.problem(path + ("sessionAffinity",), f"'{affinity}' is not valid", "None or ClientIP")
    etp = r.text(m, "externalTrafficPolicy", path, "Cluster")
    if etp not in ("Cluster", "Local"):
        r.problem(path + ("externalTrafficPolicy",), f"'{etp}' is not valid", "Cluster or Local")
    health_check = r.integer(m, "healthCheckNodePort", path, None, 30000, 32767,
                             hint="Kubernetes' default --service-node-port-range is 30000-32767")
    if health_check is not None and not (svc_type == "LoadBalancer" and etp == "Local"):
        r.problem(path + ("healthCheckNodePort",), "only a LoadBalancer service with externalTrafficPolicy Local "
                  "has a health check node port")
    allocate = r.boolean(m, "allocateLoadBalancerNodePorts", path, True)
    if "allocateLoadBalancerNodePorts" in m and svc_type != "LoadBalancer":
        r.problem(path + ("allocateLoadBalancerNodePorts",), "only a LoadBalancer service allocates node ports "
                  "by this field")
    for key in ("loadBalancerIP", "loadBalancerSourceRanges"):
        if key in m and svc_type != "LoadBalancer":
            r.problem(path + (key,), f"{key} is only for a LoadBalancer service")
    if name is None:
        return None
    return ServiceDraft(
        path=path, name=name,
        namespace=r.name(m, "namespace", path, max_len=63, default="default") or "default",
        type=svc_type,
        cluster_ip=None if headless else r.address(m, "clusterIP", path),
        headless=headless,
        selector=r.string_map(m.get("selector"), path + ("selector",)),
        ports=tuple(ports),
        session_affinity=affinity or "None",
        affinity_timeout=r.integer(m, "sessionAffinityTimeout", path, 10800, 1, 86400) or 10800,
        external_traffic_policy=etp or "Cluster",
        external_name=external_name if svc_type == "ExternalName" else None,
        allocate_node_ports=allocate,
        external_ips=read_external_ips(r, m.get("externalIPs"), path + ("externalIPs",), svc_type),
        health_check_node_port=health_check,
        load_balancer_ip=r.address(m, "loadBalancerIP", path),
        load_balancer_source_ranges=metallb_schema.read_source_ranges(r, m.get("loadBalancerSourceRanges"),
                                                                      path + ("loadBalancerSourceRanges",)),
    )


def read_external_ips(r: Reader, value: object, path: Path, svc_type: str) -> tuple[IPv4Address, ...]:
    """spec.externalIPs: addresses, none of them special (the apiserver's ValidateNonSpecialIP), each once."""
    found: list[IPv4Address] = []
    for i, item in enumerate(r.sequence(value, path)):
        ip = r.address({i: item}, i, path)
        if ip is None:
            continue
        if ip.is_unspecified or ip.is_loopback or ip.is_link_local or ip.is_multicast:
            r.problem(path + (i,), f"{ip} may not be an external IP", "the apiserver refuses unspecified, loopback, "
                      "link-local and multicast addresses")
        elif ip in found:
            r.problem(path + (i,), f"{ip} is listed twice")
        else:
            found.append(ip)
    if found and svc_type == "ExternalName":
        r.problem(path, "an ExternalName service has no externalIPs")
    return tuple(found)


def read_probe(r: Reader, value: object, path: Path) -> ProbeDraft | None:
    m = r.mapping(value, path, ("name", "from", "to", "port", "protocol", "expect", "size", "query", "host", "path"))
    source = r.text(m, "from", path)
    target_text = r.text(m, "to", path)
    port = r.integer(m, "port", path, None, 1, 65535)
    target = target_text or ""
    head, sep, tail = target.rpartition(":")
    if sep and tail.isdigit():
        if port is not None:
            r.problem(path + ("port",), "the port is given twice ('to' has one too)")
        target, port = head, int(tail)
        if not 1 <= port <= 65535:
            r.problem(path + ("to",), f"port {port} is out of range 1-65535")
    query = r.text(m, "query", path, None)
    protocol = r.text(m, "protocol", path, "dns" if query else "tcp" if port else "icmp") or "icmp"
    if protocol not in PROBE_PROTOCOLS:
        r.problem(path + ("protocol",), f"'{protocol}' is not a probe protocol",
                  "one of: " + ", ".join(PROBE_PROTOCOLS))
    elif protocol == "dns":
        if port is not None:
            r.problem(path + ("to",), "a dns probe asks the source's own name servers: it has no port",
                      "to: the name to look up, e.g. web.default.svc.cluster.local")
        query = (query or "A").upper()
        if query not in DNS_QUERIES:
            r.problem(path + ("query",), f"'{query}' is not a query type netlab asks",
                      "one of: " + ", ".join(DNS_QUERIES))
    elif query is not None:
        r.problem(path + ("query",), "only a dns probe has a query type", "protocol: dns")
    elif protocol != "icmp" and port is None:
        r.problem(path, f"a {protocol} probe needs a port", "write 'to: NAME:PORT' or 'port: N'")
    # 68 bytes: the smallest packet every IPv4 link must carry; 65,535: the largest IPv4 packet.
    size = r.integer(m, "size", path, None, 68, 65535, hint="the IP packet's size in bytes, e.g. 1500")
    if size is not None and protocol != "icmp":
        r.problem(path + ("size",), "only an icmp probe has a size", "probe protocol: icmp, to test an MTU")
    host = r.text(m, "host", path, None)
    http_path = r.text(m, "path", path, "/") or "/"
    if ("host" in m or "path" in m) and protocol != "http":
        r.problem(path + ("host" if "host" in m else "path",), "only an http probe has a Host header and a path",
                  "protocol: http")
    if host is not None and not naming.is_domain(name_part := host.rsplit(":", 1)[0]) and not naming.is_ipv4(name_part):
        r.problem(path + ("host",), f"'{host}' is not a host name", "e.g. shop.example.com")
    if not http_path.startswith("/") or any(c.isspace() for c in http_path):
        r.problem(path + ("path",), f"'{http_path}' is not a path", "e.g. /api/orders")
    expect = read_expectation(r, m.get("expect"), path + ("expect",), protocol)
    if source is None or target_text is None:
        return None
    name = r.text(m, "name", path, None) or f"{source} -> {target_text}"
    return ProbeDraft(path, name, source, target, port, protocol, expect, size, query, host, http_path)


def read_expectation(r: Reader, value: object, path: Path, protocol: str) -> Expectation:
    """reachable and sourceSeen; for a dns probe, the answer's records and its response code; for an http
    probe, the response's status and the servers one of which must answer."""
    em = r.mapping(value, path, ("reachable", "sourceSeen", "answer", "rcode", "status", "servedBy"))
    answer = None
    if "answer" in em:
        items = em["answer"]
        if not isinstance(items, list) or not all(isinstance(i, (str, int)) for i in items):
            r.problem(path + ("answer",), "an answer is a list of records' data",
                      "e.g. answer: [10.96.0.11] or answer: ['0 100 80 web.default.svc.cluster.local.']")
        else:
            answer = tuple(str(i) for i in items)
    rcode = r.text(em, "rcode", path, None)
    if rcode is not None and rcode.upper() not in DNS_RCODES:
        r.problem(path + ("rcode",), f"'{rcode}' is not a response code", "one of: " + ", ".join(DNS_RCODES))
    if (answer is not None or rcode is not None) and protocol != "dns":
        r.problem(path, "only a dns probe expects an answer or an rcode", "protocol: dns")
    status = r.integer(em, "status", path, None, 100, 599)
    served = em.get("servedBy", [])
    served_by = (served,) if isinstance(served, str) else tuple(str(s) for s in served) \
        if isinstance(served, list) else ()
    if not isinstance(served, (str, list)):
        r.problem(path + ("servedBy",), "servedBy is a name or a list of names", "e.g. servedBy: [web1, web2]")
    if (status is not None or served_by) and protocol != "http":
        r.problem(path, "only an http probe expects a status or the server that answers", "protocol: http")
    return Expectation(
        reachable=r.boolean(em, "reachable", path, True),
        source_seen=r.text(em, "sourceSeen", path, None),
        answer=answer,
        rcode=rcode.upper() if rcode else None,
        status=status,
        served_by=served_by,
    )
