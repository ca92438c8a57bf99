"""kube-proxy's nftables mode: one `table ip kube-proxy` per node, driven by sets and verdict maps
(kubernetes-dataplane.md §3; the layout of pkg/proxy/nftables' baseRules and TestOverallNFTablesRules).

How a packet to a Service meets it: nat-prerouting / nat-output jump to `services`, whose one rule looks
up `daddr . l4proto . dport` in the verdict map @service-ips — one hash lookup however many services there
are, where iptables mode walks KUBE-SERVICES rule by rule. The element sends it to service-<hash>-<name>,
which marks off-cluster sources for masquerading and picks an endpoint with `numgen random mod N vmap`;
endpoint-<hash>-<name> DNATs. NodePorts go through @service-nodeports to external-<hash>-<name>. A port
with no endpoints is in @no-endpoint-services (or -nodeports) and goes to reject-chain before DNAT would.
"""

from __future__ import annotations

from netlab.features.kube_proxy.service_ports import MASQUERADE_MARK, ServicePortInfo
from netlab.plan import RuleSet, Step
from netlab.topology.model import Endpoint, Node, Topology

TABLE = "ip kube-proxy"

BASE_SETS = (
    "add set {t} cluster-ips {{ type ipv4_addr ; comment \"Active ClusterIPs\" ; }}",
    "add set {t} nodeport-ips {{ type ipv4_addr ; comment \"IPs that accept NodePort traffic\" ; }}",
    "add map {t} firewall-ips {{ type ipv4_addr . inet_proto . inet_service : verdict ; "
    "comment \"destinations that are subject to LoadBalancerSourceRanges\" ; }}",
    "add map {t} no-endpoint-nodeports {{ type inet_proto . inet_service : verdict ; "
    "comment \"vmap to drop or reject packets to service nodeports with no endpoints\" ; }}",
    "add map {t} no-endpoint-services {{ type ipv4_addr . inet_proto . inet_service : verdict ; "
    "comment \"vmap to drop or reject packets to services with no endpoints\" ; }}",
    "add map {t} service-ips {{ type ipv4_addr . inet_proto . inet_service : verdict ; "
    "comment \"ClusterIP, ExternalIP and LoadBalancer IP traffic\" ; }}",
    "add map {t} service-nodeports {{ type inet_proto . inet_service : verdict ; comment \"NodePort traffic\" ; }}",
)
BASE_CHAINS = (
    "cluster-ips-check",
    "filter-prerouting-pre-dnat { type filter hook prerouting priority -110 ; }",
    "filter-output-pre-dnat { type filter hook output priority -110 ; }",
    "filter-forward { type filter hook forward priority 0 ; }",
    "filter-input { type filter hook input priority 0 ; }",
    "filter-output { type filter hook output priority 0 ; }",
    "firewall-check",
    "mark-for-masquerade",
    "masquerading",
    "nat-output { type nat hook output priority -100 ; }",
    "nat-postrouting { type nat hook postrouting priority 100 ; }",
    "nat-prerouting { type nat hook prerouting priority -100 ; }",
    "nodeport-endpoints-check",
    "reject-chain { comment \"helper for @no-endpoint-services / @no-endpoint-nodeports\" ; }",
    "services",
    "service-endpoints-check",
)


def base_rules(service_cidr: str) -> list[tuple[str, str]]:
    return [
        ("cluster-ips-check", 'ip daddr @cluster-ips reject comment "Reject traffic to invalid ports of ClusterIPs"'),
        ("cluster-ips-check", f'ip daddr {{ {service_cidr} }} drop comment "Drop traffic to unallocated ClusterIPs"'),
        ("filter-prerouting-pre-dnat", "ct state new jump firewall-check"),
        ("filter-forward", "ct state new jump service-endpoints-check"),
        ("filter-forward", "ct state new jump cluster-ips-check"),
        ("filter-input", "ct state new jump nodeport-endpoints-check"),
        ("filter-input", "ct state new jump service-endpoints-check"),
        ("filter-output", "ct state new jump service-endpoints-check"),
        ("filter-output-pre-dnat", "ct state new jump firewall-check"),
        ("filter-output", "ct state new jump cluster-ips-check"),
        ("firewall-check", "ip daddr . meta l4proto . th dport vmap @firewall-ips"),
        ("mark-for-masquerade", f"mark set mark or {MASQUERADE_MARK}"),
        ("masquerading", f"mark and {MASQUERADE_MARK} == 0 return"),
        ("masquerading", f"mark set mark xor {MASQUERADE_MARK}"),
        ("masquerading", "masquerade fully-random"),
        ("nat-output", "jump services"),
        ("nat-postrouting", "jump masquerading"),
        ("nat-prerouting", "jump services"),
        ("nodeport-endpoints-check", "ip daddr @nodeport-ips meta l4proto . th dport vmap @no-endpoint-nodeports"),
        ("reject-chain", "reject"),
        ("services", "ip daddr . meta l4proto . th dport vmap @service-ips"),
        ("services", "ip daddr @nodeport-ips meta l4proto . th dport vmap @service-nodeports"),
        ("service-endpoints-check", "ip daddr . meta l4proto . th dport vmap @no-endpoint-services"),
    ]


class Transaction:
    """An `nft -f` transaction: definitions first (a rule may only name a chain or set that exists)."""

    def __init__(self) -> None:
        self.definitions: list[str] = [f'add table {TABLE} {{ comment "rules for kube-proxy" ; }}']
        self.rules: list[str] = []
        self.elements: list[str] = []

    def chain(self, spec: str) -> None:
        self.definitions.append(f"add chain {TABLE} {spec}")

    def rule(self, chain: str, rule: str) -> None:
        self.rules.append(f"add rule {TABLE} {chain} {rule}")

    def element(self, name: str, element: str) -> None:
        self.elements.append(f"add element {TABLE} {name} {{ {element} }}")

    def payload(self) -> str:
        return "\n".join(self.definitions + self.rules + self.elements) + "\n"


def compile_services(t: Topology, ports: list[ServicePortInfo], node: Node, ns: str) -> list[Step]:
    tx = Transaction()
    tx.definitions += [line.format(t=TABLE) for line in BASE_SETS]
    for spec in BASE_CHAINS:
        tx.chain(spec)
    for chain, rule in base_rules(str(t.cluster.service_cidr)):
        tx.rule(chain, rule)
    # nodePortAddresses defaults to "primary" in nftables mode: NodePorts answer on the node's own IP only.
    tx.element("nodeport-ips", str(node.ip))
    for info in ports:
        service_port(info, node, str(t.cluster.pod_cidr), tx)
    # `nft -f` is one atomic transaction; netlab deletes the namespace (and the table with it) on `down`.
    return [RuleSet(ns, "nft", "kube-proxy", tx.payload())]


def service_port(info: ServicePortInfo, node: Node, cluster_cidr: str, tx: Transaction) -> None:
    p, port = info.protocol, info.port.port
    local = info.local_endpoints(node.name)
    tx.element("cluster-ips", str(info.cluster_ip))
    key = f"{info.cluster_ip} . {p} . {port}"
    # What outside traffic meets with nothing behind it: rejected with no endpoints, dropped with no local one.
    refused = "goto reject-chain" if not info.endpoints else "drop"
    if not info.endpoints or (info.external_local and not local):
        for ip in (*info.external_ips, *info.load_balancer_ips):
            tx.element("no-endpoint-services", f'{ip} . {p} . {port} comment "{info.name}" : {refused}')
    if info.load_balancer_ips and info.source_ranges:  # endpoints or not, unlike iptables mode
        firewall_chain(info, node, tx)
    if not info.endpoints:
        tx.element("no-endpoint-services", f'{key} comment "{info.name}" : goto reject-chain')
        if info.node_port is not None:
            tx.element("no-endpoint-nodeports", f'{p} . {info.node_port} comment "{info.name}" : goto reject-chain')
        return

    service, external, local_chain = info.nft_chain("service"), info.nft_chain("external"), info.nft_chain("local")
    if info.affinity:
        for ep in info.endpoints:
            tx.definitions.append(f"add set {TABLE} {affinity_set(info, ep)} "
                                  f"{{ type ipv4_addr ; flags dynamic,timeout ; "
                                  f"timeout {info.service.affinity_timeout}s ; }}")
    tx.chain(service)
    tx.rule(service, f"ip daddr {info.cluster_ip} ip saddr != {cluster_cidr} jump mark-for-masquerade")
    endpoint_choice(info, service, info.endpoints, tx)
    tx.element("service-ips", f"{key} : goto {service}")

    for ip in (*info.external_ips, *info.load_balancer_ips):  # captured like the ClusterIP, into the external chain
        tx.element("service-ips", f"{ip} . {p} . {port} : goto {external}")
    if info.externally_accessible:
        tx.chain(external)
        if not info.external_local:
            tx.rule(external, "jump mark-for-masquerade")
            tx.rule(external, f"goto {service}")
        else:
            tx.rule(external, f'ip saddr {cluster_cidr} goto {service} comment "short-circuit pod traffic"')
            tx.rule(external, 'fib saddr type local jump mark-for-masquerade comment "masquerade local traffic"')
            tx.rule(external, f'fib saddr type local goto {service} comment "short-circuit local traffic"')
            if local:
                tx.chain(local_chain)
                endpoint_choice(info, local_chain, local, tx)
                tx.rule(external, f"goto {local_chain}")
            elif info.node_port is not None:
                tx.element("no-endpoint-nodeports", f'{p} . {info.node_port} comment "{info.name}" : drop')
    if info.node_port is not None:
        tx.element("service-nodeports", f"{p} . {info.node_port} : goto {external}")

    for ep in info.endpoints:
        chain = info.nft_endpoint_chain(ep)
        tx.chain(chain)
        # A pod reaching itself through its Service: masquerade, or its reply would bypass the DNAT.
        tx.rule(chain, f"ip saddr {ep.ip} jump mark-for-masquerade")
        if info.affinity:
            tx.rule(chain, f"update @{affinity_set(info, ep)} {{ ip saddr }}")
        tx.rule(chain, f"meta l4proto {p} dnat to {ep}")


def firewall_chain(info: ServicePortInfo, node: Node, tx: Transaction) -> None:
    """loadBalancerSourceRanges, checked before DNAT (filter-prerouting-pre-dnat → firewall-check → @firewall-ips):
    a new connection to the address from a source not listed is dropped. The node itself may be one (its traffic
    to the address comes from the address, when the address is local)."""
    firewall = info.nft_chain("firewall")
    tx.chain(firewall)
    sources = [str(cidr) for cidr in info.source_ranges]
    if any(node.ip in cidr for cidr in info.source_ranges):
        sources += [str(ip) for ip in info.load_balancer_ips]
    tx.rule(firewall, f"ip saddr != {{ {' , '.join(sources)} }} drop")
    for ip in info.load_balancer_ips:
        tx.element("firewall-ips", f"{ip} . {info.protocol} . {info.port.port} : goto {firewall}")


def affinity_set(info: ServicePortInfo, ep: Endpoint) -> str:
    return "affinity-" + info.nft_endpoint_chain(ep).removeprefix("endpoint-")


def endpoint_choice(info: ServicePortInfo, chain: str, endpoints: tuple[Endpoint, ...], tx: Transaction) -> None:
    """Sticky clients first (ClientIP affinity), then one random pick: `numgen random mod N vmap {…}`."""
    if info.affinity:
        for ep in endpoints:
            tx.rule(chain, f"ip saddr @{affinity_set(info, ep)} goto {info.nft_endpoint_chain(ep)}")
    picks = " , ".join(f"{i} : goto {info.nft_endpoint_chain(ep)}" for i, ep in enumerate(endpoints))
    tx.rule(chain, f"numgen random mod {len(endpoints)} vmap {{ {picks} }}")
