"""Ingress: the objects checked as the apiserver and ingress-nginx check them, and nginx's servers, locations
and upstreams as ingress-nginx builds them (its e2e tests' expectations for pathType). Real requests through
Debian's nginx are in tests/kernel/test_ingress.py."""

from __future__ import annotations

from pathlib import Path

import pytest

from netlab.errors import TopologyError
from netlab.features.ingress import controller
from netlab.features.ingress.nginx import render
from netlab.topology import Topology, load_topology_text

ROOT = Path(__file__).resolve().parents[2]
SHOP = (ROOT / "topologies" / "ingress.yaml").read_text()

E2E = """
name: ing-e2e
cluster: {cni: flannel-vxlan, proxy: iptables, dns: none}
nodes: [{name: node1}]
pods:
  - {name: ex1, node: node1, labels: {app: exact}, serve: ["http:80"]}
  - {name: pre1, node: node1, labels: {app: prefix}, serve: ["http:80"]}
services:
  - {name: exact, selector: {app: exact}, ports: [{port: 80}]}
  - {name: prefix, selector: {app: prefix}, ports: [{name: web, port: 80}]}
ingresses:
  - name: prefix
    rules:
      - {host: prefix.path, http: {paths: [{path: /aaa, pathType: Prefix, backend: {service: {name: prefix,
         port: {name: web}}}}]}}
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
  - name: loose
    rules:
      - {host: loose.path, http: {paths: [{path: /img, pathType: ImplementationSpecific, backend: {service: {
         name: exact, port: {number: 80}}}}]}}
  - name: without-host
    rules:
      - {http: {paths: [{path: /, pathType: Prefix, backend: {service: {name: exact, port: {number: 80}}}}]}}
"""


@pytest.fixture(scope="module")
def e2e() -> Topology:
    return load_topology_text(E2E)


def server_text(conf: str, host: str) -> str:
    return conf.split(f"## start server {host}\n")[1].split(f"## end server {host}")[0]


def test_locations_are_the_ones_ingress_nginxs_e2e_tests_look_for(e2e: Topology) -> None:
    """test/e2e/ingress/pathtype_*.go wait for these lines in the server's configuration."""
    conf = render(controller.config(e2e))
    assert 'location "/aaa/" {' in server_text(conf, "prefix.path")
    assert 'location = "/aaa" {' in server_text(conf, "prefix.path")
    exact = server_text(conf, "exact.path")
    assert 'location = "/exact" {' in exact and 'location "/exact/" {' in exact
    # the exact location is the Exact path's, not the Prefix path's twin
    assert exact.split('location = "/exact" {')[1].split("}")[0].count('set $ingress_name   "exact";') == 1
    mixed = server_text(conf, "mixed.path")
    assert all(line in mixed for line in ('location = "/" {', 'location "/" {', 'location = "/foo" {',
                                          'location "/foo/" {'))
    assert 'location "/img" {' in server_text(conf, "loose.path")  # nginx's own prefix: /imgs matches too


@pytest.mark.parametrize(("host", "path", "upstream"), [
    ("prefix.path", "/aaa", "default-prefix-web"), ("prefix.path", "/aaacccc", "upstream-default-backend"),
    ("prefix.path", "/aaa/cccc", "default-prefix-web"), ("prefix.path", "/aaa/", "default-prefix-web"),
    ("exact.path", "/exact", "default-exact-80"), ("exact.path", "/exact/suffix", "default-prefix-80"),
    ("mixed.path", "/", "default-exact-80"), ("mixed.path", "/bar", "default-prefix-80"),
    ("mixed.path", "/foo", "default-exact-80"), ("mixed.path", "/foo/bar", "default-prefix-80"),
    ("mixed.path", "/foobar", "default-prefix-80"), ("loose.path", "/imgs", "default-exact-80"),
    ("only-backend", "/", "default-exact-80"), ("prefix.path:30080", "/aaa", "default-prefix-web"),
])
def test_the_model_routes_each_request_as_the_e2e_tests_expect(e2e: Topology, host: str, path: str,
                                                               upstream: str) -> None:
    """The same requests as the e2e tests (and tests/kernel, through nginx itself); the trace's model of it."""
    decision = controller.route(e2e, host, path)
    assert decision.location is not None and decision.location.upstream == upstream


def test_upstreams_are_named_and_filled_as_ingress_nginx_does(e2e: Topology) -> None:
    """upstreamName: <namespace>-<service>-<port number or name>; the servers are the endpoints (pod:targetPort)."""
    upstreams = {u.name: u.servers for u in controller.config(e2e).upstreams}
    pre1 = next(p for p in e2e.pods if p.name == "pre1")
    assert upstreams["default-prefix-web"] == (f"{pre1.ip.ip}:80",)
    assert upstreams["upstream-default-backend"] == ("127.0.0.1:8181",)


def test_the_controller_is_ingress_nginxs_deployment_and_service() -> None:
    t = load_topology_text(SHOP)
    pods = [p for p in t.pods if p.workload == controller.WORKLOAD]
    assert len(pods) == 1 and pods[0].namespace == "ingress-nginx" and pods[0].name.startswith(
        "ingress-nginx-controller-")
    svc = next(s for s in t.services if s.name == "ingress-nginx-controller")
    assert (svc.namespace, svc.type, svc.ports[0].node_port) == ("ingress-nginx", "NodePort", 30080)
    assert svc.external_traffic_policy == "Cluster"


def test_a_service_without_endpoints_answers_503() -> None:
    t = load_topology_text(SHOP.replace("labels: {app: api}", "labels: {app: gone}"))
    conf = render(controller.config(t))
    api = conf.split('location "/api/" {')[1].split("}")[0]
    assert "return 503;" in api and "upstream default-api-http {" not in conf
    assert "has no endpoints: nginx answers 503" in controller.route(t, "shop.example.com", "/api").lines()[-1]


def test_bad_ingresses_are_refused_with_where() -> None:
    base = SHOP
    cases = [
        (base.replace("{service: {name: api, port: {name: http}}}", "{service: {name: apii, port: {name: http}}}"),
         "no Service 'apii' in namespace 'default'"),
        (base.replace("{service: {name: api, port: {name: http}}}", "{service: {name: api, port: {number: 81}}}"),
         "Service 'api' has no port 81"),
        (base.replace("            - {path: /health, pathType: Exact,", "            - {path: /api, pathType: Prefix,"),
         "two Ingress rules for host 'shop.example.com' and path /api (Prefix)"),
        (base.replace("cni: flannel-vxlan", "cni: docker-bridge").replace("  proxy: iptables\n", ""),
         "Ingress is a Kubernetes cluster's; this lab is a docker-bridge lab"),
        (base.replace("ingressClassName: nginx", "ingressClassName: traefik"),
         "no controller serves the IngressClass 'traefik'"),
    ]
    for text, message in cases:
        with pytest.raises(TopologyError) as caught:
            load_topology_text(text)
        assert any(message in str(p) for p in caught.value.problems), (message, caught.value.problems)
    # with its place in the file: the path to the backend's name, and its line
    with pytest.raises(TopologyError) as caught:
        load_topology_text(cases[0][0])
    problem = caught.value.problems[0]
    assert problem.path == "ingresses[0].rules[0].http.paths[1].backend.service.name"
    assert problem.line == cases[0][0].splitlines().index(next(line for line in cases[0][0].splitlines()
                                                               if "apii" in line)) + 1
