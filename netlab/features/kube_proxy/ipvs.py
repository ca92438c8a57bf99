"""kube-proxy's IPVS mode: kube-ipvs0, ipsets, IPVS virtual servers and the few iptables rules left
(kubernetes-dataplane.md §2).

How a packet to a Service travels here: every ClusterIP is an address on the dummy kube-ipvs0 (left
down), so the node treats it as its own; the packet reaches INPUT, where IPVS — not iptables — picks a
real server (round robin) and rewrites the destination (masquerading forwarding). There is no DNAT rule
at all. iptables only marks for masquerading, by matching ipsets (one rule for all services, instead of
one chain per service): KUBE-CLUSTER-IP for off-cluster clients of a ClusterIP, KUBE-NODE-PORT-* for
NodePorts, KUBE-LOOP-BACK for a pod that reached itself through its Service.
"""

from __future__ import annotations

from netlab import naming
from netlab.features.kube_proxy.iptables import Rules, accept_forwarded, postrouting_masquerade
from netlab.features.kube_proxy.service_ports import ServicePortInfo
from netlab.plan import Address, Dummy, LinkSet, RuleSet, Step, Sysctl
from netlab.topology.model import Endpoint, Node, Topology

DUMMY = "kube-ipvs0"
SCHEDULER = "rr"
# The ipsets kube-proxy creates: name → (type, the comment its iptables rule carries).
IPSETS = {
    "KUBE-LOOP-BACK": ("hash:ip,port,ip", "Kubernetes endpoints dst ip:port, source ip for solving hairpin purpose"),
    "KUBE-CLUSTER-IP": ("hash:ip,port", "Kubernetes service cluster ip + port for masquerade purpose"),
    "KUBE-EXTERNAL-IP": ("hash:ip,port", "Kubernetes service external ip + port for masquerade and filter purpose"),
    "KUBE-EXTERNAL-IP-LOCAL": ("hash:ip,port",
                               "Kubernetes service external ip + port with externalTrafficPolicy=local"),
    "KUBE-LOAD-BALANCER": ("hash:ip,port", "Kubernetes service lb portal"),
    "KUBE-LOAD-BALANCER-FW": ("hash:ip,port", "Kubernetes service load balancer ip + port for load balancer with "
                              "sourceRange"),
    "KUBE-LOAD-BALANCER-LOCAL": ("hash:ip,port", "Kubernetes service load balancer ip + port with "
                                 "externalTrafficPolicy=local"),
    "KUBE-LOAD-BALANCER-SOURCE-IP": ("hash:ip,port,ip", "Kubernetes service load balancer ip + port + source IP for "
                                     "packet filter purpose"),
    "KUBE-LOAD-BALANCER-SOURCE-CIDR": ("hash:ip,port,net", "Kubernetes service load balancer ip + port + source cidr "
                                       "for packet filter purpose"),
    "KUBE-NODE-PORT-TCP": ("bitmap:port", "Kubernetes nodeport TCP port for masquerade purpose"),
    "KUBE-NODE-PORT-LOCAL-TCP": ("bitmap:port", "Kubernetes nodeport TCP port with externalTrafficPolicy=local"),
    "KUBE-NODE-PORT-UDP": ("bitmap:port", "Kubernetes nodeport UDP port for masquerade purpose"),
    "KUBE-NODE-PORT-LOCAL-UDP": ("bitmap:port", "Kubernetes nodeport UDP port with externalTrafficPolicy=local"),
    "KUBE-NODE-PORT-SCTP-HASH": ("hash:ip,port", "Kubernetes nodeport SCTP port for masquerade purpose with type "
                                 "'hash ip:port'"),
    "KUBE-NODE-PORT-LOCAL-SCTP-HASH": ("hash:ip,port", "Kubernetes nodeport SCTP port with externalTrafficPolicy=local "
                                       "with type 'hash ip:port'"),
    "KUBE-HEALTH-CHECK-NODE-PORT": ("bitmap:port", "Kubernetes health check node port"),
    "KUBE-IPVS-IPS": ("hash:ip", "Addresses on the ipvs interface"),
}
# ipvs.strictARP (MetalLB requires it in IPVS mode): the node answers ARP only for an address of the interface
# asked (not for kube-ipvs0's), and names its own address of that interface as the sender of its requests.
STRICT_ARP = (("net.ipv4.conf.all.arp_ignore", "1"), ("net.ipv4.conf.all.arp_announce", "2"))
SYSCTLS = (  # NewProxier: IPVS must keep conntrack entries, or iptables' MASQUERADE never sees the packets
    ("net.ipv4.vs.conntrack", "1"),
    ("net.ipv4.vs.expire_nodest_conn", "1"),
    ("net.ipv4.vs.expire_quiescent_template", "1"),
    ("net.ipv4.ip_forward", "1"),
)
NAT_CHAINS = ("KUBE-SERVICES", "KUBE-POSTROUTING", "KUBE-NODE-PORT", "KUBE-LOAD-BALANCER", "KUBE-MARK-MASQ")
FILTER_CHAINS = ("KUBE-FORWARD", "KUBE-NODE-PORT", "KUBE-PROXY-FIREWALL", "KUBE-SOURCE-RANGES-FIREWALL",
                 "KUBE-IPVS-FILTER", "KUBE-IPVS-OUT-FILTER")
REWRITTEN = tuple(f"nat/{c}" for c in NAT_CHAINS) + tuple(f"filter/{c}" for c in FILTER_CHAINS)  # every sync
# (table, built-in chain, match, comment, target), prepended in this order (iptablesJumpChain in proxier.go).
HOOKS = (
    ("nat", "OUTPUT", "", "kubernetes service portals", "KUBE-SERVICES"),
    ("nat", "PREROUTING", "", "kubernetes service portals", "KUBE-SERVICES"),
    ("nat", "POSTROUTING", "", "kubernetes postrouting rules", "KUBE-POSTROUTING"),
    ("filter", "FORWARD", "", "kubernetes forwarding rules", "KUBE-FORWARD"),
    ("filter", "INPUT", "", "kubernetes health check rules", "KUBE-NODE-PORT"),
    ("filter", "INPUT", "", "kube-proxy firewall rules", "KUBE-PROXY-FIREWALL"),
    ("filter", "FORWARD", "", "kube-proxy firewall rules", "KUBE-PROXY-FIREWALL"),
    ("filter", "INPUT", "", "kubernetes ipvs access filter", "KUBE-IPVS-FILTER"),
    ("filter", "OUTPUT", "", "kubernetes ipvs access filter", "KUBE-IPVS-OUT-FILTER"),
)


def compile_services(t: Topology, ports: list[ServicePortInfo], node: Node, ns: str) -> list[Step]:
    members = ipset_members(ports, node)
    # Never brought up: its addresses only make the ClusterIPs local, so packets reach IPVS in INPUT.
    steps: list[Step] = [Dummy(ns, DUMMY), LinkSet(ns, DUMMY, alias=naming.alias(t.name), up=False)]
    steps += [Address(ns, DUMMY, f"{ip}/32") for ip in members["KUBE-IPVS-IPS"]]
    steps += [Sysctl(ns, key, value) for key, value in SYSCTLS]
    if t.cluster.ipvs_strict_arp:  # --ipvs-strict-arp: answer ARP only for addresses on the asking interface
        steps += [Sysctl(ns, key, value) for key, value in STRICT_ARP]
    steps.append(RuleSet(ns, "ipset", "kube-proxy", ipset_payload(members)))
    addresses = [str(a) for a in node.addresses]
    steps.append(RuleSet(ns, "ipvsadm", "kube-proxy", ipvs_payload(ports, addresses, node)))
    nat, filt = iptables_rules(members, str(t.cluster.pod_cidr), no_node_access(ports, node))
    # One restore, nat before filter (the other way round from iptables mode, as the IPVS proxier writes it).
    steps.append(RuleSet(ns, t.cluster.iptables, "kube-proxy", nat.payload() + filt.payload(), rewrite=REWRITTEN))
    return steps


def ipset_members(ports: list[ServicePortInfo], node: Node) -> dict[str, list[str]]:
    members: dict[str, list[str]] = {name: [] for name in IPSETS}
    for info in ports:
        p = info.protocol
        members["KUBE-CLUSTER-IP"].append(f"{info.cluster_ip},{p}:{info.port.port}")
        for ep in info.local_endpoints(node.name):  # a local pod that may call itself through the VIP
            members["KUBE-LOOP-BACK"].append(f"{ep.ip},{p}:{ep.port},{ep.ip}")
        if info.node_port is not None:
            members[f"KUBE-NODE-PORT-{p.upper()}"].append(str(info.node_port))
            if info.external_local:
                members[f"KUBE-NODE-PORT-LOCAL-{p.upper()}"].append(str(info.node_port))
        if info.service.health_check_node_port is not None:
            members["KUBE-HEALTH-CHECK-NODE-PORT"].append(str(info.service.health_check_node_port))
        external = "KUBE-EXTERNAL-IP-LOCAL" if info.external_local else "KUBE-EXTERNAL-IP"
        members[external] += [f"{ip},{p}:{info.port.port}" for ip in info.external_ips]
        for ip in info.load_balancer_ips:
            entry = f"{ip},{p}:{info.port.port}"
            members["KUBE-LOAD-BALANCER"].append(entry)
            if info.external_local:
                members["KUBE-LOAD-BALANCER-LOCAL"].append(entry)
            if info.source_ranges:  # endpoints or not
                members["KUBE-LOAD-BALANCER-FW"].append(entry)
                members["KUBE-LOAD-BALANCER-SOURCE-CIDR"] += [f"{entry},{cidr}" for cidr in info.source_ranges]
                if any(node.ip in cidr for cidr in info.source_ranges):
                    members["KUBE-LOAD-BALANCER-SOURCE-IP"].append(f"{entry},{ip}")
    # Every ClusterIP, external IP and load balancer address is bound to kube-ipvs0, so that the node takes
    # packets for it in.
    members["KUBE-IPVS-IPS"] = [str(ip) for ip in sorted({info.cluster_ip for info in ports} |
                                                         {ip for info in ports for ip in info.external_ips} |
                                                         {ip for info in ports for ip in info.load_balancer_ips})]
    return {name: list(dict.fromkeys(entries)) for name, entries in members.items()}


def ipset_payload(members: dict[str, list[str]]) -> str:
    lines = []
    for name, (kind, _) in IPSETS.items():
        size = "range 0-65535" if kind.startswith("bitmap") else "family inet hashsize 1024 maxelem 65536"
        lines.append(f"create {name} {kind} {size}")
        lines += [f"add {name} {entry}" for entry in members[name]]
    return "\n".join(lines) + "\n"


def ipvs_payload(ports: list[ServicePortInfo], addresses: list[str], node: Node) -> str:
    """`ipvsadm -S -n` form: -A a virtual server (rr, -p for ClientIP affinity), -a a real server (-m = NAT).
    A NodePort gets a virtual server on every address of the node but kube-ipvs0's."""
    lines: list[str] = []

    def virtual_server(vip: str, port: int, info: ServicePortInfo, endpoints: tuple[Endpoint, ...]) -> None:
        flag = "-u" if info.protocol == "udp" else "-t"
        sticky = f" -p {info.service.affinity_timeout}" if info.affinity else ""
        lines.append(f"-A {flag} {vip}:{port} -s {SCHEDULER}{sticky}")
        lines.extend(f"-a {flag} {vip}:{port} -r {ep} -m -w 1" for ep in endpoints)

    for info in ports:
        virtual_server(str(info.cluster_ip), info.port.port, info, info.endpoints)
        outside = info.local_endpoints(node.name) if info.external_local else info.endpoints
        for ip in (*info.external_ips, *info.load_balancer_ips):
            virtual_server(str(ip), info.port.port, info, outside)
        if info.node_port is not None:
            for address in addresses:
                virtual_server(address, info.node_port, info, outside)
    return "\n".join(lines) + "\n"


def no_node_access(ports: list[ServicePortInfo], node: Node) -> list[tuple[str, str, int]]:
    """(address, protocol, port) of the load balancers whose source ranges leave this node out: the node itself is
    kept from reaching them (KUBE-IPVS-OUT-FILTER)."""
    return [(str(ip), info.protocol, info.port.port) for info in ports for ip in info.load_balancer_ips
            if info.source_ranges and not any(node.ip in cidr for cidr in info.source_ranges)]


def iptables_rules(members: dict[str, list[str]], cluster_cidr: str,
                   blocked: list[tuple[str, str, int]]) -> tuple[Rules, Rules]:
    """writeIptablesRules: one rule per non-empty ipset, never one per service."""
    nat, filt = Rules("nat", NAT_CHAINS), Rules("filter", FILTER_CHAINS)

    def about(name: str) -> str:
        return f'-m comment --comment "{IPSETS[name][1]}"'

    nat.add("KUBE-SERVICES", "-s 127.0.0.0/8 -j RETURN")  # no localhost NodePorts in IPVS mode
    if members["KUBE-LOOP-BACK"]:
        nat.add("KUBE-POSTROUTING", f"{about('KUBE-LOOP-BACK')} -m set --match-set KUBE-LOOP-BACK dst,dst,src "
                "-j MASQUERADE")
    # A load balancer's address: masqueraded (KUBE-LOAD-BALANCER), unless externalTrafficPolicy is Local.
    if members["KUBE-LOAD-BALANCER"]:
        nat.add("KUBE-SERVICES", f"{about('KUBE-LOAD-BALANCER')} -m set --match-set KUBE-LOAD-BALANCER dst,dst "
                "-j KUBE-LOAD-BALANCER")
    if members["KUBE-LOAD-BALANCER-LOCAL"]:
        nat.add("KUBE-LOAD-BALANCER", f"{about('KUBE-LOAD-BALANCER-LOCAL')} -m set --match-set "
                "KUBE-LOAD-BALANCER-LOCAL dst,dst -j RETURN")
    for p in ("tcp", "udp"):
        local, every = f"KUBE-NODE-PORT-LOCAL-{p.upper()}", f"KUBE-NODE-PORT-{p.upper()}"
        if members[local]:
            nat.add("KUBE-NODE-PORT", f"-p {p} {about(local)} -m set --match-set {local} dst -j RETURN")
        if members[every]:
            nat.add("KUBE-NODE-PORT", f"-p {p} {about(every)} -m set --match-set {every} dst -j KUBE-MARK-MASQ")
    if members["KUBE-CLUSTER-IP"]:
        nat.add("KUBE-SERVICES", f"{about('KUBE-CLUSTER-IP')} -m set --match-set KUBE-CLUSTER-IP dst,dst "
                f"! -s {cluster_cidr} -j KUBE-MARK-MASQ")
    # External IPs: masqueraded (unless externalTrafficPolicy is Local), and accepted from off the machine (not
    # from a bridge port, not from the node itself) or when the address happens to be local.
    for name in ("KUBE-EXTERNAL-IP", "KUBE-EXTERNAL-IP-LOCAL"):
        if members[name]:
            match = f"{about(name)} -m set --match-set {name} dst,dst"
            if name == "KUBE-EXTERNAL-IP":
                nat.add("KUBE-SERVICES", f"{match} -j KUBE-MARK-MASQ")
            nat.add("KUBE-SERVICES", f"{match} -m physdev ! --physdev-is-in -m addrtype ! --src-type LOCAL -j ACCEPT")
            nat.add("KUBE-SERVICES", f"{match} -m addrtype --dst-type LOCAL -j ACCEPT")
    nat.add("KUBE-SERVICES", "-m addrtype --dst-type LOCAL -j KUBE-NODE-PORT")
    nat.add("KUBE-LOAD-BALANCER", "-j KUBE-MARK-MASQ")
    for accepted in ("KUBE-CLUSTER-IP", "KUBE-LOAD-BALANCER"):
        if members[accepted]:
            nat.add("KUBE-SERVICES", f"-m set --match-set {accepted} dst,dst -j ACCEPT")
    postrouting_masquerade(nat)

    # loadBalancerSourceRanges: a new connection to such an address from a source not listed is dropped.
    if members["KUBE-LOAD-BALANCER-FW"]:
        filt.add("KUBE-PROXY-FIREWALL", f"{about('KUBE-LOAD-BALANCER-FW')} -m set --match-set KUBE-LOAD-BALANCER-FW "
                 "dst,dst -j KUBE-SOURCE-RANGES-FIREWALL")
    for allowed in ("KUBE-LOAD-BALANCER-SOURCE-CIDR", "KUBE-LOAD-BALANCER-SOURCE-IP"):
        if members[allowed]:
            filt.add("KUBE-SOURCE-RANGES-FIREWALL", f"{about(allowed)} -m set --match-set {allowed} dst,dst,src "
                     "-j RETURN")
    filt.add("KUBE-SOURCE-RANGES-FIREWALL", "-j DROP")
    for ip, proto, port in blocked:
        filt.add("KUBE-IPVS-OUT-FILTER", f"-s {ip} -m ipvs --vaddr {ip} --vproto {proto} --vport {port} -j DROP")
    accept_forwarded(filt, drop_invalid=False)
    filt.add("KUBE-NODE-PORT", f"{about('KUBE-HEALTH-CHECK-NODE-PORT')} -m set --match-set "
             "KUBE-HEALTH-CHECK-NODE-PORT dst -j ACCEPT")
    for name in ("KUBE-LOAD-BALANCER", "KUBE-CLUSTER-IP", "KUBE-EXTERNAL-IP", "KUBE-EXTERNAL-IP-LOCAL"):
        filt.add("KUBE-IPVS-FILTER", f"-m set --match-set {name} dst,dst -j RETURN")
    filt.add("KUBE-IPVS-FILTER", "-m set --match-set KUBE-HEALTH-CHECK-NODE-PORT dst -j RETURN")
    # Anything else addressed to a ClusterIP (a port no Service has) is refused, not answered by the node.
    filt.add("KUBE-IPVS-FILTER", "-m conntrack --ctstate NEW -m set --match-set KUBE-IPVS-IPS dst -j REJECT")
    for table in (nat, filt):
        table.prepend_hooks(HOOKS)
    return nat, filt
