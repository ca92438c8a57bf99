"""MetalLB (the LoadBalancer issue): the pool as an IPAddressPool is checked, the controller's allocation, the
layer 2 election, and what the plan holds for them. The wire (ARP, failover) is tested in tests/kernel."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from netlab.compile import compile_plan
from netlab.errors import TopologyError
from netlab.features.metallb.layer2 import candidates
from netlab.plan import ArpAnswer, Daemon, Route
from netlab.topology import Topology, load_topology_text
from netlab.workloads.metallb_speaker import winner

LAB = """
name: m
cluster:
  cni: flannel-vxlan
  dns: none
  loadBalancer: {{provider: metallb, mode: layer2, addresses: {pool}}}
nodes: [{{name: node1}}, {{name: node2}}, {{name: node3}}]
pods:
  - {{name: a, node: node1, labels: {{app: a}}}}
  - {{name: b, node: node2, labels: {{app: a}}}}
services:
{services}
"""
WEB = "  - {name: web, type: LoadBalancer, selector: {app: a}, ports: [{port: 80}]}"


def lab(services: str = WEB, pool: str = "[192.168.56.240/28]", previous: Topology | None = None) -> Topology:
    return load_topology_text(LAB.format(pool=pool, services=services), previous=previous)


def problems(services: str = WEB, pool: str = "[192.168.56.240/28]") -> list[str]:
    with pytest.raises(TopologyError) as caught:
        lab(services, pool)
    return [str(p) for p in caught.value.problems]


def ingress(t: Topology) -> dict[str, str]:
    return {s.name: ",".join(map(str, s.ingress_ips)) for s in t.services if s.type == "LoadBalancer"}


def test_the_controller_gives_the_pools_first_free_address_and_a_requested_one() -> None:
    """allocator.go walks the pool's ranges in order, each from its first address (a CIDR's network address
    included, as without avoidBuggyIPs); loadBalancerIP takes the address it names."""
    t = lab(WEB + "\n  - {name: asked, type: LoadBalancer, loadBalancerIP: 192.168.56.240, ports: [{port: 81}]}"
                  "\n  - {name: next, type: LoadBalancer, ports: [{port: 82}]}",
            pool="[192.168.56.240/30, 192.168.56.250-192.168.56.251]")
    assert ingress(t) == {"web": "192.168.56.241", "asked": "192.168.56.240", "next": "192.168.56.242"}
    assert next(s for s in t.services if s.name == "web").external_ip_text == "192.168.56.241"


def test_a_service_keeps_its_address_across_apply_and_a_new_one_takes_the_next() -> None:
    before = lab(WEB + "\n  - {name: two, type: LoadBalancer, ports: [{port: 81}]}")
    after = lab("  - {name: new, type: LoadBalancer, ports: [{port: 82}]}\n"
                "  - {name: two, type: LoadBalancer, ports: [{port: 81}]}", previous=before)
    assert ingress(before) == {"web": "192.168.56.240", "two": "192.168.56.241"}
    assert ingress(after) == {"new": "192.168.56.240", "two": "192.168.56.241"}  # web's address was released


def test_kubectl_shows_the_load_balancer_address_then_the_external_ips() -> None:
    t = lab("  - {name: web, type: LoadBalancer, externalIPs: [198.51.100.7], ports: [{port: 80}]}")
    assert t.services[0].external_ip_text == "192.168.56.240,198.51.100.7"


@pytest.mark.parametrize(("services", "pool", "message"), [
    (WEB.replace("selector", "loadBalancerIP: 192.168.56.100, selector"), "[192.168.56.240/28]",
     "192.168.56.100 is not in the load balancer's pool"),
    (WEB, "[10.20.0.0/28]", "10.20.0.0/28 is not on the underlay 192.168.56.0/24"),
    (WEB, "[192.168.56.0/28]", "192.168.56.0/28 holds 192.168.56.11, the address of node 'node1'"),
    (WEB, "[192.168.56.240/28, 192.168.56.250-192.168.56.252]", "192.168.56.250-192.168.56.252 overlaps"),
    (WEB, "[192.168.56.240/27]", "'192.168.56.240/27' is not a CIDR or an address range"),
    (WEB, "[]", "a load balancer needs addresses to give out"),
    (WEB.replace("selector", "loadBalancerSourceRanges: [203.0.113.0], selector"), "[192.168.56.240/28]",
     "'203.0.113.0' is not a CIDR"),
    ("  - {name: web, loadBalancerIP: 192.168.56.240, ports: [{port: 80}]}", "[192.168.56.240/28]",
     "loadBalancerIP is only for a LoadBalancer service"),
])
def test_bad_pools_and_requests_are_refused_with_where(services: str, pool: str, message: str) -> None:
    found = problems(services, pool)
    assert any(message in p for p in found), found


def test_without_a_provider_a_requested_address_is_refused_and_the_service_stays_pending() -> None:
    text = LAB.replace("  loadBalancer: {{provider: metallb, mode: layer2, addresses: {pool}}}\n", "")
    pending = load_topology_text(text.format(services=WEB))
    assert pending.services[0].external_ip_text == "<pending>" and pending.services[0].ingress_ips == ()
    with pytest.raises(TopologyError) as caught:
        load_topology_text(text.format(services=WEB.replace("selector", "loadBalancerIP: 192.168.56.240, selector")))
    assert "this lab has no load balancer to give 192.168.56.240" in str(caught.value.problems[0])


def test_the_election_is_sha256_of_node_hash_address_lowest_first() -> None:
    """layer2_controller.go: candidates sorted by sha256(node + "#" + ip), bytes ascending."""
    nodes = [f"node{i}" for i in range(1, 8)]
    for ip in ("192.168.56.240", "192.168.56.241", "10.0.0.1"):
        digests = {n: hashlib.sha256((n + "#" + ip).encode()).hexdigest() for n in nodes}
        assert winner(ip, nodes) == min(nodes, key=digests.__getitem__)
        assert winner(ip, list(reversed(nodes))) == winner(ip, nodes)  # every speaker computes the same
    assert winner("192.168.56.240", []) is None


def test_candidates_are_every_node_or_for_local_only_those_with_an_endpoint() -> None:
    t = lab(WEB + "\n  - {name: local, type: LoadBalancer, externalTrafficPolicy: Local, selector: {app: a},"
                  " ports: [{port: 81}]}"
                  "\n  - {name: none, type: LoadBalancer, selector: {app: z}, ports: [{port: 82}]}")
    by_name = {s.name: candidates(t, s) for s in t.services}
    assert by_name == {"web": ("node1", "node2", "node3"), "local": ("node1", "node2"), "none": ()}


def test_the_plan_runs_a_speaker_per_node_and_waits_for_the_winner_to_announce() -> None:
    t = lab()
    plan = compile_plan(t)
    speakers = {s.netns.rsplit(".", 1)[1]: s for s in plan.steps if isinstance(s, Daemon) and "metallb" in s.name}
    assert sorted(speakers) == ["node1", "node2", "node3"]
    config = json.loads(speakers["node2"].files[0][1])
    assert config["members"] == {"node1": "192.168.56.11", "node3": "192.168.56.13"}
    assert config["services"] == [{"name": "default/web", "ip": "192.168.56.240",
                                   "candidates": ["node1", "node2", "node3"]}]
    (answer,) = [s for s in plan.steps if isinstance(s, ArpAnswer)]
    assert (answer.netns.rsplit(".", 1)[1], answer.ip) == (winner("192.168.56.240", ["node1", "node2", "node3"]),
                                                            "192.168.56.240")


def test_the_model_trace_says_which_speaker_answers_arp_for_the_address() -> None:
    from pathlib import Path

    from netlab.topology import load_topology
    from netlab.trace.predict import predict
    t = load_topology(Path(__file__).parents[2] / "topologies" / "loadbalancer-l2.yaml")
    trace = predict(compile_plan(t), t, "client", "192.168.56.240", 80, "tcp")
    chosen = winner("192.168.56.240", ["node1", "node2", "node3"])
    assert trace.verdict.status == "delivered"
    arp = [e.text for hop in trace.hops for e in hop.events if e.kind == "arp"]
    assert arp == [f"metallb-speaker-{chosen} on {chosen} answers ARP for 192.168.56.240 on eth0 with {chosen}'s "
                   "MAC (MetalLB layer 2: the address is on no interface)"]


# -- BGP mode: FRR's configuration as MetalLB renders it, who announces, what the router installs -------------

# MetalLB's internal/bgp/frr/testdata/TestSingleSessionWithNoTimers.golden: myASN 102, a peer 10.2.2.254 of AS 100,
# no router ID, no timers, nothing announced yet.
UPSTREAM_NO_ADVERTISEMENT = """\
log stdout informational
log timestamp precision 3
hostname dummyhostname
ip nht resolve-via-default
ipv6 nht resolve-via-default
route-map 10.2.2.254-in deny 20


ip prefix-list 10.2.2.254-allowed-ipv4 seq 1 deny any


ipv6 prefix-list 10.2.2.254-allowed-ipv6 seq 1 deny any

route-map 10.2.2.254-out permit 1
  match ip address prefix-list 10.2.2.254-allowed-ipv4

route-map 10.2.2.254-out permit 2
  match ipv6 address prefix-list 10.2.2.254-allowed-ipv6

router bgp 102
  no bgp ebgp-requires-policy
  no bgp network import-check
  no bgp default ipv4-unicast
  bgp graceful-restart preserve-fw-state

  neighbor 10.2.2.254 remote-as 100
  neighbor 10.2.2.254 port 179
\x20\x20
\x20\x20

  address-family ipv4 unicast
    neighbor 10.2.2.254 activate
    neighbor 10.2.2.254 route-map 10.2.2.254-in in
    neighbor 10.2.2.254 route-map 10.2.2.254-out out
  exit-address-family

"""


def test_the_speakers_frr_configuration_is_metallbs_own() -> None:
    from ipaddress import IPv4Address

    from netlab.features.metallb.bgp import frr_conf
    peer = IPv4Address("10.2.2.254")
    assert frr_conf("dummyhostname", 102, peer, 100, []) == UPSTREAM_NO_ADVERTISEMENT
    # TestTwoAdvertisements.golden's lines for its two prefixes (its community's route-map aside): each is let out
    # by the peer's allowed prefix-list and originated by a `network` line of its own address family block.
    lines = [line for line in frr_conf("h", 100, peer, 200, ["172.16.1.10/24", "172.16.1.11/24"]).splitlines()
             if line.strip()]
    assert lines[6:8] == ["ip prefix-list 10.2.2.254-allowed-ipv4 seq 1 permit 172.16.1.10/24",
                          "ip prefix-list 10.2.2.254-allowed-ipv4 seq 2 permit 172.16.1.11/24"]
    assert lines[-4:] == ["  address-family ipv4 unicast", "    network 172.16.1.10/24", "    network 172.16.1.11/24",
                          "  exit-address-family"]


BGP_LAB = LAB.replace("mode: layer2", "mode: bgp")


def test_in_bgp_mode_every_node_announces_unless_local_and_the_router_waits_for_ecmp() -> None:
    services = WEB + "\n  - {name: loc, type: LoadBalancer, externalTrafficPolicy: Local, selector: {app: a}, " \
        "ports: [{port: 80}]}\n  - {name: none, type: LoadBalancer, selector: {app: zzz}, ports: [{port: 80}]}"
    t = load_topology_text(BGP_LAB.format(pool="[198.51.100.0/28]", services=services))
    plan = compile_plan(t)
    confs = {s.name: dict(s.files) for s in plan.steps if isinstance(s, Daemon) and s.name.startswith("metallb-sp")}
    announced = {name.rsplit("-", 1)[1]: [line.split()[1] for line in next(iter(files.values())).splitlines()
                                          if line.startswith("    network ")] for name, files in confs.items()}
    # web (.0) from every node; loc (.1) from node1 and node2, which hold its endpoints; none (.2), no endpoint: none
    assert announced == {"node1": ["198.51.100.0/32", "198.51.100.1/32"],
                         "node2": ["198.51.100.0/32", "198.51.100.1/32"], "node3": ["198.51.100.0/32"]}
    routes = {s.dst: s.nexthops for s in plan.steps if isinstance(s, Route) and s.netns.endswith(".internet")}
    assert routes == {"198.51.100.0/32": ("192.168.56.11", "192.168.56.12", "192.168.56.13"),
                      "198.51.100.1/32": ("192.168.56.11", "192.168.56.12")}
    assert not [s for s in plan.steps if isinstance(s, ArpAnswer)]


@pytest.mark.parametrize("change, message", [
    ("mode: bgp, addresses: [203.0.113.0/28]", "overlaps 203.0.113.0/24 (internet.subnet)"),
    ("mode: layer2, myASN: 64500, addresses: [192.168.56.240/28]", "myASN is for mode bgp"),
])
def test_bad_bgp_settings_are_refused(change: str, message: str) -> None:
    text = LAB.format(pool="[192.168.56.240/28]", services=WEB).replace(
        "mode: layer2, addresses: [192.168.56.240/28]", change)
    with pytest.raises(TopologyError) as caught:
        load_topology_text(text)
    assert any(message in str(p) for p in caught.value.problems), caught.value.problems


def test_bgp_mode_is_refused_beside_calico_whose_bird_holds_port_179() -> None:
    text = BGP_LAB.format(pool="[198.51.100.0/28]", services=WEB).replace("cni: flannel-vxlan", "cni: calico")
    with pytest.raises(TopologyError) as caught:
        load_topology_text(text)
    assert "MetalLB in bgp mode and Calico both speak BGP on the nodes' port 179" in str(caught.value.problems[0])


VIP = "192.168.56.240"


def test_a_speaker_spams_what_it_announces_again_whenever_a_speaker_joins_or_leaves(tmp_path: Path) -> None:
    """MetalLB syncs every Service on a memberlist event and its announcer spams even an address it already
    announces: so a node back from a partition, which never stopped announcing, gets the router's entry back."""
    from netlab.workloads.metallb_speaker import DEAD_AFTER, GRATUITOUS_FOR, Speaker
    config = tmp_path / "node1.json"
    config.write_text(json.dumps({"node": "node1", "ip": "192.168.56.11", "interface": "eth0",
                                  "members": {"node2": "192.168.56.12"},
                                  "services": [{"name": "default/web", "ip": VIP, "candidates": ["node1", "node2"]}]}))
    speaker = Speaker(config)
    assert winner(VIP, ["node1", "node2"]) == "node1"
    speaker.seen["node2"] = 0.0
    assert speaker.elect(0.0) == [("won", speaker.services[0])] and speaker.spam_until == {VIP: GRATUITOUS_FOR}
    speaker.spam_until.clear()
    assert speaker.elect(1.0) == [] and speaker.spam_until == {}  # nobody came or went: no gratuitous ARP
    assert speaker.elect(DEAD_AFTER + 1) == [] and speaker.spam_until == {VIP: DEAD_AFTER + 1 + GRATUITOUS_FOR}
    speaker.spam_until.clear()
    speaker.seen["node2"] = DEAD_AFTER + 2  # node2 is back: node1 announced all along, and says so again
    assert speaker.elect(DEAD_AFTER + 2) == [] and VIP in speaker.spam_until


def test_bgppeer_timers_are_read_as_metallb_parses_them_and_rendered_as_its_template_does() -> None:
    from ipaddress import IPv4Address

    from netlab.features.metallb.bgp import frr_conf
    def read(timers: str) -> Topology:
        return load_topology_text(BGP_LAB.format(pool="[198.51.100.0/28]", services=WEB).replace(
            "mode: bgp,", f"mode: bgp, {timers},"))
    config = read("holdTime: 9s").cluster.load_balancer
    assert config is not None and (config.hold_time, config.keepalive_time) == (9, 3)  # keepalive: hold / 3
    config = read("keepaliveTime: 1m").cluster.load_balancer
    assert config is not None and (config.hold_time, config.keepalive_time) == (180, 60)
    for bad, message in [("holdTime: 2s", "invalid hold time 2s: must be 0 or >=3s"),
                         ("holdTime: 9s, keepaliveTime: 10s", "invalid keepaliveTime 10s, must be lower than"),
                         ("holdTime: soon", "'soon' is not a duration")]:
        with pytest.raises(TopologyError) as caught:
            read(bad)
        assert any(message in str(p) for p in caught.value.problems), caught.value.problems
    # TestSingleEBGPSessionOneHop.golden: the timers line follows the port line, keepalive first
    lines = frr_conf("h", 100, IPv4Address("127.0.0.2"), 200, [], (1, 1)).splitlines()
    at = lines.index("  neighbor 127.0.0.2 port 179")
    assert lines[at + 1] == "  neighbor 127.0.0.2 timers 1 1"
    plan = compile_plan(read("holdTime: 9s"))
    bgpd = next(dict(s.files) for s in plan.steps if isinstance(s, Daemon) and s.name == "metallb-speaker-node1")
    assert "  neighbor 192.168.56.1 timers 3 9" in next(iter(bgpd.values())).splitlines()


def test_a_service_the_pool_has_no_address_for_stays_pending_with_metallbs_event() -> None:
    """MetalLB's controller leaves it <pending> and says why (controller/service.go, AllocationFailed); the lab
    still comes up, as the cluster goes on."""
    t = lab(WEB + "\n  - {name: two, type: LoadBalancer, selector: {app: a}, ports: [{port: 81}]}",
            pool="[192.168.56.240/32]")
    two = next(s for s in t.services if s.name == "two")
    assert two.external_ip_text == "<pending>" and two.ingress_ips == ()
    assert two.load_balancer_event == 'AllocationFailed: Failed to allocate IP for "default/two": no available IPs'
    assert next(s for s in t.services if s.name == "web").load_balancer_event == ""
