"""felix's names for policy chains and selector ipsets, held to values from Calico's own tests."""

from __future__ import annotations

import pytest

from netlab.features.calico import felix_policy
from netlab.features.calico.felix_rules import chain_name


def test_selector_ids_are_libcalico_gos() -> None:
    """libcalico-go/lib/selector/parser/parser_test.go canonicalisationTests."""
    assert felix_policy.unique_id("s", "all()") == "s:5y5I3VdRZfDU01O--xXAPx2yxCQQqMf0M6IWug"
    assert felix_policy.unique_id("s", "!(has(b) || !has(a))") == "s:Iss0uCleLYv1GSv_pNm7hAO58kE9jAx1NKyG3Q"


def test_a_long_policy_chain_name_is_hashed_as_felix_hashes_it() -> None:
    """felix/rules/policy_test.go: GlobalNetworkPolicy long-policy-name-that-gets-hashed."""
    assert chain_name("cali-pi-", "gnp/long-policy-name-that-gets-hashed") == "cali-pi-_PymyFHQQg3808jiz1OJ"


def test_a_peer_selectors_ipset() -> None:
    peer = felix_policy.conjunction([felix_policy.equals("projectcalico.org/namespace", "default"),
                                     felix_policy.conjunction([felix_policy.equals("projectcalico.org/orchestrator",
                                                                                   "k8s"),
                                                               felix_policy.equals("app", "client")])])
    assert peer == ('(projectcalico.org/namespace == "default" && (projectcalico.org/orchestrator == "k8s" && '
                    'app == "client"))')
    assert len(felix_policy.selector_set(peer)) == 31 and felix_policy.selector_set(peer).startswith("cali40s:")


def test_the_example_peer_of_the_research_notes() -> None:
    """ingress from podSelector {app: client} in namespace default → cali40s:g_TM4cHGncRYRKupcms5_3m."""
    from netlab.features.netpol.model import LabelSelector, Peer
    peer = Peer(pod_selector=LabelSelector((("app", "client"),)))
    canonical = felix_policy.peer_selector(peer, "default")
    assert canonical is not None and felix_policy.selector_set(canonical) == "cali40s:g_TM4cHGncRYRKupcms5_3m"


def test_the_example_policy_chain_of_the_research_notes() -> None:
    """allow-client: podSelector app=web, ingress from app=client on TCP 80 (hash from the research notes'
    rebuild of felix's algorithm, not from a live felix)."""
    from netlab.features.calico.felix_rules import Chain
    from netlab.features.netpol.model import INGRESS, LabelSelector, NetworkPolicy, Peer, PolicyPort, PolicyRule
    policy = NetworkPolicy("allow-client", "default", LabelSelector((("app", "web"),)), (INGRESS,),
                           ingress=(PolicyRule((Peer(pod_selector=LabelSelector((("app", "client"),))),),
                                               (PolicyPort("tcp", 80),)),))
    name = felix_policy.policy_chain("default", "allow-client", ingress=True)
    (line,) = Chain(name, tuple(felix_policy.chain_rules(policy, INGRESS))).lines()
    assert name == "cali-pi-_xkkHayCrFy5osyT5E7F"
    assert line == ('-A cali-pi-_xkkHayCrFy5osyT5E7F -m comment --comment "cali:2iCFGJsHvlchmQxh" -m comment '
                    '--comment "KubernetesNetworkPolicy default/allow-client ingress" -p tcp -m set --match-set '
                    'cali40s:g_TM4cHGncRYRKupcms5_3m src -m multiport --destination-ports 80 --jump MARK --set-mark '
                    '0x10000/0x10000')


# -- the e2e suite's matrix, walked through felix's chains by the predictor (the kernel test sends traffic) --

from netlab.compile import compile_plan  # noqa: E402
from netlab.topology import load_topology_text  # noqa: E402
from netlab.trace.predict import predict  # noqa: E402
from tests import netpol_cases  # noqa: E402
from tests.netpol_cases import ALL, OWN, Case  # noqa: E402


def test_the_core_cases_are_all_found() -> None:
    assert {c.title for c in CALICO_CASES} == set(netpol_cases.CORE)

CALICO_BASE = netpol_cases.calico(netpol_cases.base())
CALICO_PLAIN = load_topology_text(CALICO_BASE)
# Each case walks 72 connections through the rules (about 4 s); all 64 take 4 minutes: CI walks the core ones.
CALICO_CASES = [c for c in netpol_cases.e2e_cases({p.name: str(p.ip.ip) for p in CALICO_PLAIN.pods}) + OWN
                if c.title in netpol_cases.CORE]


def predicted_cells(case: Case) -> list[str]:
    t = load_topology_text(netpol_cases.with_policies(CALICO_BASE, case))
    plan = compile_plan(t)
    wrong = []
    for s in ALL:
        for d in ALL:
            if s == d:
                continue
            got = predict(plan, t, s, f"s-{d}", case.port, case.protocol).verdict.status == "delivered"
            if got != case.reach(s, d):
                wrong.append(f"{s}->{d}: felix's rules {got}, expected {case.reach(s, d)}")
    return wrong


@pytest.mark.parametrize("case", CALICO_CASES, ids=lambda c: c.title)
def test_felixs_rules_give_the_e2e_suites_matrix(case: Case) -> None:
    assert predicted_cells(case) == []


def test_on_calico_felix_enforces_the_policies_and_kube_router_is_refused() -> None:
    from tests.unit.test_validation import problems
    t = load_topology_text(netpol_cases.with_policies(CALICO_BASE, netpol_cases.DENY_X))
    assert t.cluster.network_policy == "calico"
    found = problems(CALICO_BASE.replace("calico: {encapsulation: VXLAN}}", "calico: {encapsulation: VXLAN}, "
                                         "networkPolicy: kube-router}"))
    assert any(p.startswith("cluster.networkPolicy ") and "kube-router does not enforce a calico lab's" in p
               for p in found), found
