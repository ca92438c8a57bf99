"""NetworkPolicy on Calico, enforced by felix's chains in real namespaces, held to sig-network's e2e matrix: every
case kube-router is held to (tests/kernel/test_netpol.py), the 9x9 reachability measured with real traffic after
each policy. felix DROPs what no policy allows, so a refused connection is a timeout: short, since every pod is on
this machine."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import pytest

from netlab.lifecycle import apply as apply_mod
from netlab.topology import Topology, load_topology_text
from tests import netpol_cases
from tests.netpol_cases import ALL, OWN, Case

from .conftest import built
from .netutil import ns_socket, tcp_line

LAB = "np-calico"
BASE = netpol_cases.calico(netpol_cases.base(LAB))
PLAIN = load_topology_text(BASE)
CASES = netpol_cases.e2e_cases({p.name: str(p.ip.ip) for p in PLAIN.pods}) + OWN
TIMEOUT = 0.5


@pytest.fixture(scope="module")
def e2e() -> Iterator[Topology]:
    yield from built(BASE)


def reaches(t: Topology, src: str, dst: str, port: int, protocol: str) -> bool:
    host = t.address_of(f"s-{dst}") or ""
    try:
        if protocol == "tcp":
            tcp_line(t.name, src, host, port, timeout=TIMEOUT)
        else:
            with ns_socket(t.name, src, socket.SOCK_DGRAM) as s:
                s.settimeout(TIMEOUT)
                s.sendto(b"hello\n", (host, port))
                s.recv(4096)
        return True
    except OSError:
        return False


def wrong(t: Topology, case: Case) -> list[str]:
    pairs = [(s, d) for s in ALL for d in ALL if s != d]
    with ThreadPoolExecutor(max_workers=24) as pool:
        got = list(pool.map(lambda pair: reaches(t, *pair, case.port, case.protocol), pairs))
    return [f"{s}->{d}: kernel {'allows' if ok else 'refuses'}, expected the opposite"
            for (s, d), ok in zip(pairs, got, strict=True) if ok != case.reach(s, d)]


def applied(text: str) -> Topology:
    apply_mod.apply(text, "test")
    return load_topology_text(text)


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.title)
def test_felix_gives_the_e2e_suites_matrix(e2e: Topology, case: Case) -> None:
    t = applied(netpol_cases.with_policies(BASE, case))
    assert wrong(t, case) == []


def test_a_matrix_check_can_fail(e2e: Topology) -> None:
    """With no policy, the default-deny case's expectations are wrong in the kernel too."""
    assert wrong(applied(BASE), netpol_cases.DENY_X)
