"""NetworkPolicy enforced by kube-router's rules in real namespaces, judged the way sig-network's e2e suite judges
an implementation: the model of namespaces x, y, z with pods a, b, c each, and the whole 9x9 reachability matrix
measured with real traffic after each policy (tests/netpol_cases.py holds the cases and what the suite expects).
Policies come and go with `netlab apply` on one running lab, as a cluster's do."""

from __future__ import annotations

import json
import socket
import subprocess
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import pytest

from netlab import naming
from netlab.lifecycle import apply as apply_mod
from netlab.topology import Topology, load_topology_text
from tests import netpol_cases
from tests.netpol_cases import ALL, DENY_X, OWN, Case

from .conftest import built, netlab
from .netutil import ns_socket, tcp_line

LAB = "np-e2e"
BASE = netpol_cases.base(LAB)
PLAIN = load_topology_text(BASE)
CASES = netpol_cases.e2e_cases({p.name: str(p.ip.ip) for p in PLAIN.pods}) + OWN


@pytest.fixture(scope="module")
def e2e() -> Iterator[Topology]:
    yield from built(BASE)


def reaches(t: Topology, src: str, dst: str, port: int, protocol: str) -> bool:
    """One connection of the matrix, sent from inside `src` to the destination's Service, as the suite's agnhost
    connect does: a TCP connect and the echo server's line, or a UDP datagram and its answer. kube-router
    REJECTs, so a refusal comes back at once."""
    host = t.address_of(f"s-{dst}") or ""
    try:
        if protocol == "tcp":
            tcp_line(t.name, src, host, port, timeout=2.0)
        else:
            with ns_socket(t.name, src, socket.SOCK_DGRAM) as s:
                s.settimeout(1.0)
                s.sendto(b"hello\n", (host, port))
                s.recv(4096)
        return True
    except OSError:
        return False


def measured(t: Topology, port: int, protocol: str) -> dict[tuple[str, str], bool]:
    """Every pair but a pod to itself (which the suite never judges)."""
    pairs = [(s, d) for s in ALL for d in ALL if s != d]
    with ThreadPoolExecutor(max_workers=9) as pool:
        results = list(pool.map(lambda pair: reaches(t, *pair, port, protocol), pairs))
    return dict(zip(pairs, results, strict=True))


def wrong(t: Topology, case: Case) -> list[str]:
    got = measured(t, case.port, case.protocol)
    return [f"{s}->{d}: kernel {'allows' if got[s, d] else 'refuses'}, expected the opposite"
            for (s, d) in got if got[s, d] != case.reach(s, d)]


def applied(text: str) -> Topology:
    apply_mod.apply(text, "test")
    return load_topology_text(text)


def test_with_no_policy_every_pod_reaches_every_pod(e2e: Topology) -> None:
    assert wrong(applied(BASE), Case("no policy", "", lambda s, d: True)) == []


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.title)
def test_the_kernel_gives_the_e2e_suites_matrix(e2e: Topology, case: Case) -> None:
    t = applied(netpol_cases.with_policies(BASE, case))
    assert wrong(t, case) == []


def test_a_removed_policy_gives_the_access_back_and_its_chains_and_sets_go(e2e: Topology) -> None:
    deny = DENY_X
    t = applied(netpol_cases.with_policies(BASE, deny))
    assert wrong(t, deny) == []
    node = naming.netns(LAB, "node1")
    saved = subprocess.run(["ip", "netns", "exec", node, "iptables-save", "-t", "filter"], capture_output=True,
                           text=True, check=True).stdout
    assert '"x/deny-ingress policy"' in saved
    t = applied(BASE)
    assert all(measured(t, 80, "tcp").values())
    saved = subprocess.run(["ip", "netns", "exec", node, "iptables-save", "-t", "filter"], capture_output=True,
                           text=True, check=True).stdout
    sets = subprocess.run(["ip", "netns", "exec", node, "ipset", "list", "-n"], capture_output=True, text=True,
                          check=True).stdout
    assert "deny-ingress" not in saved and "KUBE-NWPLCY-" in saved  # only the fixed chains are left
    assert not [s for s in sets.split() if s.startswith(("KUBE-SRC-", "KUBE-DST-"))], sets


def test_a_matrix_check_can_fail(e2e: Topology) -> None:
    """With no policy applied, the default-deny case's expectations are wrong in the kernel too."""
    assert wrong(applied(BASE), DENY_X)


def test_an_open_connection_survives_a_new_deny(e2e: Topology) -> None:
    """kube-router's COMMON chain accepts established connections first: a new policy cuts new ones only.
    (The echo server closes after its one line, so the open connection is to a cat behind socat, started here.)"""
    t = applied(BASE)
    xa = t.address_of("x-a") or ""
    cat = subprocess.Popen(["ip", "netns", "exec", naming.netns(LAB, "x-a"), "socat",
                            "TCP-LISTEN:9000,reuseaddr", "EXEC:cat"], stderr=subprocess.DEVNULL)
    try:
        s = None
        for _ in range(50):  # socat starts listening
            s = ns_socket(LAB, "y-b", socket.SOCK_STREAM)
            s.settimeout(3)
            try:
                s.connect((xa, 9000))
                break
            except ConnectionRefusedError:
                s.close()
                time.sleep(0.05)
        assert s is not None
        with s:
            s.sendall(b"before\n")
            assert s.recv(4096) == b"before\n"
            applied(netpol_cases.with_policies(BASE, DENY_X))  # x denies all ingress
            assert not reaches(t, "z-b", "x-a", 80, "tcp")  # a new connection is refused
            s.sendall(b"after\n")
            assert s.recv(4096) == b"after\n", "the open connection was cut"
    finally:
        cat.kill()
        cat.wait()


def test_a_denied_connection_is_rejected_by_the_pods_chain_and_logged(e2e: Topology) -> None:
    t = applied(netpol_cases.with_policies(BASE, DENY_X))
    assert not reaches(t, "y-b", "x-a", 80, "tcp")
    node = next(p.node for p in t.pods if p.name == "x-a")
    listing = subprocess.run(["ip", "netns", "exec", naming.netns(LAB, node), "iptables", "-t", "filter", "-L", "-v",
                              "-n", "-x"], capture_output=True, text=True, check=True).stdout
    rejects = [line for line in listing.splitlines() if "x/x-a reject" in line]
    assert rejects and int(rejects[0].split()[0]) > 0, listing  # its packet counter moved


def test_status_lists_the_policies_and_the_pods_each_selects(e2e: Topology) -> None:
    applied(netpol_cases.with_policies(BASE, DENY_X))
    done = netlab("status", LAB, "--json")
    assert done.returncode == 0, done.stderr
    [policy] = json.loads(done.stdout)["network_policies"]
    assert (policy["namespace"], policy["name"]) == ("x", "deny-ingress")
    assert policy["selects"] == ["x-a", "x-b", "x-c"]
