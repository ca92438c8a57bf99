"""kube-proxy's userspace mode: the rules as pkg/proxy/userspace/proxier.go builds them (iptablesInit, the
*PortalArgs and *NodePortArgs builders), proxy ports that stay put, and the relay's round robin and ClientIP
affinity (roundrobin.go). Real connections through the relay are in tests/kernel/test_userspace.py."""

from __future__ import annotations

from pathlib import Path

from netlab.compile import compile_plan
from netlab.features.kube_proxy import userspace
from netlab.features.kube_proxy.service_ports import service_ports
from netlab.plan import Daemon, RuleSet
from netlab.topology import load_topology_text
from netlab.workloads.userspace_proxy import Balancer

ROOT = Path(__file__).resolve().parents[2]
LAB = (ROOT / "topologies" / "services-userspace.yaml").read_text()


def node1_rules() -> list[str]:
    plan = compile_plan(load_topology_text(LAB))
    ruleset = next(s for s in plan.steps if isinstance(s, RuleSet) and s.netns.endswith(".node1")
                   and s.table == "kube-proxy")
    return ruleset.payload.splitlines()


def test_the_hooks_are_iptables_init_s() -> None:
    lines = node1_rules()
    assert '-I PREROUTING 1 -m comment --comment "handle ClusterIPs; NOTE: this must be before the NodePort rules" ' \
           "-j KUBE-PORTALS-CONTAINER" in lines
    assert '-I OUTPUT 1 -m comment --comment "handle ClusterIPs; NOTE: this must be before the NodePort rules" ' \
           "-j KUBE-PORTALS-HOST" in lines
    assert '-A PREROUTING -m addrtype --dst-type LOCAL -m comment --comment "handle service NodePorts; NOTE: this ' \
           'must be the last rule in the chain" -j KUBE-NODEPORT-CONTAINER' in lines
    assert '-I INPUT 1 -m comment --comment "Ensure that non-local NodePort traffic can flow" ' \
           "-j KUBE-NODEPORT-NON-LOCAL" in lines


def test_a_service_port_is_a_redirect_from_pods_and_a_dnat_from_the_node() -> None:
    """iptablesContainerPortalArgs with the proxy on 0.0.0.0: REDIRECT; iptablesHostPortalArgs: DNAT to the node's
    address (a REDIRECT of a local packet would go to 127.0.0.1); the node port likewise; NON-LOCAL accepts new
    connections to the proxy port."""
    t = load_topology_text(LAB)
    ports = service_ports(t)
    p = userspace.proxy_port(userspace.proxy_ports(ports), next(i for i in ports if i.name == "default/web:http"))
    lines = node1_rules()
    common = '-m comment --comment "default/web:http" -p tcp -m tcp --dport 80 -d 10.96.0.11/32'
    assert f"-A KUBE-PORTALS-CONTAINER {common} -j REDIRECT --to-ports {p}" in lines
    assert f"-A KUBE-PORTALS-HOST {common} -j DNAT --to-destination 192.168.56.11:{p}" in lines
    node_port = '-m comment --comment "default/web:http" -p tcp -m tcp --dport 30080'
    assert f"-A KUBE-NODEPORT-CONTAINER {node_port} -j REDIRECT --to-ports {p}" in lines
    assert f"-A KUBE-NODEPORT-HOST {node_port} -j DNAT --to-destination 192.168.56.11:{p}" in lines
    assert f'-A KUBE-NODEPORT-NON-LOCAL -m comment --comment "default/web:http" -p tcp -m tcp --dport {p} ' \
           "-m state --state NEW -j ACCEPT" in lines
    assert not any("MASQUERADE" in line or "KUBE-SVC" in line for line in lines)  # no NAT to a pod in this mode


def test_an_external_ip_also_matches_the_nodes_own_traffic() -> None:
    """openOnePortal for an external IP: physdev for what is not bridged, dst-type LOCAL for the node's own."""
    t = load_topology_text(LAB.replace("    selector: {app: web}\n    sessionAffinity: ClientIP",
                                       "    selector: {app: web}\n    externalIPs: [198.51.100.7]\n"
                                       "    sessionAffinity: ClientIP"))
    lines = userspace.rules(service_ports(t), t.nodes[0]).splitlines()
    found = [line for line in lines if "198.51.100.7" in line]
    assert len(found) == 3
    assert any("-m physdev ! --physdev-is-in -j REDIRECT" in line for line in found)
    assert any(line.startswith("-A KUBE-PORTALS-HOST") and "-m addrtype --dst-type LOCAL -j DNAT" in line
               for line in found)


def test_proxy_ports_stay_put_when_another_service_comes() -> None:
    before = userspace.proxy_ports(service_ports(load_topology_text(LAB)))
    more = LAB.replace("  - name: nothing\n", "  - {name: more, selector: {app: web}, ports: [{port: 81}]}\n"
                                              "  - name: nothing\n")
    after = userspace.proxy_ports(service_ports(load_topology_text(more)))
    assert {k: v for k, v in after.items() if k in before} == before
    assert all(userspace.FIRST_PROXY_PORT <= p < userspace.FIRST_PROXY_PORT + userspace.PROXY_PORTS
               for p in after.values()) and len(set(after.values())) == len(after)


def test_the_relay_listens_on_every_proxy_port_and_holds_the_node_ports() -> None:
    plan = compile_plan(load_topology_text(LAB))
    relay = next(s for s in plan.steps if isinstance(s, Daemon) and s.name == "kube-proxy-node1")
    assert "tcp/30080" in relay.ports and "udp/30000" in relay.ports
    assert not any(isinstance(s, Daemon) and s.name.startswith("healthcheck") for s in plan.steps)


def test_round_robin_and_client_ip_affinity() -> None:
    a, b = ("10.244.0.2", 80), ("10.244.1.2", 80)
    rr = Balancer([a, b])
    assert [rr.next("c1") for _ in range(4)] == [a, b, a, b]
    sticky = Balancer([a, b], affinity=True, timeout=60)
    first = sticky.next("c1")
    assert [sticky.next("c1") for _ in range(3)] == [first] * 3 and sticky.next("c2") != first
    assert Balancer([]).next("c1") is None
