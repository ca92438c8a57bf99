"""kube-proxy's iptables mode: the chains and rules `syncProxyRules` writes, per node (kubernetes-dataplane.md §1).

How a packet to a Service meets these rules, in the order the kernel walks them:
  nat PREROUTING (from a pod) / OUTPUT (from the node) → KUBE-SERVICES: one rule per ClusterIP:port jumps to
  KUBE-SVC-<hash>; its last rule sends anything addressed to the node itself to KUBE-NODEPORTS.
  KUBE-SVC-<hash>: marks off-cluster sources for masquerading (! -s podCIDR), then picks an endpoint with a
  cascade of `statistic --probability` rules (1/N, 1/(N-1), …, the last unconditional).
  KUBE-SEP-<hash>: marks the endpoint talking to itself (hairpin), then DNATs to <pod IP>:<targetPort>.
  KUBE-NODEPORTS → KUBE-EXT-<hash>: externalTrafficPolicy Cluster marks everything for masquerading and
  uses all endpoints; Local keeps the client's address and uses only this node's endpoints (KUBE-SVL-).
  nat POSTROUTING → KUBE-POSTROUTING: MASQUERADE what carries the 0x4000 mark.
  A port with no endpoints has no nat rules at all: filter KUBE-SERVICES REJECTs it.
The hooks are inserted at the top of the built-in chains (kube-proxy's EnsureRule(Prepend)), each one
above the previous, so a node shows them in the same order a real one does.
"""

from __future__ import annotations

from netlab.features.kube_proxy.service_ports import MASQUERADE_MARK, MASQUERADE_MARK_MATCH, ServicePortInfo
from netlab.plan import RuleSet, Step, Sysctl
from netlab.topology.model import Endpoint, Node, Topology


# (table, built-in chain, match, comment, target) in kube-proxy's iptablesJumpChains order, then kubelet's.
HOOKS = (
    ("filter", "INPUT", "-m conntrack --ctstate NEW", "kubernetes externally-visible service portals",
     "KUBE-EXTERNAL-SERVICES"),
    ("filter", "FORWARD", "-m conntrack --ctstate NEW", "kubernetes externally-visible service portals",
     "KUBE-EXTERNAL-SERVICES"),
    ("filter", "INPUT", "", "kubernetes health check service ports", "KUBE-NODEPORTS"),
    ("filter", "FORWARD", "-m conntrack --ctstate NEW", "kubernetes service portals", "KUBE-SERVICES"),
    ("filter", "OUTPUT", "-m conntrack --ctstate NEW", "kubernetes service portals", "KUBE-SERVICES"),
    ("filter", "FORWARD", "", "kubernetes forwarding rules", "KUBE-FORWARD"),
    ("filter", "INPUT", "-m conntrack --ctstate NEW", "kubernetes load balancer firewall", "KUBE-PROXY-FIREWALL"),
    ("filter", "OUTPUT", "-m conntrack --ctstate NEW", "kubernetes load balancer firewall", "KUBE-PROXY-FIREWALL"),
    ("filter", "FORWARD", "-m conntrack --ctstate NEW", "kubernetes load balancer firewall", "KUBE-PROXY-FIREWALL"),
    ("nat", "OUTPUT", "", "kubernetes service portals", "KUBE-SERVICES"),
    ("nat", "PREROUTING", "", "kubernetes service portals", "KUBE-SERVICES"),
    ("nat", "POSTROUTING", "", "kubernetes postrouting rules", "KUBE-POSTROUTING"),
    ("filter", "INPUT", "", "", "KUBE-FIREWALL"),
    ("filter", "OUTPUT", "", "", "KUBE-FIREWALL"),
)
NAT_CHAINS = ("KUBE-SERVICES", "KUBE-NODEPORTS", "KUBE-POSTROUTING", "KUBE-MARK-MASQ")
FILTER_CHAINS = ("KUBE-SERVICES", "KUBE-EXTERNAL-SERVICES", "KUBE-FORWARD", "KUBE-NODEPORTS", "KUBE-PROXY-FIREWALL",
                 "KUBE-FIREWALL")
# What every sync writes out in full, even a partial one (syncProxyRules): the top-level chains, whose rules
# name every Service. A Service's own chains are written only when it changed.
REWRITTEN = tuple(f"nat/{c}" for c in NAT_CHAINS) + tuple(f"filter/{c}" for c in FILTER_CHAINS)
# Empty chains kube-proxy keeps in each table only to notice when someone flushes its rules.
CANARY = "KUBE-PROXY-CANARY"


def compile_services(t: Topology, ports: list[ServicePortInfo], node: Node, ns: str) -> list[Step]:
    nat, filt = Rules("nat", NAT_CHAINS), Rules("filter", FILTER_CHAINS)
    static_rules(nat, filt)
    for info in ports:
        service_port(info, node, str(t.cluster.pod_cidr), nat, filt)
    accept_forwarded(filt, drop_invalid=True)
    nat.add("KUBE-SERVICES", '-m comment --comment "kubernetes service nodeports; NOTE: this must be the last rule '
            'in this chain" -m addrtype --dst-type LOCAL -j KUBE-NODEPORTS')
    canary = Rules("mangle", (CANARY,))
    for table in (canary, filt, nat):
        table.prepend_hooks(HOOKS)
    filt.chain(CANARY)
    nat.chain(CANARY)
    # One iptables-restore --noflush for all tables, filter before nat, as syncProxyRules writes it. (kube-proxy
    # inserts its hooks with `iptables -I` just before; here they are -I lines of the same payload.)
    payload = canary.payload() + filt.payload() + nat.payload()
    return [
        # localhost NodePorts (on by default): 127.0.0.1:<nodePort> may be DNATed to a pod.
        Sysctl(ns, "net.ipv4.conf.all.route_localnet", "1"),
        RuleSet(ns, t.cluster.iptables, "kube-proxy", payload, rewrite=REWRITTEN),
    ]


class Rules:
    """One table's iptables-restore payload: chain declarations, then rules in the order written."""

    def __init__(self, table: str, chains: tuple[str, ...]) -> None:
        self.table = table
        self.chains = dict.fromkeys(chains)  # a dict keeps declaration order and finds a name in O(1)
        self.lines: list[str] = []

    def chain(self, name: str) -> None:
        self.chains.setdefault(name)

    def add(self, chain: str, rule: str) -> None:
        self.lines.append(f"-A {chain} {rule}")

    def prepend_hooks(self, hooks: tuple[tuple[str, str, str, str, str], ...]) -> None:
        """kube-proxy's EnsureRule(Prepend) for this table's (table, built-in chain, match, comment, target)
        hooks: each goes to the top, so the last one listed ends up first."""
        lines = []
        for table, builtin, match, comment, target in hooks:
            if table == self.table:
                parts = [match, f'-m comment --comment "{comment}"' if comment else "", f"-j {target}"]
                lines.append(f"-I {builtin} 1 " + " ".join(p for p in parts if p))
        self.lines[:0] = lines

    def payload(self) -> str:
        declared = [f":{c} - [0:0]" for c in self.chains]
        return "\n".join([f"*{self.table}", *declared, *self.lines, "COMMIT", ""])


def postrouting_masquerade(nat: Rules) -> None:
    """The 0x4000 mark: set anywhere by KUBE-MARK-MASQ, acted on (and cleared) in KUBE-POSTROUTING."""
    nat.add("KUBE-POSTROUTING", f"-m mark ! --mark {MASQUERADE_MARK_MATCH} -j RETURN")
    nat.add("KUBE-POSTROUTING", f"-j MARK --xor-mark {MASQUERADE_MARK}")
    nat.add("KUBE-POSTROUTING",
            '-m comment --comment "kubernetes service traffic requiring SNAT" -j MASQUERADE --random-fully')
    nat.add("KUBE-MARK-MASQ", f"-j MARK --or-mark {MASQUERADE_MARK}")


def static_rules(nat: Rules, filt: Rules) -> None:
    postrouting_masquerade(nat)
    # Nothing from outside may reach 127.0.0.0/8 now that route_localnet is on (localhost NodePorts).
    filt.add("KUBE-FIREWALL", '-m comment --comment "block incoming localnet connections" -d 127.0.0.0/8 '
             "! -s 127.0.0.0/8 -m conntrack ! --ctstate RELATED,ESTABLISHED,DNAT -j DROP")


def accept_forwarded(filt: Rules, *, drop_invalid: bool) -> None:
    """KUBE-FORWARD: forwarded service traffic is accepted even where FORWARD's policy is DROP."""
    if drop_invalid:  # iptables mode only (and only while nf_conntrack_tcp_be_liberal is 0)
        filt.add("KUBE-FORWARD", "-m conntrack --ctstate INVALID -j DROP")
    filt.add("KUBE-FORWARD", '-m comment --comment "kubernetes forwarding rules" '
                             f"-m mark --mark {MASQUERADE_MARK_MATCH} -j ACCEPT")
    filt.add("KUBE-FORWARD", '-m comment --comment "kubernetes forwarding conntrack rule" '
             "-m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT")


def service_port(info: ServicePortInfo, node: Node, cluster_cidr: str, nat: Rules, filt: Rules) -> None:
    """One service port on one node, in the order syncProxyRules writes it."""
    sn, p = info.name, info.protocol
    proto = f"-m {p} -p {p}"
    dest = f"-d {info.cluster_ip} --dport {info.port.port}"
    local = info.local_endpoints(node.name)
    has_endpoints = bool(info.endpoints)
    external_endpoints = local if info.external_local else info.endpoints

    # What outside traffic meets with nothing behind it: REJECT with no endpoints at all, DROP with no local one
    # (externalTrafficPolicy Local), in filter, before any DNAT.
    verdict, why = ("REJECT", "has no endpoints") if not has_endpoints else ("DROP", "has no local endpoints")
    # Capture the ClusterIP, or refuse it when nothing is behind it.
    if has_endpoints:
        nat.add("KUBE-SERVICES", f'-m comment --comment "{sn} cluster IP" {proto} {dest} -j {info.svc_chain}')
    else:
        filt.add("KUBE-SERVICES", f'-m comment --comment "{sn} has no endpoints" {proto} {dest} -j REJECT')
    # Capture the external IPs: the external chain, as for a node port.
    for ip in info.external_ips:
        external = f"{proto} -d {ip} --dport {info.port.port}"
        if has_endpoints:
            nat.add("KUBE-SERVICES", f'-m comment --comment "{sn} external IP" {external} -j {info.ext_chain}')
        if not external_endpoints:
            filt.add("KUBE-EXTERNAL-SERVICES", f'-m comment --comment "{sn} {why}" {external} -j {verdict}')
    # Capture the load balancer's addresses: the external chain, or the firewall chain first if the Service
    # names the sources it accepts (whatever the firewall chain does not pass on, KUBE-PROXY-FIREWALL drops).
    for ip in info.load_balancer_ips:
        external = f"{proto} -d {ip} --dport {info.port.port}"
        if has_endpoints:
            target = info.fw_chain if info.uses_firewall else info.ext_chain
            nat.add("KUBE-SERVICES", f'-m comment --comment "{sn} loadbalancer IP" {external} -j {target}')
        if info.uses_firewall:
            filt.add("KUBE-PROXY-FIREWALL", f'-m comment --comment "{sn} traffic not accepted by {info.fw_chain}" '
                     f"{external} -j DROP")
    if not external_endpoints:
        for ip in info.load_balancer_ips:
            filt.add("KUBE-EXTERNAL-SERVICES", f'-m comment --comment "{sn} {why}" {proto} -d {ip} '
                     f"--dport {info.port.port} -j {verdict}")
    if info.node_port is not None:
        if has_endpoints:
            nat.add("KUBE-NODEPORTS", f'-m comment --comment {sn} {proto} --dport {info.node_port} '
                    f"-j {info.ext_chain}")
        if not external_endpoints:
            filt.add("KUBE-EXTERNAL-SERVICES", f'-m comment --comment "{sn} {why}" -m addrtype --dst-type LOCAL '
                     f"{proto} --dport {info.node_port} -j {verdict}")
    if info.service.health_check_node_port is not None:  # accepted whether or not this node has an endpoint
        filt.add("KUBE-NODEPORTS", f'-m comment --comment "{sn} health check node port" -m tcp -p tcp '
                 f"--dport {info.service.health_check_node_port} -j ACCEPT")
    if not has_endpoints:
        return

    uses_local_chain = info.externally_accessible and info.external_local and bool(local)
    for chain, used in ((info.ext_chain, info.externally_accessible), (info.fw_chain, info.uses_firewall),
                        (info.svc_chain, True), (info.svl_chain, uses_local_chain)):
        if used:
            nat.chain(chain)
    for ep in info.endpoints:
        nat.chain(info.sep_chain(ep))
    # Traffic from outside the pod network to a ClusterIP (e.g. from the node itself) gets masqueraded.
    nat.add(info.svc_chain, f'-m comment --comment "{sn} cluster IP" {proto} {dest} ! -s {cluster_cidr} '
            "-j KUBE-MARK-MASQ")
    if info.externally_accessible:
        external_chain(info, cluster_cidr, bool(local), nat)
    if info.uses_firewall:
        firewall_chain(info, node, nat)
    endpoint_choice(info, info.svc_chain, info.endpoints, nat)
    if uses_local_chain:
        endpoint_choice(info, info.svl_chain, local, nat)
    for ep in info.endpoints:
        endpoint_chain(info, ep, nat)


def external_chain(info: ServicePortInfo, cluster_cidr: str, has_local: bool, nat: Rules) -> None:
    sn, chain = info.name, info.ext_chain
    if not info.external_local:
        nat.add(chain, f'-m comment --comment "masquerade traffic for {sn} external destinations" -j KUBE-MARK-MASQ')
        nat.add(chain, f"-j {info.svc_chain}")
        return
    # Local: pods and the node itself still use every endpoint; outside clients only local ones, unmasqueraded.
    nat.add(chain, f'-m comment --comment "pod traffic for {sn} external destinations" -s {cluster_cidr} '
            f"-j {info.svc_chain}")
    nat.add(chain, f'-m comment --comment "masquerade LOCAL traffic for {sn} external destinations" '
            "-m addrtype --src-type LOCAL -j KUBE-MARK-MASQ")
    nat.add(chain, f'-m comment --comment "route LOCAL traffic for {sn} external destinations" '
            f"-m addrtype --src-type LOCAL -j {info.svc_chain}")
    if has_local:
        nat.add(chain, f"-j {info.svl_chain}")


def firewall_chain(info: ServicePortInfo, node: Node, nat: Rules) -> None:
    """KUBE-FW-: a load balancer's address, reached from an accepted source, goes on to the external chain; the
    node itself may be one (its traffic to the address comes from the address, when the address is local)."""
    sn, chain = info.name, info.fw_chain
    comment = f'-m comment --comment "{sn} loadbalancer IP"'
    for cidr in info.source_ranges:
        nat.add(chain, f"{comment} -s {cidr} -j {info.ext_chain}")
    if any(node.ip in cidr for cidr in info.source_ranges):
        for ip in info.load_balancer_ips:
            nat.add(chain, f"{comment} -s {ip} -j {info.ext_chain}")
    nat.add(chain, f'-m comment --comment "other traffic to {sn} will be dropped by KUBE-PROXY-FIREWALL"')


def endpoint_choice(info: ServicePortInfo, chain: str, endpoints: tuple[Endpoint, ...], nat: Rules) -> None:
    """Sticky endpoints first (ClientIP affinity), then the probability cascade: rule i of N matches 1/(N-i)."""
    if info.affinity:
        for ep in endpoints:
            sep = info.sep_chain(ep)
            nat.add(chain, f'-m comment --comment "{info.name} -> {ep}" -m recent --name {sep} --rcheck '
                    f"--seconds {info.service.affinity_timeout} --reap -j {sep}")
    n = len(endpoints)
    for i, ep in enumerate(endpoints):
        chance = f" -m statistic --mode random --probability {1 / (n - i):0.10f}" if i < n - 1 else ""
        nat.add(chain, f'-m comment --comment "{info.name} -> {ep}"{chance} -j {info.sep_chain(ep)}')


def endpoint_chain(info: ServicePortInfo, ep: Endpoint, nat: Rules) -> None:
    sep, p = info.sep_chain(ep), info.protocol
    # A pod reaching itself through its Service: masquerade, or its reply would bypass the DNAT.
    nat.add(sep, f"-m comment --comment {info.name} -s {ep.ip} -j KUBE-MARK-MASQ")
    sticky = f" -m recent --name {sep} --set" if info.affinity else ""
    nat.add(sep, f"-m comment --comment {info.name}{sticky} -m {p} -p {p} -j DNAT --to-destination {ep}")
