"""kube-proxy's userspace mode on real nodes: iptables REDIRECTs to kube-proxy's own proxy port, and kube-proxy
relays every connection (and every UDP client: cluster DNS too) with one of its own — the pod sees the node."""

from __future__ import annotations

import socket
from collections.abc import Iterator

import pytest

from netlab import state
from netlab.features.kube_proxy import userspace
from netlab.features.kube_proxy.service_ports import service_ports
from netlab.lifecycle import apply as apply_mod
from netlab.lifecycle.status import lab_status
from netlab.probe import run_probes
from netlab.topology import Topology
from netlab.trace.session import behind, trace_once

from .conftest import built, renamed
from .netutil import http_get, ns_socket, run_in

LAB = "us"


@pytest.fixture(scope="module")
def us() -> Iterator[Topology]:
    yield from built(renamed("services-userspace", LAB))


def proxy_port(t: Topology, name: str) -> int:
    ports = service_ports(t)
    return userspace.proxy_port(userspace.proxy_ports(ports), next(i for i in ports if i.name == name))


def test_the_labs_probes_pass_and_the_pod_sees_the_node(us: Topology) -> None:
    results = run_probes(us)
    assert all(r.ok for r in results), [(r.probe.name, r.detail) for r in results if not r.ok]
    answer = http_get(LAB, "client1", "10.96.0.11")
    assert answer["client"] in ("10.244.0.1", "10.244.0.0")  # node1's cni0 or flannel.1: kube-proxy's connection
    log = (state.LabState(LAB).dir / "logs" / "kube-proxy-node1.log").read_text()
    assert f"→ :{proxy_port(us, 'default/web:http')} (default/web:http) →" in log


def test_kube_proxy_listens_on_its_proxy_ports_and_holds_the_node_port(us: Topology) -> None:
    listening = run_in(LAB, "node1", "ss", "-Hltn").stdout
    assert f":{proxy_port(us, 'default/web:http')} " in listening and ":30080 " in listening


def test_cluster_dns_goes_through_the_udp_relay(us: Topology) -> None:
    done = run_in(LAB, "client1", "dig", "+short", "+tries=1", "+time=2", "web.default.svc.cluster.local")
    assert done.stdout.split() == ["10.96.0.11"]
    log = (state.LabState(LAB).dir / "logs" / "kube-proxy-node1.log").read_text()
    assert "(kube-system/kube-dns:dns) →" in log


def test_a_service_without_endpoints_is_accepted_then_closed(us: Topology) -> None:
    """No REJECT in this mode: kube-proxy accepts the connection on its proxy port and closes it at once."""
    with ns_socket(LAB, "client1", socket.SOCK_STREAM) as s:
        s.settimeout(3)
        s.connect(("10.96.0.13", 80))
        assert s.recv(100) == b""


def test_a_trace_shows_the_redirect_and_then_kube_proxys_own_connection(us: Topology) -> None:
    first, departures = trace_once(LAB, "client1", "10.96.0.11:80", "tcp", timeout=3)
    assert first.trace.verdict.status == "delivered" and first.trace.verdict.where == "node1" and departures == []
    redirect = [e for h in first.trace.hops for e in h.events if e.kind == "dnat"]
    assert redirect and f":{proxy_port(us, 'default/web:http')}" in redirect[0].text
    leg = behind(LAB, first, None, "/", predict=False, timeout=3)
    assert leg is not None and leg.who == "kube-proxy (userspace) on node1" and leg.second is not None
    assert leg.second.trace.source == "node1" and leg.second.trace.verdict.status == "delivered"
    assert leg.departures == []


def test_apply_opens_a_new_services_proxy_port_without_restarting_kube_proxy(us: Topology) -> None:
    pid = next(p.pid for p in state.LabState(LAB).processes() if p.name == "kube-proxy-node1")
    more = renamed("services-userspace", LAB).replace(
        "  - name: nothing\n", "  - {name: more, selector: {app: web}, ports: [{port: 81, targetPort: 80}]}\n"
                               "  - name: nothing\n")
    apply_mod.apply(more, "test")
    try:
        svc = next(s for s in lab_status(LAB).as_dict()["services"] if s["name"] == "more")
        assert http_get(LAB, "client1", svc["cluster_ip"], 81)["server"] in ("web1", "web2")
        assert next(p.pid for p in state.LabState(LAB).processes() if p.name == "kube-proxy-node1") == pid
    finally:
        apply_mod.apply(renamed("services-userspace", LAB), "test")
    assert lab_status(LAB).drift == []
