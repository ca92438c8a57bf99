"""Cluster DNS on a real kernel, asked with real clients (dig, getent, nslookup, curl) from inside pods.

The lab is topologies/dns.yaml: kube-dns 10.96.0.10 in front of two coredns pods (unbound standing in for
CoreDNS), the internet's name server ns1 203.0.113.53 for example.com, and a Service of each kind the
Kubernetes DNS specification names. What is checked is the specification's (and CoreDNS's) answer.
"""

from __future__ import annotations

import re
import signal
from collections.abc import Iterator
from pathlib import Path

import pytest

from netlab import naming, state
from netlab.compile import compile_plan
from netlab.lifecycle import apply as apply_mod
from netlab.lifecycle import down, up
from netlab.plan import Note
from netlab.probe import run_probes
from netlab.topology import Topology, load_topology_text
from netlab.trace.session import trace_once

from .conftest import LabFactory, built, renamed, renamed_file, skip_without_ipvs
from .netutil import leaks_of, run_in
from .test_crash import interrupted_up

LAB = "test-dns"
KUBE_DNS, WEB, API, OUTSIDE = "10.96.0.10", "10.96.0.11", "10.96.0.12", "203.0.113.10"
DB0, DB1 = "10.244.0.4", "10.244.1.3"


@pytest.fixture(scope="module")
def dns_lab() -> Iterator[Topology]:
    yield from built(renamed("dns", LAB))


def dig(where: str, *args: str, lab: str = LAB) -> str:
    done = run_in(lab, where, "dig", "+time=2", "+tries=1", *args)
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


def answer(where: str, *args: str, lab: str = LAB) -> list[tuple[str, int, str, str]]:
    """dig's answer section: (name, ttl, type, data)."""
    rows = []
    for line in dig(where, "+noall", "+answer", *args, lab=lab).splitlines():
        name, ttl, _cls, rtype, data = line.split(None, 4)
        rows.append((name, int(ttl), rtype, data))
    return rows


def data(where: str, *args: str) -> list[str]:
    return sorted(row[3] for row in answer(where, *args))


def status_of(output: str) -> str:
    match = re.search(r"status: (\w+)", output)
    assert match, output
    return match[1]


def test_pods_get_kubelets_resolv_conf_and_nodes_the_upstreams(dns_lab: Topology) -> None:
    assert run_in(LAB, "client", "cat", "/etc/resolv.conf").stdout == (
        "search default.svc.cluster.local svc.cluster.local cluster.local\n"
        f"nameserver {KUBE_DNS}\noptions ndots:5\n")
    assert run_in(LAB, "shop-client", "cat", "/etc/resolv.conf").stdout.startswith("search shop.svc.cluster.local ")
    assert run_in(LAB, "node1", "cat", "/etc/resolv.conf").stdout == "nameserver 203.0.113.53\n"
    # coredns has dnsPolicy Default: the node's, which is how it forwards upstream
    coredns = next(p.name for p in dns_lab.pods if p.workload == "cluster-dns")
    assert run_in(LAB, coredns, "cat", "/etc/resolv.conf").stdout == "nameserver 203.0.113.53\n"


def test_a_service_is_an_a_record_with_coredns_ttl_from_an_authoritative_server(dns_lab: Topology) -> None:
    out = dig("client", "web.default.svc.cluster.local")
    assert status_of(out) == "NOERROR" and " aa " in out.split("flags:")[1].split(";")[0] + " "
    assert answer("client", "web.default.svc.cluster.local") == [("web.default.svc.cluster.local.", 30, "A", WEB)]
    assert f"SERVER: {KUBE_DNS}#53" in out  # through the Service, DNATed by kube-proxy to a coredns pod


def test_short_names_go_through_the_search_list(dns_lab: Topology) -> None:
    assert run_in(LAB, "client", "getent", "hosts", "web").stdout.split() == [WEB, "web.default.svc.cluster.local"]
    lookup = run_in(LAB, "client", "nslookup", "web").stdout
    assert "Name:\tweb.default.svc.cluster.local" in lookup and f"Address: {WEB}" in lookup
    # another namespace: its name with the namespace works, its short name only from inside it
    assert run_in(LAB, "client", "getent", "hosts", "api.shop").stdout.split()[0] == API
    assert run_in(LAB, "client", "getent", "hosts", "api").returncode == 2
    assert run_in(LAB, "shop-client", "getent", "hosts", "api").stdout.split()[0] == API


def test_a_headless_service_is_its_ready_pods_and_nxdomain_without_one(dns_lab: Topology) -> None:
    assert data("client", "db.default.svc.cluster.local") == [DB0, DB1]
    assert data("client", "db-0.db.default.svc.cluster.local") == [DB0]  # hostname + subdomain
    out = dig("client", "idle.default.svc.cluster.local")
    assert status_of(out) == "NXDOMAIN"
    soa = dig("client", "+noall", "+authority", "idle.default.svc.cluster.local").split()
    assert soa[:6] == ["cluster.local.", "30", "IN", "SOA", "ns.dns.cluster.local.", "hostmaster.cluster.local."]
    assert soa[7:] == ["7200", "1800", "86400", "30"]  # soa[6] is the serial


def test_srv_records_for_named_ports_and_endpoints(dns_lab: Topology) -> None:
    assert data("client", "SRV", "_http._tcp.web.default.svc.cluster.local") == [
        "0 100 80 web.default.svc.cluster.local."]
    assert data("client", "SRV", "_postgres._tcp.db.default.svc.cluster.local") == [
        "0 50 5432 db-0.db.default.svc.cluster.local.", "0 50 5432 db-1.db.default.svc.cluster.local."]


def test_an_externalname_is_a_cname_resolved_upstream(dns_lab: Topology) -> None:
    rows = answer("client", "search.default.svc.cluster.local")
    assert [(r[2], r[3]) for r in rows] == [("CNAME", "outside.example.com."), ("A", OUTSIDE)]
    assert run_in(LAB, "client", "getent", "hosts", "search").stdout.split()[0] == OUTSIDE


def test_ptr_for_cluster_ips_and_headless_endpoints(dns_lab: Topology) -> None:
    assert data("client", "-x", WEB) == ["web.default.svc.cluster.local."]
    assert data("client", "-x", DB1) == ["db-1.db.default.svc.cluster.local."]
    assert data("client", "-x", OUTSIDE) == ["outside.example.com."]  # not the cluster's: forwarded upstream


def test_the_zone_has_coredns_soa_ns_and_version(dns_lab: Topology) -> None:
    assert data("client", "NS", "cluster.local") == ["kube-dns.kube-system.svc.cluster.local."]
    assert answer("client", "TXT", "dns-version.cluster.local") == [
        ("dns-version.cluster.local.", 28800, "TXT", '"1.1.0"')]
    assert data("client", "ns.dns.cluster.local") == [KUBE_DNS]


def test_names_outside_the_cluster_are_forwarded_upstream_then_masqueraded(dns_lab: Topology) -> None:
    assert data("client", "outside.example.com") == [OUTSIDE]
    assert data("node1", "outside.example.com") == [OUTSIDE]  # a node asks ns1 itself
    out = run_in(LAB, "client", "curl", "-s", "--max-time", "3", "http://outside.example.com/").stdout
    assert '"server": "outside"' in out and '"client": "192.168.56.11"' in out
    assert status_of(dig("client", "nowhere.example.com")) == "NXDOMAIN"


def test_the_lookup_is_dnated_to_a_coredns_pod(dns_lab: Topology) -> None:
    coredns = {str(p.ip.ip) for p in dns_lab.pods if p.workload == "cluster-dns"}
    dig("client", "+notcp", "web.default.svc.cluster.local")
    flows = run_in(LAB, "node1", "conntrack", "-L", "-p", "udp", "--orig-dst", KUBE_DNS).stdout
    assert {m for m in re.findall(r"src=(\S+) dst=10.244.0.2 sport=53", flows)} <= coredns
    assert re.search(r"src=(\S+) dst=10.244.0.2 sport=53", flows), flows


def test_probes_resolve_names_in_the_source(dns_lab: Topology) -> None:
    results = run_probes(dns_lab)
    assert [r.probe.name for r in results if not r.ok] == []
    by_name = {r.probe.name: r for r in results}
    assert len(by_name["the short name is the pod's own namespace"].answer.queries) == 4  # type: ignore[union-attr]


def test_one_name_outside_the_cluster_costs_a_pod_five_queries(dns_lab: Topology) -> None:
    """ndots:5: example.com has fewer than five dots, so every search domain is tried first."""
    from netlab.features.dns import lookup
    found = lookup.query(naming.netns(LAB, "client"), "outside.example.com", "A")
    assert [q.rcode for q in found.queries] == ["NXDOMAIN"] * 3 + ["NOERROR"]
    assert found.data == (OUTSIDE,)
    assert len(lookup.query(naming.netns(LAB, "client"), "outside.example.com.", "A").queries) == 1


HEADLESS = """\
name: dns-big
cluster: {cni: flannel-vxlan, proxy: iptables}
nodes: [{name: node1}]
pods:
  - {name: many, replicas: 60, labels: {app: many}}
  - {name: client, node: node1}
services:
  - {name: many, clusterIP: None, selector: {app: many}, ports: [{port: 80}]}
"""


def test_an_answer_over_512_bytes_is_truncated_over_udp_and_whole_over_tcp(lab: LabFactory) -> None:
    lab(HEADLESS)
    name = "many.default.svc.cluster.local"
    udp = dig("client", "+noedns", "+ignore", "+notcp", name, lab="dns-big")
    assert " tc " in udp.split("flags:")[1].split(";")[0] + " "
    whole = dig("client", "+noedns", "+noall", "+answer", name, lab="dns-big").splitlines()  # dig retries on TCP
    assert len(whole) == 60


DOMAIN_LAB = """\
name: dns-apply
cluster: {{cni: flannel-vxlan, proxy: iptables}}
nodes: [{{name: node1}}, {{name: node2}}]
pods:
  - {{name: db-0, node: node1, labels: {{app: db}}}}
{extra}  - {{name: client, node: node1}}
services:
  - {{name: db, clusterIP: None, selector: {{app: db}}, ports: [{{port: 5432}}]}}
{services}"""


def test_apply_changes_the_records_without_restarting_the_server() -> None:
    before = DOMAIN_LAB.format(extra="", services="")
    after = DOMAIN_LAB.format(extra="  - {name: db-1, node: node2, labels: {app: db}}\n",
                              services="  - {name: cache, selector: {app: db}, ports: [{port: 6379}]}\n")
    topology = load_topology_text(before)
    up.up(compile_plan(topology), model=topology, source="test", topology_text=before)
    try:
        pids = servers("dns-apply")
        assert len(data_of("dns-apply", "db.default.svc.cluster.local")) == 1
        apply_mod.apply(after, "test")
        # visible at once: unbound's local data changed, and no client caches a name (the TTL bounds the rest)
        assert len(data_of("dns-apply", "db.default.svc.cluster.local")) == 2
        assert data_of("dns-apply", "cache.default.svc.cluster.local") == ["10.96.0.11"]
        apply_mod.apply(before, "test")
        assert status_of(dig("client", "cache.default.svc.cluster.local", lab="dns-apply")) == "NXDOMAIN"
        assert servers("dns-apply") == pids  # the same unbound processes all along
    finally:
        down.down("dns-apply")


def data_of(lab: str, name: str) -> list[str]:
    return sorted(line.split()[-1] for line in dig("client", "+noall", "+answer", name, lab=lab).splitlines())


def servers(lab: str) -> dict[str, int]:
    return {p.name: p.pid for p in state.LabState(lab).processes() if p.name.startswith("dns-")}


@pytest.mark.parametrize("mode", ["nftables", "iptables, iptablesBackend: legacy", "ipvs"])
def test_kube_dns_answers_through_every_proxy_mode(lab: LabFactory, mode: str) -> None:
    if mode == "ipvs":
        skip_without_ipvs()
    built_lab = lab(DOMAIN_LAB.format(extra="", services="").replace("proxy: iptables", f"proxy: {mode}")
                    .replace("dns-apply", "dns-mode"))
    assert data_of(built_lab.name, "db.default.svc.cluster.local") == ["10.244.0.2"]
    assert run_in(built_lab.name, "client", "dig", "+tcp", "+short", "db.default.svc.cluster.local").stdout.split() \
        == ["10.244.0.2"]


def test_docker_containers_get_their_hosts_resolv_conf(lab: LabFactory) -> None:
    t = lab(renamed("docker-bridge", "dns-docker"))
    container = t.pods[0].name
    assert run_in(t.name, container, "cat", "/etc/resolv.conf").stdout == "nameserver 203.0.113.53\n"
    host = t.internet.hosts[0].name
    assert run_in(t.name, container, "getent", "hosts", f"{host}.example.com").stdout.split()[0] \
        == str(t.internet.hosts[0].ip.ip)


def folders(lab: str) -> list[str]:
    return sorted(p.name for p in Path("/etc/netns").glob(f"{naming.netns(lab, '')}*"))


def test_down_and_sigkill_then_down_leave_nothing_in_etc_netns(tmp_path: Path) -> None:
    t = load_topology_text(renamed_file(tmp_path, "dns", "dns-gone").read_text())
    up.up(compile_plan(t), model=t, source="test", topology_text=renamed("dns", "dns-gone"))
    try:
        assert len(folders("dns-gone")) == len(t.pods) + len(t.nodes) + len(t.internet.hosts)
    finally:
        down.down("dns-gone")
    assert folders("dns-gone") == []
    steps = len([s for s in compile_plan(t).steps if not isinstance(s, Note)])
    done = interrupted_up(tmp_path, "dns", "dns-kill", "SIGKILL", steps)  # at the last step: every file written
    try:
        assert done.returncode == -signal.SIGKILL, done.stderr
        assert folders("dns-kill"), "the crash left no file: the test did not test anything"
    finally:
        down.down("dns-kill")
    assert folders("dns-kill") == [] and leaks_of("dns-kill") == []


def test_trace_shows_the_lookup_then_the_connection(dns_lab: Topology) -> None:
    coredns = {f"{p.name} {p.ip.ip}" for p in dns_lab.pods if p.workload == "cluster-dns"}
    result, departures = trace_once(LAB, "client", "web.default:80", "tcp", timeout=1.0)
    steps = result.trace.lookup
    assert [(s.name, s.rcode, s.answers) for s in steps] == [
        ("web.default.default.svc.cluster.local.", "NXDOMAIN", ()),
        ("web.default.svc.cluster.local.", "NOERROR", (WEB,))]
    assert {s.answered_by for s in steps} <= coredns  # each query DNATed by kube-proxy to a coredns pod
    assert result.trace.verdict.status == "delivered" and departures == []
    gone, _ = trace_once(LAB, "client", "nothere.default:80", "tcp", timeout=1.0)
    assert gone.trace.verdict.status == "unresolved" and len(gone.trace.lookup) == 4 and not gone.trace.hops
