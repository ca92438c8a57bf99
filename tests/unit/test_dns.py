"""Cluster DNS from the model alone: kubelet's resolv.conf, glibc's search order, the records, unbound's changes,
and the validation of what a topology says about names. The kernel tests ask real servers (tests/kernel)."""

from __future__ import annotations

from pathlib import Path

import pytest

from netlab.compile import compile_plan
from netlab.errors import TopologyError
from netlab.features import dns
from netlab.features.dns import lookup, records, resolv, unbound
from netlab.plan import Daemon, NetnsFile, Records
from netlab.topology import load_topology_text
from netlab.topology.model import DnsConfig, Pod

ROOT = Path(__file__).parents[2]
DNS_LAB = load_topology_text((ROOT / "topologies" / "dns.yaml").read_text())


def pod(t: object, name: str) -> Pod:
    return next(p for p in DNS_LAB.pods if p.name == name)


# -- kubelet's resolv.conf (pkg/kubelet/network/dns/dns.go) ----------------------------------------------

NODE = resolv.Resolv(("203.0.113.53",), ("corp.example",), ("timeout:1",))


def test_cluster_first_is_the_cluster_search_list_then_the_nodes_with_ndots_5() -> None:
    r = resolv.pod_resolv(pod(DNS_LAB, "client"), NODE, "10.96.0.10", "cluster.local")
    assert r.text() == ("search default.svc.cluster.local svc.cluster.local cluster.local corp.example\n"
                        "nameserver 10.96.0.10\noptions ndots:5\n")


def test_default_is_the_nodes_and_none_is_only_dns_config() -> None:
    import dataclasses
    client = pod(DNS_LAB, "client")
    assert resolv.pod_resolv(dataclasses.replace(client, dns_policy="Default"), NODE, "10.96.0.10",
                             "cluster.local") == NODE
    only = dataclasses.replace(client, dns_policy="None", dns_config=DnsConfig(("192.0.2.1",), ("a.example",),
                                                                              (("ndots", "2"),)))
    assert resolv.pod_resolv(only, NODE, "10.96.0.10", "cluster.local").text() == (
        "search a.example\nnameserver 192.0.2.1\noptions ndots:2\n")


def test_dns_config_is_merged_and_cut_to_kubelets_limits() -> None:
    import dataclasses
    many = DnsConfig(("192.0.2.1", "192.0.2.2", "192.0.2.3"), tuple(f"d{i}.example" for i in range(40)),
                     (("ndots", "1"), ("edns0", None)))
    r = resolv.pod_resolv(dataclasses.replace(pod(DNS_LAB, "client"), dns_config=many), NODE, "10.96.0.10",
                          "cluster.local")
    assert r.nameservers == ("10.96.0.10", "192.0.2.1", "192.0.2.2")  # 3 at most
    assert len(r.searches) == 32 and r.searches[0] == "default.svc.cluster.local"
    assert r.options == ("ndots:1", "edns0")  # the pod's value wins


def test_cluster_first_without_cluster_dns_falls_back_to_the_node() -> None:
    assert resolv.pod_resolv(pod(DNS_LAB, "client"), NODE, None, "cluster.local") == NODE


# -- glibc's search order (resolv/res_query.c) -----------------------------------------------------------

CONF = lookup.ResolvConf.parse("search default.svc.cluster.local svc.cluster.local cluster.local\n"
                               "nameserver 10.96.0.10\noptions ndots:5 timeout:2\n")


@pytest.mark.parametrize("name,first,count", [
    ("web", "web.default.svc.cluster.local.", 4),
    ("example.com", "example.com.default.svc.cluster.local.", 4),
    ("a.b.c.d.e.f", "a.b.c.d.e.f.", 4),  # five dots: as given first
    ("example.com.", "example.com.", 1),  # absolute: only as given
])
def test_the_names_a_pod_asks_with_ndots_5(name: str, first: str, count: int) -> None:
    names = lookup.candidates(name, CONF)
    assert (names[0], len(names)) == (first, count)
    assert CONF.ndots == 5 and CONF.nameservers == ("10.96.0.10",)


# -- the records (the Kubernetes DNS specification, CoreDNS's answers) ----------------------------------

def zone() -> dict[tuple[str, str], list[str]]:
    found: dict[tuple[str, str], list[str]] = {}
    for r in dns.all_records(DNS_LAB):
        found.setdefault((r.name, r.type), []).append(r.data)
    return found


def test_services_headless_services_and_pods_with_hostnames() -> None:
    z = zone()
    assert z[("web.default.svc.cluster.local.", "A")] == ["10.96.0.11"]
    assert sorted(z[("db.default.svc.cluster.local.", "A")]) == ["10.244.0.4", "10.244.1.3"]
    assert z[("db-0.db.default.svc.cluster.local.", "A")] == ["10.244.0.4"]
    assert z[("api.shop.svc.cluster.local.", "A")] == ["10.96.0.12"]
    assert z[("search.default.svc.cluster.local.", "CNAME")] == ["outside.example.com."]
    assert ("idle.default.svc.cluster.local.", "A") not in z  # headless, nothing ready: NXDOMAIN
    assert z[("kube-dns.kube-system.svc.cluster.local.", "A")] == ["10.96.0.10"]


def test_srv_weights_are_100_shared_and_targets_are_the_service_or_its_endpoints() -> None:
    z = zone()
    assert z[("_http._tcp.web.default.svc.cluster.local.", "SRV")] == ["0 100 80 web.default.svc.cluster.local."]
    assert sorted(z[("_postgres._tcp.db.default.svc.cluster.local.", "SRV")]) == [
        "0 50 5432 db-0.db.default.svc.cluster.local.", "0 50 5432 db-1.db.default.svc.cluster.local."]
    # kube-dns: three ports, one target: weight 100/3
    assert sorted(z[("kube-dns.kube-system.svc.cluster.local.", "SRV")]) == [
        "0 33 53 kube-dns.kube-system.svc.cluster.local.", "0 33 9153 kube-dns.kube-system.svc.cluster.local."]


def test_ptr_soa_ns_version_and_pod_records() -> None:
    z = zone()
    assert z[("11.0.96.10.in-addr.arpa.", "PTR")] == ["web.default.svc.cluster.local."]
    assert z[("3.1.244.10.in-addr.arpa.", "PTR")] == ["db-1.db.default.svc.cluster.local."]
    assert z[("10-244-0-2.default.pod.cluster.local.", "A")] == ["10.244.0.2"]
    assert z[("cluster.local.", "NS")] == ["kube-dns.kube-system.svc.cluster.local."]
    (soa,) = z[("cluster.local.", "SOA")]
    mname, rname, serial, *timers = soa.split()
    assert (mname, rname, timers) == ("ns.dns.cluster.local.", "hostmaster.cluster.local.",
                                      ["7200", "1800", "86400", "30"])
    assert {r.ttl for r in records.cluster_records(DNS_LAB, dns.kube_dns_ip(DNS_LAB.cluster.service_cidr))
            if r.type != "TXT"} == {30}


def test_the_serial_changes_when_the_records_do() -> None:
    before = records.cluster_records(DNS_LAB, dns.kube_dns_ip(DNS_LAB.cluster.service_cidr))[0]
    fewer = load_topology_text((ROOT / "topologies" / "dns.yaml").read_text().replace(
        "  - {name: idle, clusterIP: None, selector: {app: nothing}, ports: [{port: 80}]}\n", "").replace(
        "  - {name: search, type: ExternalName, externalName: outside.example.com}\n", ""))
    after = records.cluster_records(fewer, dns.kube_dns_ip(fewer.cluster.service_cidr))[0]
    assert before.type == after.type == "SOA" and before.data != after.data


def test_reverse_zones_cover_whole_octets() -> None:
    from ipaddress import IPv4Network
    assert records.reverse_zones(IPv4Network("10.96.0.0/12"))[:2] == ["96.10.in-addr.arpa.", "97.10.in-addr.arpa."]
    assert len(records.reverse_zones(IPv4Network("10.96.0.0/12"))) == 16
    assert records.reverse_zones(IPv4Network("203.0.113.0/24")) == ["113.0.203.in-addr.arpa."]


# -- the plan: kubeadm's kube-dns, the servers, the files ------------------------------------------------

def test_kube_dns_is_kubeadms_service_and_coredns_deployment() -> None:
    svc = next(s for s in DNS_LAB.services if s.name == "kube-dns")
    assert (svc.namespace, str(svc.cluster_ip)) == ("kube-system", "10.96.0.10")
    assert [(p.name, p.port, str(p.protocol)) for p in svc.ports] == [
        ("dns", 53, "udp"), ("dns-tcp", 53, "tcp"), ("metrics", 9153, "tcp")]
    coredns = [p for p in DNS_LAB.pods if p.deployment == "coredns"]
    assert len(coredns) == 2 and {p.namespace for p in coredns} == {"kube-system"}
    assert all(p.dns_policy == "Default" and dict(p.labels)["k8s-app"] == "kube-dns" for p in coredns)


def test_the_plan_has_a_server_and_records_per_coredns_pod_and_a_resolv_conf_per_namespace() -> None:
    plan = compile_plan(DNS_LAB)
    servers = [s for s in plan.steps if isinstance(s, Daemon) and s.argv[0] == "unbound"]
    assert len(servers) == 3  # ns1 and the two coredns pods
    assert len([s for s in plan.steps if isinstance(s, Records)]) == 3
    files = [s for s in plan.steps if isinstance(s, NetnsFile) and s.path == "resolv.conf"]
    assert len(files) == len(DNS_LAB.pods) + len(DNS_LAB.nodes) + len(DNS_LAB.internet.hosts)


def test_a_lab_without_cluster_dns_has_no_server() -> None:
    t = load_topology_text((ROOT / "topologies" / "dns.yaml").read_text().replace(
        "  proxy: iptables\n", "  proxy: iptables\n  dns: none\n").split("probes:")[0])
    assert not [p for p in t.pods if p.workload == "cluster-dns"] and not [s for s in t.services
                                                                          if s.name == "kube-dns"]
    assert not [s for s in compile_plan(t).steps if isinstance(s, (Records, NetnsFile))]


# -- unbound's control channel ----------------------------------------------------------------------------

def test_a_change_removes_and_adds_only_the_names_that_changed() -> None:
    old = "zone a. static\ndata x.a. 30 IN A 10.0.0.1\ndata y.a. 30 IN A 10.0.0.2\n"
    new = "zone a. static\nzone b. redirect\ndata x.a. 30 IN A 10.0.0.1\ndata y.a. 30 IN A 10.0.0.3\n"
    runs = unbound.changes("/c", old, new)
    assert [(argv[-1], stdin) for argv, stdin in runs] == [
        ("local_zones", "b. redirect\n"), ("local_datas_remove", "y.a.\n"), ("local_datas", "y.a. 30 IN A 10.0.0.3\n")]
    assert [argv[-1] for argv, _ in unbound.changes("/c", new, old)] == [
        "local_datas_remove", "local_datas", "local_zones_remove"]
    assert unbound.changes("/c", old, old) == []


# -- the model's lookup (trace --predict) -----------------------------------------------------------------

def test_the_model_resolves_as_the_pod_would() -> None:
    steps, address = lookup.in_model(DNS_LAB, "client", "api.shop")
    assert [(s.name, s.rcode) for s in steps] == [("api.shop.default.svc.cluster.local.", "NXDOMAIN"),
                                                  ("api.shop.svc.cluster.local.", "NOERROR")]
    assert address == "10.96.0.12"
    steps, address = lookup.in_model(DNS_LAB, "client", "search.default")
    assert address == "203.0.113.10" and steps[-1].answers == ("outside.example.com.", "203.0.113.10")
    assert lookup.in_model(DNS_LAB, "shop-client", "web.nope")[1] is None


# -- validation ------------------------------------------------------------------------------------------

BASE = "name: x\ncluster: {cni: flannel-vxlan}\nnodes: [{name: node1}]\n"


@pytest.mark.parametrize("text,message", [
    (BASE + "services: [{name: s, type: ExternalName, externalName: 'not a name'}]\n",
     "'not a name' is not a DNS name"),
    (BASE + "services: [{name: s, type: ExternalName}]\n", "an ExternalName service needs externalName"),
    (BASE + "services: [{name: s, type: ExternalName, externalName: a.example, selector: {a: b}}]\n",
     "an ExternalName service has no selector"),
    (BASE + "pods: [{name: a, hostname: Not_A_Label}]\n", "hostname"),
    (BASE + "pods: [{name: a, subdomain: -bad}]\n", "subdomain"),
    (BASE + "pods: [{name: a, dnsPolicy: ClusterFirstWithHostNet2}]\n", "dnsPolicy"),
    (BASE + "pods: [{name: a, dnsPolicy: None}]\n", "dnsPolicy None needs a dnsConfig"),
    (BASE + "pods: [{name: a, hostname: h, subdomain: s}, {name: b, hostname: h, subdomain: s}]\n",
     "pods 'a' and 'b' would both be h.s.default.svc.cluster.local"),
    (BASE + "services: [{name: kube-dns, namespace: kube-system, selector: {a: b}, ports: [{port: 53}]}]\n",
     "kube-system/kube-dns is cluster DNS's own Service"),
    (BASE + "internet: {hosts: [{name: ns1}]}\n", "'ns1' is the internet's name server"),
    ("name: x\ncluster: {cni: docker-bridge, dns: kube-dns}\nnodes: [{name: node1}]\n", "kube-dns"),
    (BASE.replace("flannel-vxlan}", "flannel-vxlan, dns: coredns}"), "dns"),
])
def test_bad_names_are_refused_with_their_path(text: str, message: str) -> None:
    with pytest.raises(TopologyError) as e:
        load_topology_text(text)
    assert message in " ".join(f"{p.path} {p.message}" for p in e.value.problems)
