"""Calico from the model alone: `cluster.calico:` validation, IPAM blocks, the names and addresses Calico's CNI
plugin and felix compute, and BIRD's configuration against confd's own compiled templates (tests/data/calico)."""

from __future__ import annotations

import re
import textwrap
from ipaddress import IPv4Address
from pathlib import Path

import pytest

from netlab.compile import compile_plan
from netlab.features import frr
from netlab.features.calico import bird, cni_plugin, felix, felix_rules
from netlab.features.calico.model import CalicoConfig
from netlab.plan import BgpSessions, Daemon, Route, Veth, Vxlan
from netlab.topology import load_topology_text
from tests.unit.test_validation import problems

CONFD = Path(__file__).parents[1] / "data" / "calico" / "confd"
# confd's test cluster (confd/tests/README.md): kube-master renders, kube-node-1 and -2 are its peers.
CONFD_LAB = """\
name: confd
underlay: {{subnet: 10.192.0.0/16}}
cluster: {{cni: calico, podCIDR: 192.168.0.0/16, dns: none, calico: {calico}}}
nodes:
  - {{name: kube-master, ip: 10.192.0.2}}
  - {{name: kube-node-1, ip: 10.192.0.3}}
  - {{name: kube-node-2, ip: 10.192.0.4}}
"""


def lab(calico: str = "{}", pods: str = "", nodes: int = 2, extra: str = "") -> str:
    names = "".join(f"  - name: node{i + 1}\n" for i in range(nodes))
    return f"name: cal\ncluster: {{cni: calico, dns: none, calico: {calico}}}\nnodes:\n{names}{extra}" + (
        f"pods:\n{textwrap.dedent(pods)}" if pods else "")


def bird_files(text: str, node: str) -> dict[str, str]:
    plan = compile_plan(load_topology_text(text))
    daemon = next(s for s in plan.steps if isinstance(s, Daemon) and s.name == f"bird-{node}")
    return {path.rpartition("/")[2]: content for path, content in daemon.files}


def lines(text: str) -> list[str]:
    """confd's test compares with blank lines removed (helpers_test.go normalizeBlankLines)."""
    return [line for line in text.splitlines() if line.strip()]


# -- BIRD's configuration, against confd's goldens -------------------------------------------------------

@pytest.mark.parametrize(("case", "encapsulation"), [("mesh-ipip-off", "None"), ("mesh-ipip-always", "IPIP"),
                                                      ("mesh-vxlan-always", "VXLAN")])
def test_bird_config_is_what_confd_renders_for_the_mesh(case: str, encapsulation: str) -> None:
    files = bird_files(CONFD_LAB.format(calico=f"{{encapsulation: {encapsulation}}}"), "kube-master")
    for name in ("bird.cfg", "bird_ipam.cfg"):
        assert lines(files[name]) == lines((CONFD / case / name).read_text()), name


def test_bird_aggr_holds_the_nodes_block_as_confd_writes_a_confirmed_one() -> None:
    files = bird_files(CONFD_LAB.format(calico="{}"), "kube-master")
    ours = lines(files["bird_aggr.cfg"].replace("192.168.0.0/26", "192.168.221.64/26"))
    golden = iter(lines((CONFD / "mesh-ipip-always" / "bird_aggr.cfg").read_text()))
    assert all(line in golden for line in ours)  # in order: the golden's other test blocks aside


def protocols(text: str) -> dict[str, list[str]]:
    """bird.cfg's BGP protocols by name (and "" for everything before the first), blank lines left out."""
    found: dict[str, list[str]] = {"": []}
    name = ""
    for line in lines(text):
        if line.startswith("protocol bgp "):
            name = line.split()[2]
            found[name] = []
        found[name].append(line)
    return found


def as_confds_external_peer(text: str) -> str:
    """The golden's external peer is 172.19.4.87; the one speaker outside a netlab lab is its router, the
    underlay's first address (10.192.0.1 here). Cluster id 10.0.0.1 is the golden's, 244.0.0.1 netlab's."""
    return text.replace("10.192.0.1", "172.19.4.87").replace("10_192_0_1", "172_19_4_87") \
        .replace("244.0.0.1", "10.0.0.1")


def test_bird_config_of_a_route_reflector_is_what_confd_renders() -> None:
    """The golden's reflector (AS 64532, cluster id 10.0.0.1) with its clients, and an eBGP peer of its own (a
    BGPPeer with a nodeSelector: `Node_<ip>`, `calico_export_to_bgp_peers(false)`)."""
    text = CONFD_LAB.format(calico="{asNumber: 64532, routeReflectors: [kube-master], "
                                   "peers: [{peerIP: 10.192.0.1, asNumber: 64533, node: kube-master}]}")
    ours = protocols(as_confds_external_peer(bird_files(text, "kube-master")["bird.cfg"]))
    assert ours == protocols((CONFD / "explicit_peering-route_reflector" / "bird.cfg").read_text())


def test_bird_config_of_a_global_peer_keeping_the_next_hop_is_what_confd_renders() -> None:
    """keepnexthop-global: a BGPPeer of every node, in another AS, with keepOriginalNextHop (`next hop keep;`)."""
    text = CONFD_LAB.format(calico="{asNumber: 64532, routeReflectors: [kube-master], "
                                   "peers: [{peerIP: 10.192.0.1, asNumber: 64533, keepOriginalNextHop: true}]}")
    ours = protocols(as_confds_external_peer(bird_files(text, "kube-master")["bird.cfg"]))
    golden = protocols((CONFD / "explicit_peering-keepnexthop-global" / "bird.cfg").read_text())
    assert ours["Global_172_19_4_87"] == golden["Global_172_19_4_87"]
    assert ours[""] == golden[""]


def test_every_node_peers_with_a_global_peer_and_the_router_with_every_node() -> None:
    peers = "[{peerIP: 192.168.56.1, asNumber: 64500}]"
    plan = compile_plan(load_topology_text(lab(f"{{encapsulation: None, peers: {peers}}}", nodes=3)))
    sessions = {s.daemon: s.sessions for s in plan.steps if isinstance(s, BgpSessions)}
    assert sessions["bird-node2"] == ("Global_192_168_56_1", "Mesh_192_168_56_11", "Mesh_192_168_56_13")
    assert sessions["frr-bgpd"] == ("192.168.56.11", "192.168.56.12", "192.168.56.13")
    bgpd = next(s for s in plan.steps if isinstance(s, Daemon) and s.name == "frr-bgpd")
    conf = dict(bgpd.files)["frr/bgpd.conf"]
    assert "router bgp 64500" in conf and " no bgp ebgp-requires-policy" in conf
    assert " neighbor 192.168.56.13 remote-as 64512" in conf and bgpd.user == "frr"


def test_the_router_reaches_a_block_through_every_node_unless_the_next_hop_is_kept() -> None:
    """Over eBGP with `multihop`, BIRD names itself as the next hop: the router hears of each block from every
    node (they all know it over the mesh) and spreads flows over them (ECMP). keepOriginalNextHop makes every
    node name the block's owner; a peer of one node only (`node:`) hears every block from that node."""
    def router_routes(peer: str) -> set[tuple[str, str | None, tuple[str, ...]]]:
        plan = compile_plan(load_topology_text(lab(f"{{encapsulation: None, peers: [{peer}]}}")))
        return {(s.dst, s.via, s.nexthops) for s in plan.steps
                if isinstance(s, Route) and s.netns == "netlab.cal.internet" and s.learned_from == "frr-bgpd"}
    both = ("192.168.56.11", "192.168.56.12")
    assert router_routes("{peerIP: 192.168.56.1, asNumber: 64500}") == {
        ("10.244.0.0/26", "192.168.56.11", both), ("10.244.0.64/26", "192.168.56.11", both)}
    assert router_routes("{peerIP: 192.168.56.1, asNumber: 64500, keepOriginalNextHop: true}") == {
        ("10.244.0.0/26", "192.168.56.11", ()), ("10.244.0.64/26", "192.168.56.12", ())}
    assert router_routes("{peerIP: 192.168.56.1, asNumber: 64500, node: node2}") == {
        ("10.244.0.0/26", "192.168.56.12", ()), ("10.244.0.64/26", "192.168.56.12", ())}


def test_frr_peer_states_read_show_bgp_summary_json() -> None:
    shown = '{"ipv4Unicast": {"peers": {"192.168.56.11": {"state": "Established"}, "192.168.56.12": ' \
            '{"state": "Active"}}}}'
    assert frr.peer_states(shown) == {"192.168.56.11": "Established", "192.168.56.12": "Active"}
    assert frr.peer_states("% Unknown command") is None


def test_a_route_reflector_client_peers_only_with_the_reflectors() -> None:
    text = lab("{routeReflectors: [node1]}", nodes=3)
    client = bird_files(text, "node2")["bird.cfg"]
    assert "protocol bgp Node_192_168_56_11 from bgp_template {" in client
    assert "Node_192_168_56_13" not in client and "rr client" not in client and "passive" not in client


def test_mesh_passive_side_compares_addresses_as_text_like_confd() -> None:
    """confd's template: `passive on` when the peer's address is greater, as strings."""
    nodes = "".join(f"  - {{name: n{i}, ip: 192.168.56.{i}}}\n" for i in (9, 10))
    text = f"name: cal\ncluster: {{cni: calico}}\nnodes:\n{nodes}"
    assert "passive on" in bird_files(text, "n10")["bird.cfg"]  # "192.168.56.9" > "192.168.56.10"
    assert "passive on" not in bird_files(text, "n9")["bird.cfg"]


def test_protocol_states_reads_birdc_show_protocols() -> None:
    shown = textwrap.dedent("""\
        BIRD 1.6.8 ready.
        name     proto    table    state  since       info
        kernel1  Kernel   master   up     16:36:41
        static1  Static   master   up     16:36:41
        Mesh_192_168_56_12 BGP      master   up     16:36:45    Established
        Mesh_192_168_56_13 BGP      master   start  16:36:41    Connect
        Mesh_10_0_0_9 BGP      master   start  2026-12-04 16:36:41    Active        Socket: Connection refused
        """)
    states = bird.protocol_states(shown)
    assert states["Mesh_192_168_56_12"] == "Established" and states["Mesh_192_168_56_13"] == "Connect"
    assert states["kernel1"] == "up" and states["Mesh_10_0_0_9"].startswith("Active")


# -- the pod side and IPAM ------------------------------------------------------------------------------

def test_veth_name_is_libcalico_gos() -> None:
    """workload_endpoint_default_test.go: namespace "namespace", pod "podname" → <prefix>82111e10a96."""
    t = load_topology_text(lab(pods="- {name: podname, namespace: namespace}\n"))
    assert cni_plugin.host_veth(t.pods[0]) == "cali82111e10a96"


def test_vtep_mac_is_felixs() -> None:
    assert felix.vtep_mac("kube-master") == "66:f5:05:4e:7b:4e"  # the value in Calico's own test


def test_blocks_and_addresses_without_encapsulation() -> None:
    t = load_topology_text(lab("{encapsulation: None}", "- {name: a, node: node1}\n- {name: b, node: node2}\n"))
    assert str(t.cluster.pod_cidr) == "10.244.0.0/16"  # 192.168.0.0/16 would hold the underlay
    assert [str(n.pod_subnet) for n in t.nodes] == ["10.244.0.0/26", "10.244.0.64/26"]
    assert [n.bridge_ip for n in t.nodes] == [None, None]
    assert [str(p.ip) for p in t.pods] == ["10.244.0.0/32", "10.244.0.64/32"]  # a block is no subnet: .0 is used


def test_an_encapsulated_pool_gives_the_tunnel_the_first_address() -> None:
    t = load_topology_text(lab("{encapsulation: VXLAN}", "- {name: a, node: node1}\n"))
    assert IPv4Address("10.244.0.0") in t.nodes[0].addresses and str(t.pods[0].ip) == "10.244.0.1/32"


def test_calicos_own_pool_where_it_does_not_hold_the_underlay() -> None:
    t = load_topology_text(lab(extra="underlay: {subnet: 10.10.0.0/24}\n"))
    assert str(t.cluster.pod_cidr) == "192.168.0.0/16"


def test_pod_steps_are_the_cni_plugins() -> None:
    plan = compile_plan(load_topology_text(lab("{encapsulation: None}", "- {name: a, node: node1}\n")))
    veth = next(s for s in plan.steps if isinstance(s, Veth) and s.name.startswith("cali"))
    assert veth.mac == "ee:ee:ee:ee:ee:ee" and veth.peer_name == "eth0"
    routes = {(s.netns, s.dst): s for s in plan.steps if isinstance(s, Route)}
    assert routes[("netlab.cal.a", "169.254.1.1/32")].via is None
    assert routes[("netlab.cal.a", "default")].via == "169.254.1.1"
    assert routes[("netlab.cal.node1", "10.244.0.0/32")].metric == 1024


def test_bgp_routes_are_birds_and_vxlan_routes_felixs() -> None:
    bgp = compile_plan(load_topology_text(lab("{encapsulation: None}")))
    learned = [s for s in bgp.steps if isinstance(s, Route) and s.learned_from]
    assert {(s.netns[11:], s.dst, s.via, s.blackhole) for s in learned} == {
        ("node1", "10.244.0.0/26", None, True), ("node1", "10.244.0.64/26", "192.168.56.12", False),
        ("node2", "10.244.0.64/26", None, True), ("node2", "10.244.0.0/26", "192.168.56.11", False)}
    assert [s.sessions for s in bgp.steps if isinstance(s, BgpSessions)] == [("Mesh_192_168_56_12",),
                                                                            ("Mesh_192_168_56_11",)]
    vx = compile_plan(load_topology_text(lab("{encapsulation: VXLAN}")))
    device = next(s for s in vx.steps if isinstance(s, Vxlan))
    assert (device.name, device.vni, device.port, device.mtu) == ("vxlan.calico", 4096, 4789, 1450)
    route = next(s for s in vx.steps if isinstance(s, Route) and s.dst == "10.244.0.64/26")
    assert (route.dev, route.via, route.onlink, route.protocol, route.learned_from) == (
        "vxlan.calico", "10.244.0.64", True, 80, "")


# -- what is refused ------------------------------------------------------------------------------------

@pytest.mark.parametrize(("text", "message"), [
    (lab("{encapsulation: GRE}"), "cluster.calico.encapsulation|'GRE' is not a valid encapsulation"),
    (lab("{blockSize: 31}"), "cluster.calico.blockSize|31 is out of range 20-30"),
    (lab("{routeReflectors: [node1], nodeToNodeMesh: true}"),
     "cluster.calico.nodeToNodeMesh|a node-to-node mesh and route reflectors at once"),
    (lab("{routeReflectors: [rr9]}"), "cluster.calico.routeReflectors[0]|unknown node 'rr9'"),
    (lab("{peers: [{peerIP: 192.168.56.7, asNumber: 64500}]}"), "cluster.calico.peers[0].peerIP|no BGP speaker at"),
    (lab("{peers: [{peerIP: 192.168.56.1}]}"), "cluster.calico.peers[0]|a BGP peer needs peerIP and asNumber"),
    (lab("{peers: [{peerIP: 192.168.56.1, asNumber: 64500, node: n7}]}"),
     "cluster.calico.peers[0].node|unknown node 'n7'"),
    (lab("{peers: [{peerIP: 192.168.56.1, asNumber: 64500}, {peerIP: 192.168.56.1, asNumber: 64501}]}"),
     "cluster.calico.peers[1].peerIP|a second peering with 192.168.56.1"),
    (lab("{peers: [{peerIP: 192.168.56.1, asNumber: 64500}, {peerIP: 192.168.56.1, asNumber: 64501, node: node1}]}"),
     "cluster.calico.peers[1].asNumber|the internet router is in AS 64500"),
    ("name: x\nunderlay: {subnets: [192.168.56.0/24, 192.168.57.0/24]}\ncluster: {cni: host-gw}\n"
     "nodes: [{name: n1}, {name: n2, ip: 192.168.57.9}]\n", "underlay.subnets|host-gw needs every node on one subnet"),
    ("name: x\nunderlay: {subnets: [192.168.56.0/24, 192.168.56.128/25]}\n",
     "underlay.subnets[1]|192.168.56.128/25 overlaps underlay.subnets[0] 192.168.56.0/24"),
    ("name: x\nunderlay: {subnets: []}\n", "underlay.subnets|an empty list of subnets"),
    ("name: x\nunderlay: {subnets: [192.168.56.0/24]}\nnodes: [{name: n1, ip: 192.168.58.3}]\n",
     "nodes[0].ip|192.168.58.3 is not a usable node address"),
    ("name: x\ncluster: {cni: calico, nodeSubnetLen: 24}\n",
     "cluster.nodeSubnetLen|Calico gives nodes IPAM blocks, not node subnets"),
    ("name: x\ncluster: {cni: host-gw, calico: {}}\n", "cluster.calico|calico settings in a host-gw lab"),
    (lab("{blockSize: 30}", "- {name: a, node: node1}\n- {name: b, node: node1}\n- {name: c, node: node1}\n"
         "- {name: d, node: node1}\n- {name: e, node: node1}\n"), "pods[3]|node 'node1' has no pod address left"),
])
def test_what_calico_refuses(text: str, message: str) -> None:
    """PATH|MESSAGE: one problem names both."""
    path, _, words = message.partition("|")
    found = problems(text)
    assert any(p.startswith(path + " ") and words in p for p in found), found


def test_felix_rule_hashes_are_felixs() -> None:
    """Values from a real felix's iptables-save (tests/data/calico/felix/cali-iptables-dump.txt)."""
    assert felix_rules.rule_hashes("PREROUTING", ["--jump cali-PREROUTING"]) == ["6gwbT8clXdHdC1b1"]
    assert felix_rules.rule_hashes("POSTROUTING*appends*", ["--jump cali-POSTROUTING"]) == ["0i8pjzKKPyA34aQD"]
    assert felix_rules.rule_hashes("cali-POSTROUTING", ["--jump cali-fip-snat", "--jump cali-nat-outgoing"]) == [
        "Z-c7XtVd2Bq7s_hA", "nYKhEzDlr11Jccal"]
    assert felix_rules.chain_name("cali-pri-", "ksa.kube-system.coredns") == "cali-pri-_u2Tn2rSoAPffvE7JO6"
    assert felix_rules.chain_name("cali-pri-", "ksa.default.default") == "cali-pri-ksa.default.default"


def test_felixs_static_chains_hash_as_a_real_felixs() -> None:
    """Every chain of a real felix's iptables-save (a VXLAN node with no pods; its rules that match an ipset were
    taken out, their hashes still chain the others) has the same hashes, in order, in netlab's."""
    dump = (Path(__file__).parents[1] / "data" / "calico" / "felix" / "cali-iptables-dump.txt").read_text()
    config = CalicoConfig(encapsulation="VXLAN", nat_outgoing=False)
    ours = felix_rules.chains_payload(config, "vxlan.calico", []) + felix_rules.hooks_payload()

    def hashes(text: str, tables: tuple[str, ...]) -> set[tuple[str, str, str]]:
        found, table = set(), ""
        for line in text.splitlines():
            if line.startswith("*"):
                table = line[1:]
            elif (m := re.match(r'-[AI] (\S+) (?:\d+ )?.*"cali:([\w-]+)"', line)) and table in tables:
                found.add((table, m.group(1), m.group(2)))
        return found

    theirs = hashes(dump, ("filter", "nat"))
    assert theirs and theirs <= hashes(ours, ("filter", "nat"))


def test_dispatch_splits_interfaces_by_the_character_after_their_common_prefix() -> None:
    """felix/rules/dispatch.go: one level of sub-chains, each ending like the root."""
    root, child = felix_rules.dispatch("cali-from-wl-dispatch", "--in-interface", "cali-fw-",
                                       ["cali12ab", "cali3cd", "cali12ef"])
    assert root.rules == ("--in-interface cali1+ --goto cali-from-wl-dispatch-1",
                          "--in-interface cali3cd --goto cali-fw-cali3cd",
                          '-m comment --comment "Unknown interface" --jump DROP')
    assert child.name == "cali-from-wl-dispatch-1" and child.rules[:2] == (
        "--in-interface cali12ab --goto cali-fw-cali12ab", "--in-interface cali12ef --goto cali-fw-cali12ef")


# -- across subnets ---------------------------------------------------------------------------------------

RACKS = """\
name: racks
underlay: {{subnets: [192.168.56.0/24, 192.168.57.0/24]}}
cluster: {{cni: calico, dns: none, calico: {{encapsulation: {encapsulation}}}}}
nodes: [{{name: node1}}, {{name: node2}}, {{name: node3, ip: 192.168.57.11}}]
"""


def node_routes(text: str, node: str) -> dict[str, Route]:
    plan = compile_plan(load_topology_text(text))
    return {s.dst: s for s in plan.steps if isinstance(s, Route) and s.netns == f"netlab.racks.{node}"}


@pytest.mark.parametrize(("encapsulation", "tunnel"), [("IPIPCrossSubnet", "tunl0"), ("VXLANCrossSubnet",
                                                                                      "vxlan.calico")])
def test_cross_subnet_wraps_only_what_goes_to_another_subnet(encapsulation: str, tunnel: str) -> None:
    """route_mgr.go: to a node of the same subnet a no-encap route via its address on the parent interface."""
    routes = node_routes(RACKS.format(encapsulation=encapsulation), "node1")
    same, other = routes["10.244.0.64/26"], routes["10.244.0.128/26"]
    assert (same.dev, same.via, same.onlink, same.protocol) == ("eth0", "192.168.56.12", False, 80)
    assert (other.dev, other.onlink, other.protocol) == (tunnel, True, 80)
    always = node_routes(RACKS.format(encapsulation=encapsulation.removesuffix("CrossSubnet")), "node1")
    assert always["10.244.0.64/26"].dev == tunnel


def test_bird_reaches_a_node_of_another_subnet_through_the_router() -> None:
    """`gateway recursive`: BGP's next hop (node3) is not on node1's link; the kernel's route to it is the default
    one, so BIRD installs node3's block via the router — which knows no pod block."""
    routes = node_routes(RACKS.format(encapsulation="None"), "node1")
    assert routes["10.244.0.64/26"].via == "192.168.56.12" and routes["10.244.0.128/26"].via == "192.168.56.1"
    assert routes["default"].via == "192.168.56.1" and node_routes(RACKS.format(encapsulation="None"),
                                                                   "node3")["default"].via == "192.168.57.1"


@pytest.mark.parametrize(("encapsulation", "kind"), [("VXLANCrossSubnet", "vxlan"), ("IPIPCrossSubnet", "ipip")])
def test_the_model_follows_a_tunnelled_packet_through_the_router_between_the_racks(encapsulation: str,
                                                                                   kind: str) -> None:
    from netlab.trace.predict import predict
    text = RACKS.format(encapsulation=encapsulation) + \
        'pods: [{name: a, node: node1}, {name: c, node: node3, serve: ["http:80"]}]\n'
    t = load_topology_text(text)
    trace = predict(compile_plan(t), t, "a", "c", 80, "tcp")
    assert trace.verdict.status == "delivered"
    router = [(h.interface, h.direction) for h in trace.forward if h.netns == "internet"]
    assert router == [("eth0", "in"), ("eth1", "out")]
    outers = [h.packet.outer for h in trace.forward if h.netns in ("internet", "underlay")]
    assert outers and all(o is not None and o.kind == kind for o in outers)
