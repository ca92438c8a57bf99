"""NetworkPolicy from the model alone: the API server's validation and defaulting, and the evaluator against the
reachability sig-network's e2e suite expects (tests/netpol_cases.py). The kernel tests send real traffic."""

from __future__ import annotations

import pytest

from netlab.errors import TopologyError
from netlab.features.netpol.evaluate import Evaluator
from netlab.features.netpol.model import EGRESS, INGRESS
from netlab.topology import load_topology_text
from netlab.topology.model import Topology
from tests import netpol_cases
from tests.netpol_cases import ALL, DENY_X, OWN, Case

BASE = netpol_cases.base()
PLAIN = load_topology_text(BASE)
CASES = netpol_cases.e2e_cases({p.name: str(p.ip.ip) for p in PLAIN.pods}) + OWN
X_A_FROM_B = Case("x-a accepts only pod b of x", """
  - name: x-a-allows-x-b
    namespace: x
    podSelector: {matchLabels: {pod: a}}
    ingress: [{from: [{podSelector: {matchLabels: {pod: b}}}]}]
""", lambda s, d: d != "x-a" or s == "x-b")
X_A_ON_81 = Case("x-a accepts tcp/81 only", """
  - name: allow-81-only
    namespace: x
    podSelector: {matchLabels: {pod: a}}
    ingress: [{ports: [{port: 81, protocol: TCP}]}]
""", lambda s, d: d != "x-a", port=80)


def matrix(t: Topology, port: int, protocol: str) -> dict[tuple[str, str], bool]:
    """Each pair's verdict for a connection to the destination's Service: its endpoint, after DNAT."""
    ev = Evaluator(t)
    ips = {p.name: p.ip.ip for p in t.pods}
    return {(s, d): ev.decide(ips[s], ips[d], port, protocol).allowed for s in ALL for d in ALL if s != d}


def wrong_cells(t: Topology, case: Case) -> list[str]:
    got = matrix(t, case.port, case.protocol)
    return [f"{s}->{d}: netlab {got[s, d]}, expected {case.reach(s, d)}" for (s, d) in got
            if got[s, d] != case.reach(s, d)]


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.title)
def test_the_evaluator_gives_the_e2e_suites_matrix(case: Case) -> None:
    t = load_topology_text(netpol_cases.with_policies(BASE, case))
    assert wrong_cells(t, case) == []


def test_the_e2e_cases_are_all_read() -> None:
    """42 of the suite's 48 cases (the others change labels at run time or probe SCTP), some probed twice."""
    assert len(netpol_cases.E2E["cases"]) == 42 and len(CASES) > 50


def test_a_matrix_check_can_fail() -> None:
    """The comparison above notices a wrong cell: the same lab without its policy disagrees."""
    assert wrong_cells(PLAIN, DENY_X)


def test_with_no_policy_everything_is_allowed_and_no_side_is_isolated() -> None:
    t = load_topology_text(BASE)
    assert all(matrix(t, 80, "tcp").values())
    d = Evaluator(t).decide(t.pods[0].ip.ip, t.pods[4].ip.ip, 80, "tcp")
    assert d.egress and d.ingress and not d.egress.policies and not d.ingress.policies


def test_the_decision_names_the_policy_and_rule_that_allow_or_isolate() -> None:
    t = load_topology_text(netpol_cases.with_policies(BASE, X_A_FROM_B))
    ips = {p.name: p.ip.ip for p in t.pods}
    ok = Evaluator(t).decide(ips["x-b"], ips["x-a"], 80, "tcp")
    assert ok.allowed and ok.ingress and ok.ingress.allowed_by == "x/x-a-allows-x-b rule 1"
    refused = Evaluator(t).decide(ips["y-b"], ips["x-a"], 80, "tcp")
    assert not refused.allowed and refused.deciding is refused.ingress
    assert refused.ingress and refused.ingress.policies == ("x/x-a-allows-x-b",)
    assert "no rule of theirs allows it" in str(refused.ingress)


def test_a_pods_own_node_may_always_reach_it() -> None:
    t = load_topology_text(netpol_cases.with_policies(BASE, DENY_X))
    xa = next(p for p in t.pods if p.name == "x-a")
    node = t.node(xa.node)
    assert Evaluator(t).decide(node.bridge_ip.ip, xa.ip.ip, 80, "tcp").allowed
    other = next(n for n in t.nodes if n.name != xa.node)
    assert not Evaluator(t).decide(other.ip, xa.ip.ip, 80, "tcp").allowed


def test_icmp_is_refused_by_the_api_but_kube_router_lets_pings_through_and_netlab_says_both() -> None:
    t = load_topology_text(netpol_cases.with_policies(BASE, X_A_ON_81))
    ips = {p.name: p.ip.ip for p in t.pods}
    assert not Evaluator(t).decide(ips["y-a"], ips["x-a"], None, "icmp").allowed  # the API: a rule lists ports
    from netlab.compile import compile_plan
    from netlab.features.netpol import explain

    [e] = explain.explain(t, compile_plan(t), "y-a", "x-a", "icmp")
    assert e.enforced and "KUBE-NWPLCY-COMMON accepts ICMP echo" in e.enforced
    assert any("verdict: refused by the API" in line for line in explain.lines(e))


def test_where_kube_routers_rules_depart_from_the_api_netlab_says_so() -> None:
    """A policy with both types: kube-router jumps to its chain with no address match, so its egress rule also
    lets in what the API refuses (found by walking the plan's rules)."""
    from netlab.compile import compile_plan
    from netlab.features.netpol import explain

    t = load_topology_text(policy("  - {name: both, namespace: x, podSelector: {}, policyTypes: [Ingress, Egress], "
                                  "egress: [{to: [{podSelector: {}}]}]}\n"))
    [e] = explain.explain(t, compile_plan(t), "x-a", "x-b:80", "tcp")
    assert not e.decision.allowed and e.enforced and e.enforced.startswith("its rules let it through")
    [agree] = explain.explain(t, compile_plan(t), "y-a", "x-b:80", "tcp")
    assert not agree.decision.allowed and agree.enforced is None


# -- the API server's defaulting and validation --------------------------------------------------------

def policy(yaml: str) -> str:
    return BASE + "networkPolicies:\n" + yaml


def problems(text: str) -> str:
    with pytest.raises(TopologyError) as caught:
        load_topology_text(text)
    return "\n".join(str(p) for p in caught.value.problems)


def test_policy_types_default_as_the_api_server_defaults_them() -> None:
    t = load_topology_text(policy("""
  - {name: only-ingress, namespace: x, podSelector: {}}
  - {name: with-egress, namespace: x, podSelector: {}, egress: [{}]}
  - {name: empty-egress, namespace: x, podSelector: {}, egress: []}
"""))
    types = {p.name: p.policy_types for p in t.policies}
    assert types == {"only-ingress": (INGRESS,), "with-egress": (INGRESS, EGRESS), "empty-egress": (INGRESS,)}
    assert t.cluster.network_policy == "kube-router"


def test_every_namespace_carries_its_metadata_name_label() -> None:
    t = load_topology_text(policy("  - {name: p, namespace: elsewhere, podSelector: {}}\n"))
    labels = {n.name: dict(n.labels) for n in t.namespaces}
    assert labels["x"] == {"kubernetes.io/metadata.name": "x"}
    assert labels["elsewhere"] == {"kubernetes.io/metadata.name": "elsewhere"}
    assert "default" in labels


@pytest.mark.parametrize("bad, message", [
    ("{name: p, podSelector: {}, ingress: [{from: [{ipBlock: {cidr: 10.0.0.0/8}, podSelector: {}}]}]}",
     "an ipBlock cannot be combined with a selector"),
    ("{name: p, podSelector: {}, ingress: [{from: [{ipBlock: {cidr: 10.0.0.0/8, except: [192.168.0.0/16]}}]}]}",
     "192.168.0.0/16 is not inside 10.0.0.0/8"),
    ("{name: p, podSelector: {}, ingress: [{from: [{ipBlock: {cidr: 10.0.0.0/8, except: [10.0.0.0/8]}}]}]}",
     "10.0.0.0/8 is not inside 10.0.0.0/8"),
    ("{name: p, podSelector: {}, ingress: [{ports: [{port: http, endPort: 90}]}]}", "endPort needs a numeric port"),
    ("{name: p, podSelector: {}, ingress: [{ports: [{port: 90, endPort: 80}]}]}", "endPort 80 is below port 90"),
    ("{name: p, podSelector: {matchLabels: {'-bad': x}}}", "'-bad' is not a valid label key"),
    ("{name: p, podSelector: {matchLabels: {app: 'no spaces'}}}", "'no spaces' is not a valid label value"),
    ("{name: p, podSelector: {matchExpressions: [{key: app, operator: Like, values: [x]}]}}",
     "'Like' is not a valid selector operator"),
    ("{name: p, podSelector: {matchExpressions: [{key: app, operator: In}]}}", "operator In needs at least one value"),
    ("{name: p, podSelector: {matchExpressions: [{key: app, operator: Exists, values: [x]}]}}",
     "operator Exists takes no values"),
    ("{name: p, podSelector: {}, ingress: [{from: [{}]}]}", "a peer must say who it is"),
    ("{name: p, podSelector: {}, ingress: [{from: [{podSelector: null}]}]}", "a peer must say who it is"),
    ("{name: p, podSelector: {}, ingress: [{from: [{ipBlock: {cidr: [10.0.0.0/8]}}]}]}", "is not a valid CIDR"),
    ("{name: p, podSelector: {}, policyTypes: [Inbound]}", "'Inbound' is not a policy type"),
    ("{name: p, podSelector: {}, ingress: [{ports: [{port: 80, protocol: ICMP}]}]}", "'ICMP' is not a valid protocol"),
    ("{name: p, podSelector: {}, ingress: [{ports: [{port: no_underscores}]}]}", "not a port number or a valid"),
    ("{name: p}", "'podSelector' is required"),
    ("{name: Bad_Name, podSelector: {}}", "'Bad_Name' is not a valid policy name"),
])
def test_what_the_api_server_refuses_is_refused_with_its_path_and_line(bad: str, message: str) -> None:
    text = problems(policy(f"  - {bad}\n"))
    assert message in text and "networkPolicies[0]" in text and "line " in text, text


def test_a_policy_defined_twice_and_policies_on_a_docker_lab_are_refused() -> None:
    same = "  - {name: p, namespace: x, podSelector: {}}\n"
    twice = problems(policy("  - {name: Bad_Name, podSelector: {}}\n" + same * 2))
    assert "networkPolicies[2].name" in twice and "policy x/p is defined twice" in twice
    assert "NetworkPolicy is a Kubernetes cluster's" in problems(
        "name: d\npods: [{name: a}]\nnetworkPolicies: [{name: p, podSelector: {}}]\n")


def test_an_ip_block_may_have_host_bits_as_the_api_server_allows() -> None:
    t = load_topology_text(policy("  - {name: p, namespace: x, podSelector: {}, ingress: [{from: [{ipBlock: "
                                  "{cidr: 10.0.0.1/8, except: [10.1.2.3/16]}}]}]}\n"))
    block = t.policies[0].ingress[0].peers[0].ip_block
    assert block is not None and (str(block.cidr), [str(e) for e in block.excepted]) == ("10.0.0.0/8", ["10.1.0.0/16"])


def test_named_ports_must_be_valid_and_unique_on_a_pod() -> None:
    assert "port name 'web' is used twice" in problems(
        "name: n\ncluster: {cni: flannel-vxlan}\npods:\n  - {name: a, serve: "
        "[{name: web, port: 80, protocol: http}, {name: web, port: 81}]}\n")
    assert "'Web' is not a valid port name" in problems(
        "name: n\ncluster: {cni: flannel-vxlan}\npods:\n  - {name: a, serve: [{name: Web, port: 80}]}\n")


# -- kube-router's rules (features/netpol/kube_router.py) ---------------------------------------------------

def test_chain_names_follow_kube_routers_recipe() -> None:
    """The names kube-router's own unit tests expect (network_policy_controller_test.go, sync version "1")."""
    from netlab.features.netpol import kube_router
    from netlab.features.netpol.model import LabelSelector, NetworkPolicy

    expected = {"simple-egress": "C23KD7UE4TAT3Y5M", "simple-ingress-egress": "IDIX352DRLNY3D23",
                "simple-egress-pr": "2UTXQIFBI5TAPUCL", "sctp-egress": "HHGHJNRMJN6UUDNA",
                "sctp-ingress": "BHQGYKZ6X5RBPUOB", "invalid-endport": "N5DQE4SCQ56JEMH7"}
    for name, digest in expected.items():
        policy = NetworkPolicy(name, "nsA", LabelSelector(), (INGRESS,))
        assert kube_router.policy_chain(policy) == f"KUBE-NWPLCY-{digest}"


def kube_router_rules(t: Topology, node: str) -> tuple[str, str]:
    from netlab.compile import compile_plan
    from netlab.plan import RuleSet

    found = {s.tool: s.payload for s in compile_plan(t).steps
             if isinstance(s, RuleSet) and s.table == "kube-router" and s.netns.endswith(f".{node}")}
    return found[t.cluster.iptables], found.get("ipset", "")


def test_the_hooks_and_fixed_rules_carry_kube_routers_own_hashes() -> None:
    rules, _ = kube_router_rules(load_topology_text(BASE), "node1")
    for line in ('-I INPUT 1 -m comment --comment "kube-router netpol - 4IA2OSFRMVNDXBVV" -j KUBE-ROUTER-INPUT',
                 '-I FORWARD 1 -m comment --comment "kube-router netpol - TEMCG2JMHZYE7H7T" -j KUBE-ROUTER-FORWARD',
                 '-I OUTPUT 1 -m comment --comment "kube-router netpol - VEAAIY32XVBHCSCY" -j KUBE-ROUTER-OUTPUT',
                 '-A KUBE-ROUTER-INPUT -d 10.96.0.0/12 -m comment --comment "allow traffic to primary/secondary '
                 'cluster IP range - BVHX2PIHDXXEO43X" -j RETURN'):
        assert line in rules.splitlines()


def test_a_pods_chain_has_kube_routers_order() -> None:
    t = load_topology_text(netpol_cases.with_policies(BASE, X_A_FROM_B))
    xa = next(p for p in t.pods if p.name == "x-a")
    rules, sets = kube_router_rules(t, xa.node)
    from netlab.features.netpol import kube_router

    chain = kube_router.pod_chain(xa)
    ip = f"{xa.ip.ip}/32"
    assert [line.split(" -j ")[-1].split()[0] if " -j " in line else line for line in rules.splitlines()
            if line.startswith(f"-A {chain} ")] == [
        "KUBE-NWPLCY-COMMON", "ACCEPT", "KUBE-NWPLCY-DEFAULT", kube_router.policy_chain(t.policies[0]),
        "NFLOG", "REJECT", "MARK", "MARK"]
    assert f'-A {chain} -s {ip} -m comment --comment "default egress" -j KUBE-NWPLCY-DEFAULT' in rules
    assert f'-A {chain} -d {ip} -m comment --comment "x/x-a-allows-x-b policy"' in rules
    xb = next(p for p in t.pods if p.name == "x-b")
    peers = kube_router.rule_set(t.policies[0], INGRESS, 0, "pod")
    assert f"add {peers} {xb.ip.ip}" in sets.splitlines()


def test_apply_destroys_a_policys_sets_only_after_the_rules_naming_them_are_gone() -> None:
    """The kernel refuses to destroy a set that a rule still names: the ipset change keeps the old sets until
    the iptables re-sync has run, and a second change destroys them."""
    from netlab.compile import compile_plan
    from netlab.plan import rulesets
    from netlab.plan.diff import Change, Resync, diff

    with_policy = compile_plan(load_topology_text(netpol_cases.with_policies(BASE, X_A_FROM_B)))
    other = compile_plan(load_topology_text(netpol_cases.with_policies(BASE, DENY_X)))
    ops = diff(with_policy, other)
    node = next(p.node for p in PLAIN.pods if p.name == "x-a")
    ipset_changes = [i for i, op in enumerate(ops) if isinstance(op, Change) and op.new.kind == "ruleset"
                     and getattr(op.new, "tool", "") == "ipset" and op.new.netns.endswith(f".{node}")]
    resync = next(i for i, op in enumerate(ops) if isinstance(op, Resync) and op.netns.endswith(f".{node}"))
    first, last = ops[ipset_changes[0]], ops[ipset_changes[-1]]
    assert isinstance(first, Change) and isinstance(last, Change)
    assert ipset_changes[0] < resync < ipset_changes[-1]
    assert "destroy" not in rulesets.resync(first.old, first.new)  # type: ignore[arg-type]
    assert "destroy KUBE-" in rulesets.resync(last.old, last.new)  # type: ignore[arg-type]


def test_the_graph_draws_each_policy_with_what_it_allows_and_an_arrow_to_each_pod_it_selects() -> None:
    from netlab.compile import compile_plan
    from netlab.render.graph import diagram

    t = load_topology_text(netpol_cases.with_policies(BASE, X_A_FROM_B))
    d = diagram(t, compile_plan(t))
    box = next(b for b in d.boxes() if b.kind == "policy")
    assert box.lines[:2] == ("netpol x/x-a-allows-x-b", "selects pod=a")
    assert "from pods pod=b, on every port" in box.lines
    assert [e.b for e in d.edges if e.a == box.id] == ["b_x_a"]


def test_a_change_of_a_service_and_a_policy_together_creates_the_sets_before_the_rules_name_them() -> None:
    from netlab.compile import compile_plan
    from netlab.plan.diff import Change, Create, Resync, diff

    before = compile_plan(load_topology_text(netpol_cases.with_policies(BASE, X_A_FROM_B)))
    text = netpol_cases.with_policies(BASE, DENY_X).replace("{name: tcp-80, port: 80,", "{name: tcp-80, port: 8080,")
    ops = diff(before, compile_plan(load_topology_text(text)))
    node = next(p.node for p in PLAIN.pods if p.name == "x-a")
    first_set = next(i for i, op in enumerate(ops) if isinstance(op, (Create, Change))
                     and getattr(op.step if isinstance(op, Create) else op.new, "tool", "") == "ipset"
                     and (op.step if isinstance(op, Create) else op.new).netns.endswith(f".{node}"))
    resync = next(i for i, op in enumerate(ops) if isinstance(op, Resync) and op.netns.endswith(f".{node}"))
    assert first_set < resync


def test_comments_are_cut_at_120_bytes_as_kube_router_cuts_them() -> None:
    name = "a" * 200
    t = load_topology_text(policy(f"  - {{name: {name}, namespace: x, podSelector: {{}}, ingress: [{{}}]}}\n"))
    rules, _ = kube_router_rules(t, "node1")
    comments = [c for line in rules.splitlines() for c in line.split('"')[1::2]]
    assert comments and max(len(c) for c in comments) <= 120
    assert f"x/{name}"[:120] in comments


def test_a_set_holds_one_entry_per_prefix_the_last_flags_winning() -> None:
    """0.0.0.0/0 except 0.0.0.0/1: the /0 is stored as its two halves, and 0.0.0.0/1 is then excepted."""
    t = load_topology_text(policy("  - {name: p, namespace: x, podSelector: {}, ingress: [{from: [{ipBlock: "
                                  "{cidr: 0.0.0.0/0, except: [0.0.0.0/1]}}]}]}\n"))
    _, sets = kube_router_rules(t, "node1")
    members = [line.split(" ", 2)[2] for line in sets.splitlines() if line.startswith("add ") and "/1" in line]
    assert sorted(members) == ["0.0.0.0/1 nomatch", "128.0.0.0/1"]


def test_a_node_is_judged_by_the_address_its_packet_carries() -> None:
    """node2 reaches a pod on node1 through flannel.1, from its VTEP address (10.244.1.0): an ipBlock of the
    underlay does not let it in, and netlab policy says so (from the predictor's walk of the plan)."""
    from netlab.compile import compile_plan
    from netlab.features.netpol import explain

    t = load_topology_text(policy("  - {name: from-nodes, namespace: x, podSelector: {matchLabels: {pod: a}}, "
                                  "ingress: [{from: [{ipBlock: {cidr: 192.168.56.0/24}}]}]}\n"))
    node = next(n.name for n in t.nodes if n.name != next(p.node for p in t.pods if p.name == "x-a"))
    [e] = explain.explain(t, compile_plan(t), node, "x-a:80", "tcp")
    assert e.source.startswith(f"{node} (10.244.") and not e.decision.allowed and e.enforced is None
