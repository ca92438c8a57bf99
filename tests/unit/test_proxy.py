"""kube-proxy's modes, compiled (no root): names from the reference recipe, rule shapes of its §1–3."""

from __future__ import annotations

import pytest

from netlab.compile import compile_plan
from netlab.features.kube_proxy.conntrack import stale_udp_flows
from netlab.features.kube_proxy.service_ports import service_ports
from netlab.plan import Dummy, LinkSet, RuleSet
from netlab.topology import Topology, load_topology_text

LAB = """
name: p
cluster: {{cni: flannel-vxlan, proxy: {mode}}}
nodes: [{{name: node1}}, {{name: node2}}]
pods:
{pods}
services:
{services}
"""


def lab(mode: str = "iptables", pods: str = "", services: str = "") -> Topology:
    return load_topology_text(LAB.format(mode=mode, pods=pods or "  - {name: a, node: node1}",
                                         services=services or "  - {name: s, ports: [{port: 80}]}"))


def payload(t: Topology, node: str = "node1", tool: str = "iptables") -> str:
    return next(s.payload for s in compile_plan(t).steps
                if isinstance(s, RuleSet) and s.table == "kube-proxy" and s.tool == tool and s.netns.endswith(node))


def rules(text: str, chain: str) -> list[str]:
    return [line for line in text.splitlines() if line.startswith(f"-A {chain} ")]


def test_chain_names_follow_the_reference_recipe() -> None:
    t = load_topology_text("""
name: p
cluster: {cni: host-gw, podCIDR: 10.180.0.0/16, serviceCIDR: 172.30.0.0/16}
pods: [{name: e, namespace: ns1, ip: 10.180.0.2, labels: {a: b}}]
services: [{name: svc1, namespace: ns1, selector: {a: b}, ports: [{name: p80, port: 80}]}]
""")
    info = next(i for i in service_ports(t) if i.service.name == "svc1")
    assert info.name == "ns1/svc1:p80"
    assert info.svc_chain == "KUBE-SVC-XPGD46QRK7WJZT7O"  # kubernetes-dataplane.md §0.1
    assert info.nft_chain("service") == "service-ULMVA6XW-ns1/svc1/tcp/p80"


def test_an_unnamed_port_has_no_colon_in_its_name() -> None:
    assert [i.name for i in service_ports(lab()) if i.service.namespace == "default"] == ["default/s"]


def test_probability_cascade_for_three_endpoints_and_text_order() -> None:
    pods = "\n".join(f"  - {{name: w{i}, node: node1, ip: 10.244.0.{i}, labels: {{app: w}}}}" for i in (2, 10, 3))
    t = lab(pods=pods, services="  - {name: s, selector: {app: w}, ports: [{port: 80}]}")
    svc = service_ports(t)[0]
    assert [str(e) for e in svc.endpoints] == ["10.244.0.10:80", "10.244.0.2:80", "10.244.0.3:80"]
    chain = rules(payload(t), svc.svc_chain)[1:]
    assert ["--probability 0.3333333333" in chain[0], "--probability 0.5000000000" in chain[1],
            "statistic" in chain[2]] == [True, True, False]


def test_no_endpoints_means_no_nat_rules_only_a_reject() -> None:
    text = payload(lab(services="  - {name: s, type: NodePort, selector: {app: none}, ports: [{port: 80}]}"))
    nat = text.split("*nat")[1]
    assert "default/s" not in nat
    assert '-A KUBE-SERVICES -m comment --comment "default/s has no endpoints" -m tcp -p tcp -d 10.96.0.11 ' \
        "--dport 80 -j REJECT" in text
    assert '-m addrtype --dst-type LOCAL -m tcp -p tcp --dport 30000 -j REJECT' in text


def test_nodeport_tail_rule_is_last_and_hooks_are_prepended() -> None:
    text = payload(lab(pods="  - {name: a, node: node1, labels: {x: y}}",
                       services="  - {name: s, type: NodePort, selector: {x: y}, ports: [{port: 80}]}"))
    nat = text.split("*nat")[1]
    assert rules(nat, "KUBE-SERVICES")[-1].endswith("-m addrtype --dst-type LOCAL -j KUBE-NODEPORTS")
    assert "-I PREROUTING 1 -m comment --comment \"kubernetes service portals\" -j KUBE-SERVICES" in nat
    assert text.index("*filter") < text.index("*nat")  # syncProxyRules writes filter first


def test_etp_local_without_a_local_endpoint_has_no_final_jump_and_drops() -> None:
    t = lab(pods="  - {name: a, node: node1, labels: {x: y}}",
            services="  - {name: s, type: NodePort, externalTrafficPolicy: Local, selector: {x: y}, "
                     "ports: [{port: 80}]}")
    info = service_ports(t)[0]
    on_node1, on_node2 = payload(t, "node1"), payload(t, "node2")
    assert rules(on_node1, info.ext_chain)[-1] == f"-A {info.ext_chain} -j {info.svl_chain}"
    assert info.svl_chain not in on_node2 and len(rules(on_node2, info.ext_chain)) == 3
    assert '"default/s has no local endpoints" -m addrtype --dst-type LOCAL' in on_node2


def test_affinity_in_iptables_and_nftables() -> None:
    services = "  - {name: s, selector: {x: y}, sessionAffinity: ClientIP, sessionAffinityTimeout: 60, " \
               "ports: [{port: 80}]}"
    pods = "  - {name: a, node: node1, labels: {x: y}}"
    ipt = payload(lab(pods=pods, services=services))
    assert "--rcheck --seconds 60 --reap" in ipt and "-m recent --name KUBE-SEP-" in ipt and " --set " in ipt
    nft = payload(lab("nftables", pods, services), tool="nft")
    assert "flags dynamic,timeout ; timeout 60s" in nft and "update @affinity-" in nft


def test_nftables_dispatch_is_a_verdict_map_lookup() -> None:
    t = lab("nftables", "  - {name: a, node: node1, labels: {x: y}}",
            "  - {name: s, type: NodePort, selector: {x: y}, ports: [{port: 80, nodePort: 30080}]}")
    nft = payload(t, tool="nft")
    info = service_ports(t)[0]
    assert f"add element ip kube-proxy service-ips {{ 10.96.0.11 . tcp . 80 : goto {info.nft_chain('service')} }}" \
        in nft
    assert f"service-nodeports {{ tcp . 30080 : goto {info.nft_chain('external')} }}" in nft
    assert "add element ip kube-proxy nodeport-ips { 192.168.56.11 }" in nft
    # a definition never comes after a rule that names it
    assert max(i for i, line in enumerate(nft.splitlines()) if line.startswith(("add chain", "add set"))) < \
        min(i for i, line in enumerate(nft.splitlines()) if line.startswith("add rule"))


def test_ipvs_binds_cluster_ips_to_a_dummy_left_down_and_has_no_dnat() -> None:
    t = lab("ipvs", "  - {name: a, node: node1, labels: {x: y}}",
            "  - {name: s, type: NodePort, selector: {x: y}, ports: [{port: 80, nodePort: 30080}]}")
    steps = compile_plan(t).steps
    assert any(isinstance(s, Dummy) and s.name == "kube-ipvs0" for s in steps)
    assert any(isinstance(s, LinkSet) and s.name == "kube-ipvs0" and not s.up for s in steps)
    ipvs = payload(t, tool="ipvsadm")
    assert "-A -t 10.96.0.11:80 -s rr" in ipvs and "-a -t 10.96.0.11:80 -r 10.244.0.2:80 -m -w 1" in ipvs
    assert "-A -t 192.168.56.11:30080 -s rr" in ipvs  # a NodePort on each node address
    assert "DNAT" not in payload(t)
    sets = payload(t, tool="ipset")
    assert sets.count("create ") == 17 and "add KUBE-CLUSTER-IP 10.96.0.11,tcp:80" in sets


@pytest.mark.parametrize("mode", ["iptables", "nftables", "ipvs"])
def test_every_node_gets_the_rules(mode: str) -> None:
    plan = compile_plan(lab(mode))
    nodes = {s.netns for s in plan.steps if isinstance(s, RuleSet) and s.table == "kube-proxy"}
    assert nodes == {"netlab.p.node1", "netlab.p.node2"}


def test_conntrack_cleanup_follows_kube_proxy_udp_only_and_only_while_endpoints_remain() -> None:
    pods = ("  - {name: a, node: node1, labels: {app: d}}\n  - {name: b, node: node2, labels: {app: d}}\n"
            "  - {name: c, node: node1, labels: {app: d}}")
    services = ("  - {name: dns, type: NodePort, selector: {app: d}, ports: [{name: u, port: 53, protocol: UDP, "
                "nodePort: 30053}, {name: t, port: 53}]}")
    before = lab(pods=pods, services=services)
    a = next(p.ip.ip for p in before.pods if p.name == "a")
    after = load_topology_text(LAB.format(mode="iptables", pods=pods.replace("{name: a, node: node1, labels: "
                                                                             "{app: d}", "{name: a, node: node1"),
                                          services=services), previous=before)
    vip = next(str(s.cluster_ip) for s in before.services if s.name == "dns")
    filters = stale_udp_flows(before, after)
    assert {ns.rsplit(".", 1)[1] for ns, _ in filters} == {"node1", "node2"}  # conntrack is per node
    assert sorted({" ".join(argv) for _, argv in filters}) == sorted([
        f"conntrack -D -p udp --orig-dst {vip} --orig-port-dst 53 --reply-src {a}",
        f"conntrack -D -p udp --orig-port-dst 30053 --reply-src {a}"])  # and none for the TCP port
    assert stale_udp_flows(before, before) == []
    # All endpoints gone: nothing cleaned (upstream skips a Service without endpoints).
    none = load_topology_text(LAB.format(mode="iptables", pods="  - {name: z, node: node1}", services=services),
                              previous=before)
    assert stale_udp_flows(before, none) == []


# -- type LoadBalancer, with no provider --------------------------------------------------------------------

@pytest.mark.parametrize("mode", ["iptables", "nftables", "ipvs"])
def test_a_pending_loadbalancer_is_programmed_as_a_nodeport(mode: str) -> None:
    """kube-proxy writes rules for a load balancer's address only once a provider put it in the Service's status;
    until then a LoadBalancer Service is its ClusterIP and its node ports, rule for rule."""
    pods = "  - {name: a, node: node1, labels: {app: a}}"
    svc = "  - {{name: s, type: {type}, selector: {{app: a}}, ports: [{{port: 80}}]}}"
    balanced, plain = (compile_plan(lab(mode, pods, svc.format(type=kind))) for kind in ("LoadBalancer", "NodePort"))
    assert [s for s in balanced.steps if isinstance(s, RuleSet)] == [s for s in plain.steps if isinstance(s, RuleSet)]
    service = next(s for s in lab(mode, pods, svc.format(type="LoadBalancer")).services if s.name == "s")
    assert service.ports[0].node_port == 30000


def test_a_loadbalancer_may_do_without_node_ports() -> None:
    t = lab(services="  - {name: s, type: LoadBalancer, allocateLoadBalancerNodePorts: false, ports: [{port: 80}]}\n"
                     "  - {name: n, type: LoadBalancer, ports: [{port: 81, nodePort: 30081}]}")
    assert [p.node_port for s in t.services if s.name in ("s", "n") for p in s.ports] == [None, 30081]


# -- externalIPs ------------------------------------------------------------------------------------------

FIXTURE_NAMES = """
name: p
cluster: {cni: flannel-vxlan, proxy: MODE, dns: none}
nodes: [{name: node1}, {name: node2}]
pods:
  - {name: a, node: node1, namespace: ns4, labels: {app: a}}
  - {name: b, node: node2, namespace: ns2, labels: {app: b}}
services:
  - {name: svc4, namespace: ns4, selector: {app: a}, ports: [{name: p80, port: 80}], externalIPs: [192.168.99.33]}
  - {name: svc2, namespace: ns2, type: NodePort, externalTrafficPolicy: Local, selector: {app: b},
     ports: [{name: p80, port: 80}], externalIPs: [192.168.99.22]}
"""


def test_external_ip_rules_are_kube_proxys_own_expectation() -> None:
    """Lines of TestOverallIPTablesRules (pkg/proxy/iptables/proxier_test.go) for the fixture's ns4/svc4 (an
    external IP) and ns2/svc2 (an external IP, externalTrafficPolicy Local, no endpoint on this node)."""
    text = payload(load_topology_text(FIXTURE_NAMES.replace("MODE", "iptables")))
    for line in [
        '-A KUBE-SERVICES -m comment --comment "ns4/svc4:p80 external IP" -m tcp -p tcp -d 192.168.99.33 --dport 80 '
        "-j KUBE-EXT-4SW47YFZTEDKD3PK",
        '-A KUBE-EXT-4SW47YFZTEDKD3PK -m comment --comment "masquerade traffic for ns4/svc4:p80 external '
        'destinations" -j KUBE-MARK-MASQ',
        "-A KUBE-EXT-4SW47YFZTEDKD3PK -j KUBE-SVC-4SW47YFZTEDKD3PK",
        '-A KUBE-SERVICES -m comment --comment "ns2/svc2:p80 external IP" -m tcp -p tcp -d 192.168.99.22 --dport 80 '
        "-j KUBE-EXT-GNZBNJ2PO5MGZ6GT",
        '-A KUBE-EXTERNAL-SERVICES -m comment --comment "ns2/svc2:p80 has no local endpoints" -m tcp -p tcp '
        "-d 192.168.99.22 --dport 80 -j DROP",
    ]:
        assert line in text.splitlines(), line


def test_external_ips_in_nftables_mode_are_service_ips_elements() -> None:
    text = payload(load_topology_text(FIXTURE_NAMES.replace("MODE", "nftables")), tool="nft")
    assert "add element ip kube-proxy service-ips { 192.168.99.33 . tcp . 80 : goto external-" in text
    assert 'add element ip kube-proxy no-endpoint-services { 192.168.99.22 . tcp . 80 comment "ns2/svc2:p80" : ' \
           "drop }" in text
    none = load_topology_text(FIXTURE_NAMES.replace("MODE", "nftables").replace("selector: {app: a}",
                                                                                  "selector: {app: z}"))
    assert 'no-endpoint-services { 192.168.99.33 . tcp . 80 comment "ns4/svc4:p80" : goto reject-chain }' in \
        payload(none, tool="nft")


def test_external_ips_in_ipvs_mode_are_virtual_servers_bound_to_kube_ipvs0() -> None:
    t = load_topology_text(FIXTURE_NAMES.replace("MODE", "ipvs"))
    plan = compile_plan(t)
    ipsets = payload(t, tool="ipset")
    assert "add KUBE-EXTERNAL-IP 192.168.99.33,tcp:80" in ipsets
    assert "add KUBE-EXTERNAL-IP-LOCAL 192.168.99.22,tcp:80" in ipsets
    assert "-A -t 192.168.99.33:80 -s rr" in payload(t, tool="ipvsadm")
    bound = {s.cidr for s in plan.steps if getattr(s, "dev", "") == "kube-ipvs0" and hasattr(s, "cidr")
             and s.netns.endswith("node1")}
    assert {"192.168.99.33/32", "192.168.99.22/32"} <= bound
    rules = payload(t)
    assert '-A KUBE-SERVICES -m comment --comment "Kubernetes service external ip + port for masquerade and filter ' \
           'purpose" -m set --match-set KUBE-EXTERNAL-IP dst,dst -j KUBE-MARK-MASQ' in rules


@pytest.mark.parametrize(("ips", "message"), [
    ("[127.0.0.1]", "127.0.0.1 may not be an external IP"),
    ("[192.168.99.1, 192.168.99.1]", "192.168.99.1 is listed twice"),
    ("[not-an-ip]", "'not-an-ip' is not a valid IPv4 address"),
])
def test_bad_external_ips_are_refused(ips: str, message: str) -> None:
    from netlab.errors import TopologyError
    with pytest.raises(TopologyError) as caught:
        lab(services=f"  - {{name: s, ports: [{{port: 80}}], externalIPs: {ips}}}")
    assert any(message in str(p) for p in caught.value.problems), caught.value.problems


# -- the health check node port of a LoadBalancer with externalTrafficPolicy Local ------------------------

HEALTH = """
name: p
cluster: {cni: flannel-vxlan, proxy: MODE, dns: none}
nodes: [{name: node1}, {name: node2}]
pods:
  - {name: b, node: node2, namespace: ns2, labels: {app: b}}
services:
  - {name: svc2, namespace: ns2, type: LoadBalancer, externalTrafficPolicy: Local, selector: {app: b},
     ports: [{name: p80, port: 80, nodePort: 30002}], HEALTH}
"""


def test_a_local_loadbalancer_gets_a_health_check_node_port_accepted_on_every_node() -> None:
    explicit = load_topology_text(HEALTH.replace("MODE", "iptables").replace("HEALTH", "healthCheckNodePort: 30000"))
    line = '-A KUBE-NODEPORTS -m comment --comment "ns2/svc2:p80 health check node port" -m tcp -p tcp --dport 30000 ' \
           "-j ACCEPT"  # the very line of kube-proxy's TestParseRule (pkg/proxy/iptables/proxier_test.go)
    assert line in payload(explicit, "node1").splitlines() and line in payload(explicit, "node2").splitlines()
    allocated = load_topology_text(HEALTH.replace("MODE", "iptables").replace(", HEALTH", ""))
    assert next(s for s in allocated.services if s.name == "svc2").health_check_node_port == 30000
    ipvs = load_topology_text(HEALTH.replace("MODE", "ipvs").replace("HEALTH", "healthCheckNodePort: 30000"))
    assert "add KUBE-HEALTH-CHECK-NODE-PORT 30000" in payload(ipvs, tool="ipset")


def test_the_health_check_server_on_each_node_counts_that_nodes_endpoints() -> None:
    from netlab.plan import Daemon
    t = load_topology_text(HEALTH.replace("MODE", "nftables").replace("HEALTH", "healthCheckNodePort: 30000"))
    servers = {s.netns[-5:]: s for s in compile_plan(t).steps if isinstance(s, Daemon) and "healthcheck" in s.name}
    assert servers["node1"].argv[-2:] == ("--service", "ns2/svc2:30000:0")
    assert servers["node2"].argv[-2:] == ("--service", "ns2/svc2:30000:1") and servers["node2"].ports == ("tcp/30000",)


def test_the_health_check_answer_is_kube_proxys_byte_for_byte() -> None:
    """A real kube-proxy's answer for default/wp-nginx-service with one local endpoint is 127 bytes."""
    from netlab.workloads.healthcheck import body
    text = body("default", "wp-nginx-service", 1)
    assert len(text) == 127 and text.startswith(b'{\n\t"service": {\n\t\t"namespace": "default",')


def test_only_a_local_loadbalancer_has_a_health_check_node_port() -> None:
    from netlab.errors import TopologyError
    with pytest.raises(TopologyError) as caught:
        lab(services="  - {name: s, type: NodePort, healthCheckNodePort: 30100, ports: [{port: 80}]}")
    assert any("only a LoadBalancer service with externalTrafficPolicy Local" in str(p)
               for p in caught.value.problems)


# -- a load balancer's address (MetalLB gave it): TestOverallIPTablesRules' ns5/svc5 and ns2/svc2 ---------

UPSTREAM_LB = """
name: p
cluster:
  cni: flannel-vxlan
  proxy: MODE
  dns: none
  loadBalancer: {provider: metallb, mode: layer2, addresses: [LBIP/32]}
underlay: {subnet: NET}
nodes: [{name: node1}, {name: node2}]
pods:
  - {name: a, node: node1, namespace: ns5, labels: {app: a}}
  - {name: b, node: node2, namespace: ns2, labels: {app: b}}
services:
  SERVICE
"""
SVC5 = ("{name: svc5, namespace: ns5, type: LoadBalancer, sessionAffinity: ClientIP, selector: {app: a}, "
        "ports: [{name: p80, port: 80}], loadBalancerSourceRanges: [203.0.113.0/25]}")
SVC2 = ("{name: svc2, namespace: ns2, type: LoadBalancer, externalTrafficPolicy: Local, selector: {app: b}, "
        "ports: [{name: p80, port: 80}]}")


def upstream_lb(mode: str, service: str, lb_ip: str) -> Topology:
    net = lb_ip.rsplit(".", 1)[0] + ".0/24"
    return load_topology_text(UPSTREAM_LB.replace("MODE", mode).replace("LBIP", lb_ip).replace("NET", net)
                              .replace("SERVICE", "- " + service))


def test_load_balancer_rules_are_kube_proxys_own_expectation() -> None:
    """TestOverallIPTablesRules (pkg/proxy/iptables/proxier_test.go): ns5/svc5 has loadBalancerSourceRanges, so
    its address goes through KUBE-FW, and KUBE-PROXY-FIREWALL drops what KUBE-FW did not pass on; ns2/svc2 has
    externalTrafficPolicy Local and no endpoint on this node, so KUBE-EXTERNAL-SERVICES drops outside traffic."""
    svc5 = payload(upstream_lb("iptables", SVC5, "5.6.7.8")).splitlines()
    for line in [
        '-A KUBE-SERVICES -m comment --comment "ns5/svc5:p80 loadbalancer IP" -m tcp -p tcp -d 5.6.7.8 --dport 80 '
        "-j KUBE-FW-NUKIZ6OKUXPJNT4C",
        '-A KUBE-FW-NUKIZ6OKUXPJNT4C -m comment --comment "ns5/svc5:p80 loadbalancer IP" -s 203.0.113.0/25 '
        "-j KUBE-EXT-NUKIZ6OKUXPJNT4C",
        '-A KUBE-FW-NUKIZ6OKUXPJNT4C -m comment --comment "other traffic to ns5/svc5:p80 will be dropped by '
        'KUBE-PROXY-FIREWALL"',
        '-A KUBE-PROXY-FIREWALL -m comment --comment "ns5/svc5:p80 traffic not accepted by KUBE-FW-NUKIZ6OKUXPJNT4C" '
        "-m tcp -p tcp -d 5.6.7.8 --dport 80 -j DROP",
    ]:
        assert line in svc5, line
    assert svc5.index(":KUBE-EXT-NUKIZ6OKUXPJNT4C - [0:0]") < svc5.index(":KUBE-FW-NUKIZ6OKUXPJNT4C - [0:0]")
    svc2 = payload(upstream_lb("iptables", SVC2, "1.2.3.4")).splitlines()
    for line in [
        '-A KUBE-SERVICES -m comment --comment "ns2/svc2:p80 loadbalancer IP" -m tcp -p tcp -d 1.2.3.4 --dport 80 '
        "-j KUBE-EXT-GNZBNJ2PO5MGZ6GT",
        '-A KUBE-EXTERNAL-SERVICES -m comment --comment "ns2/svc2:p80 has no local endpoints" -m tcp -p tcp '
        "-d 1.2.3.4 --dport 80 -j DROP",
    ]:
        assert line in svc2, line
    assert not any("KUBE-FW-" in line for line in svc2)


def test_a_source_range_holding_the_node_lets_the_address_itself_in() -> None:
    """TestLoadBalancer: with a range that holds the node's address, KUBE-FW also passes traffic from the load
    balancer's address (the node reaching a local address comes from it)."""
    text = upstream_lb("iptables", SVC5.replace("[203.0.113.0/25]", "[5.6.7.0/24, 203.0.113.0/25]"), "5.6.7.8")
    fw = rules(payload(text), "KUBE-FW-NUKIZ6OKUXPJNT4C")
    assert [line.split(" -j ")[0].rsplit(" ", 1)[1] for line in fw[:-1]] == ["5.6.7.0/24", "203.0.113.0/25",
                                                                              "5.6.7.8"]
    everyone = upstream_lb("iptables", SVC5.replace("[203.0.113.0/25]", "[203.0.113.0/25, 0.0.0.0/0]"), "5.6.7.8")
    assert "KUBE-FW-" not in payload(everyone)  # a /0 lets everyone in: kube-proxy drops the ranges


def test_load_balancer_addresses_in_nftables_mode_are_kube_proxys_own_expectation() -> None:
    """TestOverallNFTablesRules (pkg/proxy/nftables/proxier_test.go), ns5/svc5 and ns2/svc2."""
    svc5 = payload(upstream_lb("nftables", SVC5, "5.6.7.8"), tool="nft").splitlines()
    for line in [
        "add chain ip kube-proxy firewall-HVFWP5L3-ns5/svc5/tcp/p80",
        "add rule ip kube-proxy firewall-HVFWP5L3-ns5/svc5/tcp/p80 ip saddr != { 203.0.113.0/25 } drop",
        "add element ip kube-proxy firewall-ips { 5.6.7.8 . tcp . 80 : goto firewall-HVFWP5L3-ns5/svc5/tcp/p80 }",
        "add element ip kube-proxy service-ips { 5.6.7.8 . tcp . 80 : goto external-HVFWP5L3-ns5/svc5/tcp/p80 }",
    ]:
        assert line in svc5, line
    svc2 = payload(upstream_lb("nftables", SVC2, "1.2.3.4"), tool="nft")
    assert 'add element ip kube-proxy no-endpoint-services { 1.2.3.4 . tcp . 80 comment "ns2/svc2:p80" : drop }' \
        in svc2.splitlines()


def test_load_balancer_addresses_in_ipvs_mode_are_kube_proxys_own_expectation() -> None:
    """TestLoadBalancerSourceRanges (pkg/proxy/ipvs/proxier_test.go): the address in KUBE-LOAD-BALANCER and -FW,
    each range in KUBE-LOAD-BALANCER-SOURCE-CIDR; KUBE-PROXY-FIREWALL → KUBE-SOURCE-RANGES-FIREWALL, which
    returns for a listed source and drops the rest. The address is a virtual server bound to kube-ipvs0."""
    service = SVC5.replace("[203.0.113.0/25]", "[10.0.0.0/8]").replace("sessionAffinity: ClientIP, ", "")
    t = upstream_lb("ipvs", service, "1.2.3.4")
    ipsets = payload(t, tool="ipset").splitlines()
    for entry in ["add KUBE-LOAD-BALANCER 1.2.3.4,tcp:80", "add KUBE-LOAD-BALANCER-FW 1.2.3.4,tcp:80",
                  "add KUBE-LOAD-BALANCER-SOURCE-CIDR 1.2.3.4,tcp:80,10.0.0.0/8", "add KUBE-IPVS-IPS 1.2.3.4"]:
        assert entry in ipsets, entry
    assert not any(line.startswith("add KUBE-LOAD-BALANCER-SOURCE-IP ") for line in ipsets)
    assert "-A -t 1.2.3.4:80 -s rr" in payload(t, tool="ipvsadm")
    text = payload(t)
    assert rules(text, "KUBE-PROXY-FIREWALL") == [
        '-A KUBE-PROXY-FIREWALL -m comment --comment "Kubernetes service load balancer ip + port for load balancer '
        'with sourceRange" -m set --match-set KUBE-LOAD-BALANCER-FW dst,dst -j KUBE-SOURCE-RANGES-FIREWALL']
    assert rules(text, "KUBE-SOURCE-RANGES-FIREWALL") == [
        '-A KUBE-SOURCE-RANGES-FIREWALL -m comment --comment "Kubernetes service load balancer ip + port + source '
        'cidr for packet filter purpose" -m set --match-set KUBE-LOAD-BALANCER-SOURCE-CIDR dst,dst,src -j RETURN',
        "-A KUBE-SOURCE-RANGES-FIREWALL -j DROP"]
    # the node is outside the ranges: it may not reach the address itself
    assert rules(text, "KUBE-IPVS-OUT-FILTER") == [
        "-A KUBE-IPVS-OUT-FILTER -s 1.2.3.4 -m ipvs --vaddr 1.2.3.4 --vproto tcp --vport 80 -j DROP"]
    assert '-A KUBE-SERVICES -m comment --comment "Kubernetes service lb portal" -m set --match-set ' \
           "KUBE-LOAD-BALANCER dst,dst -j KUBE-LOAD-BALANCER" in text.splitlines()


def test_strict_arp_is_kube_proxys_ipvs_setting() -> None:
    from netlab.plan import Note, Sysctl
    loose = compile_plan(upstream_lb("ipvs", SVC5, "5.6.7.8"))
    assert not [s for s in loose.steps if isinstance(s, Sysctl) and "arp_ignore" in s.key_name]
    assert any(isinstance(s, Note) and "without strict ARP" in s.text for s in loose.steps)
    strict = compile_plan(load_topology_text(
        UPSTREAM_LB.replace("MODE", "ipvs\n  ipvsStrictARP: true").replace("LBIP", "5.6.7.8").replace(
            "NET", "5.6.7.0/24").replace("SERVICE", "- " + SVC5)))
    node1 = {s.key_name: s.value for s in strict.steps if isinstance(s, Sysctl) and s.netns.endswith("node1")}
    assert (node1["net.ipv4.conf.all.arp_ignore"], node1["net.ipv4.conf.all.arp_announce"]) == ("1", "2")
    from netlab.errors import TopologyError
    with pytest.raises(TopologyError, match="problem"):
        load_topology_text(UPSTREAM_LB.replace("MODE", "iptables\n  ipvsStrictARP: true").replace(
            "LBIP", "5.6.7.8").replace("NET", "5.6.7.0/24").replace("SERVICE", "- " + SVC5))
