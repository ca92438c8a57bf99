"""Ingress (the getting-traffic-in issue): Debian's nginx in ingress-nginx's controller pod, with the nginx.conf
ingress-nginx renders, routing real HTTP requests by Host and path — held to ingress-nginx's own e2e
expectations for pathType — and reloading in place when the lab changes."""

from __future__ import annotations

import contextlib
import json
import socket
import time
from collections.abc import Iterator

import pytest

from netlab import state
from netlab.features.ingress.controller import controller_pods
from netlab.lifecycle import apply as apply_mod
from netlab.lifecycle.status import lab_status
from netlab.probe import run_probes
from netlab.topology import Topology
from netlab.trace.session import behind, trace_once

from .conftest import built, renamed
from .netutil import ns_socket, run_in

LAB = "ing"
NODE_PORT = "192.168.56.11:30080"


@pytest.fixture(scope="module")
def ing() -> Iterator[Topology]:
    yield from built(renamed("ingress", LAB))


def test_the_labs_probes_route_by_host_and_path(ing: Topology) -> None:
    results = run_probes(ing)
    assert all(r.ok for r in results), [(r.probe.name, r.detail) for r in results if not r.ok]


def request(lab: str, where: str, host: str, path: str, address: str = NODE_PORT) -> tuple[int, dict[str, str]]:
    """GET path with a Host header, from namespace `where`: the status and the echo server's JSON (if any)."""
    import http.client
    ip, port = address.split(":")
    with ns_socket(lab, where, socket.SOCK_STREAM) as s:
        s.settimeout(3)
        s.connect((ip, int(port)))
        conn = http.client.HTTPConnection(host)
        conn.sock = s
        conn.request("GET", path, headers={"Host": host})
        response = conn.getresponse()
        body = response.read()
    with contextlib.suppress(ValueError):
        return response.status, json.loads(body)
    return response.status, {}


def test_the_pod_sees_the_controller_connect_with_the_host_and_the_client_in_x_forwarded_for(ing: Topology) -> None:
    status, answer = request(LAB, "client", "shop.example.com", "/api/orders")
    pod = controller_pods(ing)[0]
    pod_ip = next(p.ip.ip for p in ing.pods if p.name == pod)
    # a new connection from the controller pod, straight to the pod (no ClusterIP); X-Forwarded-For is whom nginx
    # saw: node1's cni0 address, since the NodePort Service (externalTrafficPolicy Cluster) masqueraded the client
    assert status == 200 and answer["server"] == "api1" and answer["client"] == str(pod_ip)
    assert answer["host"] == "shop.example.com" and answer["path"] == "/api/orders"
    assert answer["x_forwarded_for"] == "10.244.0.1"
    log = (state.LabState(LAB).dir / "logs" / f"nginx-{pod}.log").read_text().splitlines()
    assert any('"GET /api/orders HTTP/1.1" 200' in line and "[default-api-http]" in line for line in log)


def test_nginx_reads_a_configuration_of_ingress_nginxs_shape(ing: Topology) -> None:
    """What nginx itself makes of the file it runs (`nginx -T`: parsed and dumped), not what netlab wrote."""
    pod = controller_pods(ing)[0]
    prefix = state.LabState(LAB).dir / "ingress" / pod
    done = run_in(LAB, pod, "nginx", "-T", "-e", "stderr", "-p", str(prefix), "-c", str(prefix / "nginx.conf"))
    assert done.returncode == 0 and "test is successful" in done.stderr, done.stderr
    conf = done.stdout
    for expected in ['location "/api/" {', 'location = "/api" {', 'location = "/health" {', "upstream default-web-80 {",
                     'set $proxy_upstream_name "default-api-http";', "server_name shop.example.com ;",
                     "listen 80 default_server reuseport backlog=4096;", "listen 8181 default_server",
                     "proxy_set_header X-Forwarded-For        $remote_addr;"]:
        assert expected in conf, expected


def test_a_trace_follows_the_request_through_nginx_to_the_pod(ing: Topology) -> None:
    first, departures = trace_once(LAB, "client", NODE_PORT, "tcp", timeout=3)
    assert first.trace.verdict.status == "delivered" and departures == []
    leg = behind(LAB, first, "shop.example.com", "/api/orders", predict=False, timeout=3)
    assert leg is not None and leg.second is not None
    assert any('location "/api/" (Ingress default/shop, path /api Prefix)' in line for line in leg.decision)
    second = leg.second.trace
    assert second.source == controller_pods(ing)[0] and second.verdict.status == "delivered"
    assert second.verdict.where == "api1" and leg.departures == []
    assert not any(e.kind == "dnat" for h in second.hops for e in h.events)  # to the pod itself: no kube-proxy
    # an unknown host: nginx answers 404 itself, and no second connection is made
    leg = behind(LAB, first, "other.example.com", "/", predict=False, timeout=3)
    assert leg is not None and leg.second is None and "answers 404" in leg.decision[-1]


def served(path: str) -> set[str]:
    """Who answers `path`, asked five times in a row."""
    return {request(LAB, "client", "shop.example.com", path)[1].get("server", "") for _ in range(5)}


def test_apply_reloads_nginx_in_place_and_a_request_in_flight_is_served(ing: Topology) -> None:
    pod = controller_pods(ing)[0]
    master = next(p.pid for p in state.LabState(LAB).processes() if p.name == f"nginx-{pod}")
    ip, port = NODE_PORT.split(":")
    with ns_socket(LAB, "client", socket.SOCK_STREAM) as s:
        s.settimeout(5)
        s.connect((ip, int(port)))
        s.sendall(b"GET /api/x HTTP/1.1\r\nHost: shop.example.com\r\n")  # half a request, in flight
        more = renamed("ingress", LAB).replace(
            "            - {path: /health,",
            "            - {path: /new, pathType: Exact, backend: {service: {name: api, port: {number: 80}}}}\n"
            "            - {path: /health,")
        apply_mod.apply(more, "test")
        s.sendall(b"Connection: close\r\n\r\n")
        reply = b""
        while chunk := s.recv(4096):
            reply += chunk
    try:
        assert reply.startswith(b"HTTP/1.1 200") and b'"server": "api1"' in reply  # the old worker finished it
        assert next(p.pid for p in state.LabState(LAB).processes() if p.name == f"nginx-{pod}") == master
        # apply returned once only new workers listen (nginx_reload.py): every new connection has the new file
        assert served("/new") == {"api1"}
    finally:
        apply_mod.apply(renamed("ingress", LAB), "test")
    assert served("/new") <= {"web1", "web2"}  # gone again: / serves it
    assert lab_status(LAB).drift == []


# ingress-nginx's e2e tests for pathType (test/e2e/ingress/pathtype_prefix.go, pathtype_exact.go,
# pathtype_mixed.go, without_host.go), their requests and expectations, with Services `exact` and `prefix` in
# place of their header snippets to tell which location answered.
E2E = """
name: ing-e2e
cluster: {cni: flannel-vxlan, proxy: iptables, dns: none, ingress: {nodePort: 30080}}
nodes: [{name: node1}]
pods:
  - {name: ex1, node: node1, labels: {app: exact}, serve: ["http:80"]}
  - {name: pre1, node: node1, labels: {app: prefix}, serve: ["http:80"]}
services:
  - {name: exact, selector: {app: exact}, ports: [{port: 80}]}
  - {name: prefix, selector: {app: prefix}, ports: [{port: 80}]}
ingresses:
  - name: prefix
    rules:
      - {host: prefix.path, http: {paths: [{path: /aaa, pathType: Prefix, backend: {service: {name: prefix,
         port: {number: 80}}}}]}}
  - name: exact
    rules:
      - {host: exact.path, http: {paths: [{path: /exact, pathType: Exact, backend: {service: {name: exact,
         port: {number: 80}}}}]}}
  - name: exact-suffix
    rules:
      - {host: exact.path, http: {paths: [{path: /exact, pathType: Prefix, backend: {service: {name: prefix,
         port: {number: 80}}}}]}}
  - name: mixed
    rules:
      - host: mixed.path
        http:
          paths:
            - {path: /, pathType: Exact, backend: {service: {name: exact, port: {number: 80}}}}
            - {path: /, pathType: Prefix, backend: {service: {name: prefix, port: {number: 80}}}}
            - {path: /foo, pathType: Exact, backend: {service: {name: exact, port: {number: 80}}}}
            - {path: /foo, pathType: Prefix, backend: {service: {name: prefix, port: {number: 80}}}}
  - name: without-host
    rules:
      - {http: {paths: [{path: /, pathType: Prefix, backend: {service: {name: exact, port: {number: 80}}}}]}}
internet:
  hosts: [{name: client}]
"""
EXPECTATIONS = [  # (host, path, status, the pod that answers)
    ("prefix.path", "/aaa", 200, "pre1"), ("prefix.path", "/aaacccc", 404, None),
    ("prefix.path", "/aaa/cccc", 200, "pre1"), ("prefix.path", "/aaa/", 200, "pre1"),
    ("exact.path", "/exact", 200, "ex1"), ("exact.path", "/exact/suffix", 200, "pre1"),
    ("mixed.path", "/", 200, "ex1"), ("mixed.path", "/bar", 200, "pre1"), ("mixed.path", "/foo", 200, "ex1"),
    ("mixed.path", "/foo/bar", 200, "pre1"), ("mixed.path", "/foobar", 200, "pre1"),
    ("only-backend", "/", 200, "ex1"),  # a rule without host: the default server
]


def test_ingress_nginxs_e2e_path_type_expectations_hold() -> None:
    with contextlib.closing(built(E2E)) as lab:
        next(lab)
        deadline = time.monotonic() + 5
        seen = []
        for host, path, status, _ in EXPECTATIONS:
            while True:
                got, answer = request("ing-e2e", "client", host, path, address="192.168.56.11:30080")
                if got == status or time.monotonic() > deadline:
                    break
                time.sleep(0.2)
            seen.append((host, path, got, answer.get("server")))
        assert seen == [(h, p, s, pod) for h, p, s, pod in EXPECTATIONS]


def test_with_metallb_the_controller_gets_a_load_balancer_address_and_nginx_sees_the_client() -> None:
    """The cloud manifest's Service: type LoadBalancer, externalTrafficPolicy Local — so X-Forwarded-For names
    the internet client, not a node."""
    text = renamed("ingress", "ing-lb").replace(
        "  ingress: {controller: nginx, replicas: 1, serviceType: NodePort, nodePort: 30080}",
        "  ingress: {serviceType: LoadBalancer}\n"
        "  loadBalancer: {provider: metallb, mode: layer2, addresses: [192.168.56.240/28]}")
    with contextlib.closing(built(text)) as lab:
        t = next(lab)
        svc = next(s for s in t.services if s.name == "ingress-nginx-controller")
        assert svc.type == "LoadBalancer" and [str(ip) for ip in svc.ingress_ips] == ["192.168.56.240"]
        status, answer = request("ing-lb", "client", "shop.example.com", "/api/x", address="192.168.56.240:80")
        assert status == 200 and answer["server"] == "api1" and answer["x_forwarded_for"] == "203.0.113.10"
        assert run_in("ing-lb", "internet", "ip", "neigh", "show", "192.168.56.240").stdout.strip()
