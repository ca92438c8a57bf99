"""The lab model: frozen, validated, fully addressed. Everything after the loader reads only this."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from functools import cached_property
from ipaddress import IPv4Address, IPv4Interface, IPv4Network

from netlab.features.calico.model import CalicoConfig
from netlab.features.ingress.model import Ingress, IngressController
from netlab.features.metallb.model import LoadBalancerConfig
from netlab.features.netpol.model import Namespace, NetworkPolicy


class Protocol(StrEnum):
    TCP = "tcp"
    UDP = "udp"


class ServeKind(StrEnum):
    """What the built-in echo server speaks on a port."""

    TCP = "tcp"
    UDP = "udp"
    HTTP = "http"

    @property
    def transport(self) -> Protocol:
        return Protocol.UDP if self is ServeKind.UDP else Protocol.TCP


@dataclass(frozen=True)
class Serve:
    """One port the echo server listens on."""

    kind: ServeKind
    port: int
    name: str = ""  # a container port's name (a NetworkPolicy may name it)


@dataclass(frozen=True)
class Container:
    """One container of a pod with several: its own process in the pod's one network namespace, serving its ports
    (they reach each other on localhost, and two of them cannot use one port)."""

    name: str
    serve: tuple[Serve, ...]


@dataclass(frozen=True)
class PublishedPort:
    """Docker's `-p host_port:container_port/protocol`."""

    host_port: int
    container_port: int
    protocol: Protocol


@dataclass(frozen=True)
class DockerNetwork:
    """A user-defined bridge network (`docker network create`), on every Docker host of the lab: its own bridge
    and subnet, kept apart from the host's other networks by dockerd's rules, with names its containers resolve
    through Docker's embedded DNS server (features/docker)."""

    name: str
    bridge: str  # br-<12 hex of its ID>, or the name com.docker.network.bridge.name gave it
    subnet: IPv4Network

    @property
    def gateway(self) -> IPv4Interface:
        """The bridge's address: the first of the subnet, as libnetwork's IPAM hands out the gateway first."""
        return IPv4Interface(f"{self.subnet.network_address + 1}/{self.subnet.prefixlen}")


@dataclass(frozen=True)
class NodeRules:
    """Extra rules an instructor adds to a node, applied after netlab's own."""

    iptables: str | None = None  # an iptables-restore payload, loaded with --noflush
    nft: str | None = None  # an `nft -f` payload


@dataclass(frozen=True)
class Node:
    name: str
    ip: IPv4Address  # the node's address on the underlay (its eth0)
    pod_subnet: IPv4Network  # the pods' network on this node
    bridge_ip: IPv4Interface | None  # the bridge's gateway address (docker0 / cni0); Calico's nodes have none
    rules: NodeRules
    addresses: tuple[IPv4Address, ...] = ()  # every address it holds (lo aside): eth0, the bridge, a VTEP…
    labels: tuple[tuple[str, str], ...] = ()  # the file's and kubelet's (kubernetes.io/hostname…)
    # IPAM's bookkeeping, not the lab: the last pod address handed out here (host-local's last_reserved_ip).
    last_pod: IPv4Address | None = field(default=None, compare=False)

    @property
    def bridge(self) -> IPv4Interface:
        """The bridge's address, on a node whose pods sit on a bridge (every pod network but Calico's)."""
        if self.bridge_ip is None:
            raise ValueError(f"node {self.name} has no bridge")
        return self.bridge_ip


@dataclass(frozen=True)
class DnsConfig:
    """A pod's spec.dnsConfig: added to what its dnsPolicy gives (features/dns/resolv.py)."""

    nameservers: tuple[str, ...] = ()
    searches: tuple[str, ...] = ()
    options: tuple[tuple[str, str | None], ...] = ()  # (name, value): ndots 5, or edns0 with no value


def joined_container(network: str) -> str | None:
    """NAME of Docker's `--network container:NAME`, None for any other network."""
    return network.partition(":")[2] if network.startswith("container:") else None


@dataclass(frozen=True)
class Pod:
    name: str
    node: str
    ip: IPv4Interface  # address and prefix on the pod's eth0
    namespace: str  # the Kubernetes namespace (service hashes depend on it)
    labels: tuple[tuple[str, str], ...]
    serve: tuple[Serve, ...]
    publish: tuple[PublishedPort, ...]
    deployment: str = ""  # the Deployment that made it, if one did
    template: str = ""  # its pod-template-hash: with the Deployment's name, its ReplicaSet
    version: str | None = None  # the template's version, which its echo server reports
    hostname: str = ""  # spec.hostname and spec.subdomain: a DNS name under a headless Service of that name
    subdomain: str = ""
    dns_policy: str = "ClusterFirst"  # ClusterFirst | Default | None, as kubelet reads spec.dnsPolicy
    dns_config: DnsConfig | None = None
    workload: str = "echo"  # what runs in it: netlab's echo server, or the cluster's DNS server (features/dns)
    # Its containers, when the file names them (`serve` is all their ports). A pod of several runs one process each,
    # beside a sandbox process; a pod of one is its echo server alone, as a pod written with `serve:` only.
    containers: tuple[Container, ...] = ()
    # A Docker container's --network: "" for docker0, a user-defined network's name (Cluster.docker_networks), or a
    # mode in which it has no interface of its own: host (its node's namespace), none (lo alone), container:<name>
    network: str = ""

    @property
    def joined(self) -> str | None:
        """The container whose namespace this one joined (--network container:NAME)."""
        return joined_container(self.network)

    @property
    def own_namespace(self) -> bool:
        """Whether it has a network namespace of its own (not the host's, not another container's)."""
        return self.network != "host" and self.joined is None

    def mode(self, docker: bool) -> str:
        """How a pod without an interface of its own was asked for: Docker's `--network MODE`, or Kubernetes'
        hostNetwork; "" for a pod with one."""
        if self.plugged:
            return ""
        return f"--network {self.network}" if docker else "hostNetwork: true"

    @property
    def plugged(self) -> bool:
        """Whether it has an interface of its own into its node's network (a veth to docker0, cni0 or a Calico
        route): not a pod on the host's network (hostNetwork, Docker's host mode), nor none, nor container:X."""
        return self.network not in ("host", "none") and self.joined is None

    @property
    def several(self) -> bool:
        """Whether it has several containers, and so a process for each and a sandbox (compile/workloads)."""
        return len(self.containers) > 1

    @property
    def replica_set(self) -> str:
        return f"{self.deployment}-{self.template}" if self.deployment else ""


@dataclass(frozen=True)
class Deployment:
    """A workload controller (features/deployments): a Deployment, whose pods are its current ReplicaSet's; or a
    StatefulSet, DaemonSet or bare ReplicaSet (`kind`)."""

    name: str
    namespace: str
    replicas: int
    labels: tuple[tuple[str, str], ...]  # the pod template's
    serve: tuple[Serve, ...]
    version: str | None
    node: str | None  # every replica on this node, else spread over them all
    max_surge: int  # in pods, resolved against the replicas
    max_unavailable: int
    template_hash: str
    workload: str = "echo"
    dns_policy: str = "ClusterFirst"
    kind: str = "Deployment"
    service_name: str = ""  # a StatefulSet's headless Service, under which each pod has its DNS name
    containers: tuple[Container, ...] = ()  # the template's, when it has several

    @property
    def replica_set(self) -> str:
        """A Deployment's current ReplicaSet; a StatefulSet's or DaemonSet's current ControllerRevision."""
        if self.kind == "ReplicaSet":
            return self.name
        return f"{self.name}-{self.template_hash}"


@dataclass(frozen=True)
class InternetHost:
    name: str
    ip: IPv4Interface
    serve: tuple[Serve, ...]
    role: str = ""  # "dns": the internet's name server (features/dns), not one of the file's hosts


@dataclass(frozen=True)
class ServicePort:
    name: str
    port: int
    target_port: int  # 0 when it is named
    protocol: Protocol
    node_port: int | None
    target_name: str = ""  # targetPort by name: each pod's container port of that name and protocol

    @property
    def target(self) -> str:
        """The target port as the Service wrote it: a number or a name."""
        return self.target_name or str(self.target_port)

    def target_on(self, pod: Pod) -> int | None:
        """The port this Service port reaches on a pod; for a name, the pod's container port of that name and
        protocol, or None when it has none (the endpoints controller leaves such a pod out: FindPort)."""
        if not self.target_name:
            return self.target_port
        return next((s.port for s in pod.serve if s.name == self.target_name and s.kind.transport == self.protocol),
                    None)


@dataclass(frozen=True)
class EndpointSubset:
    """One subset of an Endpoints object written by hand, for a Service without a selector: these addresses on
    these ports (each port matched to a Service port by name, as kube-proxy matches them)."""

    addresses: tuple[IPv4Address, ...]
    ports: tuple[tuple[str, int, Protocol], ...]  # (name, port, protocol)


@dataclass(frozen=True)
class Service:
    name: str
    namespace: str
    type: str  # ClusterIP | NodePort | ExternalName
    cluster_ip: IPv4Address | None  # None for a headless service
    selector: tuple[tuple[str, str], ...]
    ports: tuple[ServicePort, ...]
    session_affinity: str  # None | ClientIP
    affinity_timeout: int
    external_traffic_policy: str  # Cluster | Local
    external_name: str | None = None  # type ExternalName: the DNS name it stands for (a CNAME; no proxy)
    # Addresses the cluster's admin routes to the nodes: kube-proxy captures traffic to them, nothing more
    external_ips: tuple[IPv4Address, ...] = ()
    # A LoadBalancer with externalTrafficPolicy Local: where kube-proxy tells a load balancer whether this node
    # has an endpoint (HTTP 200) or not (503), so that it sends only to nodes that do
    health_check_node_port: int | None = None
    load_balancer_ip: IPv4Address | None = None  # spec.loadBalancerIP: the address asked of the load balancer
    # spec.loadBalancerSourceRanges: the only clients kube-proxy lets reach the load balancer's addresses
    load_balancer_source_ranges: tuple[IPv4Network, ...] = ()
    # status.loadBalancer.ingress: what the load balancer gave it (MetalLB's controller), none while <pending>
    ingress_ips: tuple[IPv4Address, ...] = ()
    # why it has none: the load balancer's warning event (kubectl describe's Events), e.g. AllocationFailed
    load_balancer_event: str = ""
    # a Service without a selector: the endpoints someone wrote for it (an Endpoints object or EndpointSlices)
    subsets: tuple[EndpointSubset, ...] = ()

    @property
    def external_ip_text(self) -> str | None:
        """kubectl's EXTERNAL-IP column (getServiceExternalIP): a LoadBalancer's ingress addresses, then the external
        IPs; <pending> for a LoadBalancer with neither; None where it says <none>."""
        shown = [*(self.ingress_ips if self.type == "LoadBalancer" else ()), *self.external_ips]
        if shown:
            return ",".join(map(str, shown))
        return "<pending>" if self.type == "LoadBalancer" else None

    def selects(self, pod: Pod) -> bool:
        """The endpoints controller's rule: same namespace, and every selector label on the pod."""
        return bool(self.selector) and pod.namespace == self.namespace and set(self.selector) <= set(pod.labels)


@dataclass(frozen=True)
class Endpoint:
    """One pod behind one service port, as an EndpointSlice lists it (netlab's pods are always ready); or an address
    written in an Endpoints object, when pod and node are "" (outside the cluster)."""

    pod: str
    node: str
    ip: IPv4Address
    port: int

    def __str__(self) -> str:
        return self.address

    @cached_property
    def address(self) -> str:
        """ip:port (kept: a Service's rules name each endpoint several times)."""
        return f"{self.ip}:{self.port}"


@dataclass(frozen=True)
class Expectation:
    reachable: bool
    source_seen: str | None  # "self", "node", or an address the far end must see
    answer: tuple[str, ...] | None = None  # a dns probe: the records' data, in any order
    rcode: str | None = None  # a dns probe: NOERROR, NXDOMAIN…
    status: int | None = None  # an http probe: the response's status code (404 from an ingress's default backend)
    served_by: tuple[str, ...] = ()  # an http probe: the echo servers (pods, hosts) one of which must answer


@dataclass(frozen=True)
class Probe:
    name: str
    source: str
    target: str  # a pod, host, node or service name, an address, or a DNS name the source resolves
    port: int | None
    protocol: str  # icmp | tcp | udp | http | dns
    expect: Expectation
    size: int | None = None  # icmp only: the IP packet's size in bytes, sent without DF (an MTU test)
    query: str | None = None  # dns only: the query type (A, SRV, PTR…)
    host: str | None = None  # http only: the Host header (an ingress routes by it); default: the target
    path: str = "/"  # http only: the path asked for


@dataclass(frozen=True)
class Command:
    """A command an exercise runs in one of the lab's namespaces: argv, never a shell."""

    where: str  # the namespace: a pod, node or internet host, or "underlay" / "internet"
    argv: tuple[str, ...]

    def __str__(self) -> str:
        return " ".join(self.argv)


@dataclass(frozen=True)
class BgpRestart:
    """A break that restarts a Calico node's BGP sessions (`birdc restart`), as restarting calico-node does: its
    peers drop what it told them at once (it says goodbye with a Cease, so graceful restart does not apply), and
    the node connects again — if nothing is in the way."""

    node: str

    def __str__(self) -> str:
        return f"restart BIRD's sessions on {self.node}"


@dataclass(frozen=True)
class Check:
    """One thing `netlab check` grades: a declared probe meets its expectation, or a command's output has
    (or lacks) a text, as whole words: `:80` is not found in `:8080`.

    A guard checks something the fault leaves working ("… still works"): it passes on the broken lab too,
    and catches a fix that breaks something else."""

    name: str
    hint: str | None
    probe: str | None = None  # the name of a probe the lab declares
    command: Command | None = None
    contains: str | None = None
    absent: str | None = None
    guard: bool = False
    bgp: tuple[str, str] | None = None  # (node, peer node): that node's BGP session with the peer is Established


@dataclass(frozen=True)
class Edit:
    """A solution step that changes the lab's file and rebuilds the lab (a fix that lives in the YAML, as a
    Service's selector does in Kubernetes)."""

    replace: str
    with_text: str


@dataclass(frozen=True)
class Exercise:
    title: str
    task: str
    hints: tuple[str, ...]
    breaks: tuple[Command | BgpRestart, ...]  # run at the end of `up`: how the lab is broken
    checks: tuple[Check, ...]
    solution: tuple[Command | Edit, ...]


@dataclass(frozen=True)
class Cluster:
    cni: str  # a key of netlab.features.CNIS
    proxy: str  # a kube-proxy mode (netlab.features.PROXY_MODES), or "none"
    pod_cidr: IPv4Network
    service_cidr: IPv4Network
    node_subnet_len: int
    iptables_backend: str | None = None  # nft | legacy; None: whatever the host's `iptables` is
    dns: str = "none"  # kube-dns | upstream | none (features/dns)
    network_policy: str = "none"  # kube-router | none: what enforces NetworkPolicy (features/netpol)
    domain: str = "cluster.local"  # the cluster's DNS domain (kubelet's --cluster-domain)
    calico: CalicoConfig | None = None  # cluster.cni calico: its pool, IPAM and BGP (features/calico)
    load_balancer: LoadBalancerConfig | None = None  # who gives LoadBalancer Services addresses (features/metallb)
    ipvs_strict_arp: bool = False  # kube-proxy's ipvs.strictARP: arp_ignore 1, arp_announce 2 (MetalLB needs it)
    ingress: IngressController | None = None  # the ingress controller serving `ingresses` (features/ingress)
    docker_layout: str = "current"  # which dockerd's rules a Docker host has: current (29), 28, classic (≤27)
    docker_networks: tuple[DockerNetwork, ...] = ()  # user-defined bridge networks, in the order they were created

    @property
    def iptables(self) -> str:
        """The RuleSet tool every iptables payload of the lab is loaded with (one backend per node, as on a
        real one: rules loaded by the other would be a second, separate set of tables)."""
        return f"iptables-{self.iptables_backend}" if self.iptables_backend else "iptables"


@dataclass(frozen=True)
class Underlay:
    subnet: IPv4Network
    gateway: IPv4Interface  # the internet router's address on the underlay
    mtu: int
    # Further segments behind the router (racks, each its own switch and subnet), with the router's address on
    # each: nodes on different segments reach each other through the router, as across a routed fabric.
    more: tuple[IPv4Interface, ...] = ()

    @property
    def segments(self) -> tuple[IPv4Interface, ...]:
        """The router's address on each segment; its network is the segment's subnet."""
        return (self.gateway, *self.more)

    def segment_of(self, ip: IPv4Address) -> int:
        """The index of the segment holding `ip` (a node's address)."""
        return next((i for i, gw in enumerate(self.segments) if ip in gw.network), 0)


@dataclass(frozen=True)
class Internet:
    subnet: IPv4Network
    gateway: IPv4Interface  # the internet router's address towards the hosts
    hosts: tuple[InternetHost, ...]


@dataclass(frozen=True)
class Topology:
    name: str
    cluster: Cluster
    underlay: Underlay
    internet: Internet
    nodes: tuple[Node, ...]
    pods: tuple[Pod, ...]
    services: tuple[Service, ...]
    probes: tuple[Probe, ...]
    exercise: Exercise | None = None
    deployments: tuple[Deployment, ...] = ()
    namespaces: tuple[Namespace, ...] = ()  # every namespace the lab uses, with its labels
    policies: tuple[NetworkPolicy, ...] = ()
    ingresses: tuple[Ingress, ...] = ()
    # What its Kubernetes manifests ask that netlab does not model (images, volumes…), each said once
    notes: tuple[str, ...] = field(default=(), compare=False)

    def node(self, name: str) -> Node:
        return next(n for n in self.nodes if n.name == name)

    def home_of(self, name: str) -> str:
        """The member whose network namespace `name` runs in: a container in host mode, its node; one that joined
        another's (container:X), X's; anything else, itself."""
        for _ in range(len(self.pods) + 1):
            pod = self._pods_by_name.get(name)
            if pod is None or pod.own_namespace:
                return name
            name = pod.node if pod.network == "host" else pod.joined or name
        return name

    @cached_property
    def _pods_by_name(self) -> dict[str, Pod]:
        return {p.name: p for p in self.pods}

    def address_of(self, name: str) -> str | None:
        """The address a client uses for a pod, internet host, node or service (its ClusterIP); None for
        anything else (a headless service, an unknown name)."""
        for pod in self.pods:
            if pod.name == name:
                return None if pod.network == "none" else str(pod.ip.ip)
        for host in self.internet.hosts:
            if host.name == name:
                return str(host.ip.ip)
        for node in self.nodes:
            if node.name == name:
                return str(node.ip)
        for svc in self.services:
            if svc.name == name and svc.cluster_ip is not None:
                return str(svc.cluster_ip)
        return None

    def pods_on(self, node: str) -> tuple[Pod, ...]:
        return self._pods_by_node.get(node, ())

    def plugged_pods_on(self, node: str) -> tuple[Pod, ...]:
        """The pods of `node` the pod network wires (a CNI, Docker's bridge), policies guard and felix knows: not
        those on the host's network."""
        return tuple(p for p in self.pods_on(node) if p.plugged)

    @cached_property
    def plugged_pods(self) -> tuple[Pod, ...]:
        """Every pod with an interface of its own: the ones NetworkPolicy selects and counts as peers, and whose
        address is a pod's (a pod on its node's network has the node's)."""
        return tuple(p for p in self.pods if p.plugged)

    @cached_property
    def _pods_by_node(self) -> dict[str, tuple[Pod, ...]]:
        grouped: dict[str, list[Pod]] = {}
        for pod in self.pods:
            grouped.setdefault(pod.node, []).append(pod)
        return {node: tuple(pods) for node, pods in grouped.items()}

    def endpoints(self, service: Service, port: ServicePort) -> tuple[Endpoint, ...]:
        """The endpoints of one service port in kube-proxy's order: "ip:port" compared as text, so
        10.244.0.10:80 comes before 10.244.0.2:80 (endpointslicecache.go sorts them byEndpoint)."""
        if service.subsets:
            return self._written_endpoints(service, port)
        selected = [Endpoint(p.name, p.node, p.ip.ip, target) for p in self.selected(service)
                    if (target := port.target_on(p)) is not None]
        return tuple(sorted(selected, key=str))

    def _written_endpoints(self, service: Service, port: ServicePort) -> tuple[Endpoint, ...]:
        """Endpoints written for a Service without a selector: each subset's addresses on its port of the Service
        port's name and protocol. An address of a pod names the pod (and its node); any other is outside the
        cluster, as a database a Service stands in front of."""
        by_ip = {p.ip.ip: p for p in self.plugged_pods}
        found = []
        for subset in service.subsets:
            for name, number, protocol in subset.ports:
                if (name, protocol) != (port.name, port.protocol):
                    continue
                for ip in subset.addresses:
                    pod = by_ip.get(ip)
                    found.append(Endpoint(pod.name if pod else "", pod.node if pod else "", ip, number))
        return tuple(sorted(set(found), key=str))

    def selected(self, service: Service) -> tuple[Pod, ...]:
        """The pods a Service selects, looked up by their first selector label (a lab may have thousands)."""
        if not service.selector:
            return ()
        first = self._pods_by_label.get((service.namespace, *service.selector[0]), ())
        return tuple(p for p in first if service.selects(p))

    @cached_property
    def _pods_by_label(self) -> dict[tuple[str, str, str], list[Pod]]:
        found: dict[tuple[str, str, str], list[Pod]] = {}
        for pod in self.pods:
            for key, value in pod.labels:
                found.setdefault((pod.namespace, key, value), []).append(pod)
        return found
