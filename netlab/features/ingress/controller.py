"""ingress-nginx's controller: what it adds to the cluster (its Deployment and Service), how it checks Ingresses,
and how it turns them into nginx servers, locations and upstreams (internal/ingress/controller/controller.go,
location.go, util.go).

  * one server per host, plus the catch-all `_` (the default server), which holds the rules without a host and
    the defaultBackend of an Ingress;
  * one location per path: Exact as `location = "/p"`; Prefix `/p` as two, `location "/p/"` and
    `location = "/p"`, so that /p and /p/x match and /px does not (updateServerLocations, normalizePrefixPath);
    ImplementationSpecific as nginx's own prefix match, `location "/p"` (so /px matches too);
  * a server with no rule for / gets a root location that sends to `upstream-default-backend`; with no default
    backend Service configured, that is nginx itself on 127.0.0.1:8181, which answers 404;
  * one upstream per Service port, named `<namespace>-<service>-<port>` (upstreamName), listing the Service's
    endpoints — pod addresses and target ports: nginx connects to the pods itself, not through the ClusterIP.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from netlab.features import deployments
from netlab.features.ingress.model import NGINX, Backend, Ingress, IngressController
from netlab.topology.loader import Drafts, PodDraft, PortDraft, ServiceDraft
from netlab.topology.model import Protocol, Service, Topology
from netlab.topology.reader import Reader

NAMESPACE = "ingress-nginx"  # the names and labels of ingress-nginx's deploy manifests
NAME = "ingress-nginx-controller"
LABELS = (("app.kubernetes.io/name", "ingress-nginx"), ("app.kubernetes.io/instance", "ingress-nginx"),
          ("app.kubernetes.io/component", "controller"))
WORKLOAD = "ingress-nginx"  # Pod.workload of a controller pod: it runs nginx, not the echo server
HTTP_PORT = 80
DEFAULT_BACKEND_PORT = 8181  # the server "for when default-backend-service is not configured"
DEFAULT_UPSTREAM = "upstream-default-backend"
CATCH_ALL = "_"


@dataclass(frozen=True)
class Location:
    path: str  # as nginx reads it, without quotes: "/api/", or for an exact match "/api"
    exact: bool
    upstream: str  # an upstream's name
    ingress: str = ""  # namespace/name of the Ingress it came from ("" for the default backend's root)
    service: str = ""
    service_port: str = ""
    ingress_path: str = ""  # the path as the Ingress wrote it
    path_type: str = ""  # and its pathType

    def matches(self, request_path: str) -> bool:
        """nginx's test for this location (a literal prefix or, with `=`, the whole path)."""
        return request_path == self.path if self.exact else request_path.startswith(self.path)


@dataclass(frozen=True)
class Server:
    hostname: str  # "_" for the catch-all
    locations: tuple[Location, ...]

    def location_for(self, request_path: str) -> Location | None:
        """nginx's choice: an exact match if one is, else the longest matching prefix."""
        exact = next((loc for loc in self.locations if loc.exact and loc.matches(request_path)), None)
        if exact is not None:
            return exact
        prefixes = [loc for loc in self.locations if not loc.exact and loc.matches(request_path)]
        return max(prefixes, key=lambda loc: len(loc.path), default=None)


@dataclass(frozen=True)
class Upstream:
    name: str
    servers: tuple[str, ...]  # "ip:port", in the Service's endpoint order


@dataclass(frozen=True)
class Config:
    """What the controller renders into nginx.conf."""

    servers: tuple[Server, ...]
    upstreams: tuple[Upstream, ...]

    def server_for(self, host: str) -> Server:
        """nginx's choice of server: the one named as the Host header (without its port), else the default."""
        name = host.rsplit(":", 1)[0] if host.count(":") == 1 else host
        exact = next((s for s in self.servers if s.hostname == name), None)
        if exact is not None:
            return exact
        wild = [s for s in self.servers if s.hostname.startswith("*.") and name.endswith(s.hostname[1:])]
        return wild[0] if wild else next(s for s in self.servers if s.hostname == CATCH_ALL)


# -- the cluster: the controller's Deployment and Service ------------------------------------------------

def expand(r: Reader, d: Drafts) -> Drafts:
    """The controller's Deployment (ingress-nginx/ingress-nginx-controller) and its Service, when the lab has a
    controller; after the file's own pods and services, which keep the addresses they had without them."""
    controller = d.cluster.ingress
    if controller is None or not (d.ingresses or d.cluster.ingress_asked):
        return d
    where = ("cluster", "ingress")
    for s in d.services:
        if (s.namespace, s.name) == (NAMESPACE, NAME):
            r.problem(s.path + ("name",), f"{NAMESPACE}/{NAME} is the ingress controller's Service, which netlab adds",
                      "name it otherwise, or set cluster.ingress.controller: none")
    spec = deployments.Spec(controller.replicas, None, "25%", "25%")
    pod = PodDraft(where, NAME, None, None, NAMESPACE, LABELS, (), (), deployment=spec, workload=WORKLOAD)
    # The bare-metal manifest's NodePort Service; the cloud one's LoadBalancer keeps the client's address
    # (externalTrafficPolicy: Local), so X-Forwarded-For names the client rather than a node.
    local = "Local" if controller.service_type == "LoadBalancer" else "Cluster"
    service = ServiceDraft(where, NAME, NAMESPACE, controller.service_type, None, False, LABELS,
                           (PortDraft("http", HTTP_PORT, HTTP_PORT, Protocol.TCP, controller.node_port),),
                           "None", 10800, local)
    return dataclasses.replace(d, pods=(*d.pods, pod), services=(*d.services, service))


def check(r: Reader, ingresses: tuple[Ingress, ...], services: tuple[Service, ...],
          controller: IngressController | None) -> None:
    """What ingress-nginx would log and skip, refused here with the place in the file: an Ingress of a class it
    does not serve, a backend naming a Service or port that does not exist, and two rules for one host and path
    (only one can be served)."""
    by_name = {(s.namespace, s.name): s for s in services}
    seen: dict[tuple[str, str, str], str] = {}
    served = controller.class_name if controller else NGINX
    for ing in ingresses:
        if ing.class_name is not None and ing.class_name != served:
            r.problem(ing.where + ("ingressClassName",), f"no controller serves the IngressClass '{ing.class_name}'",
                      f"this lab's controller is ingress-nginx, class '{served}' (cluster.ingress.className)")
        backends = [(ing.where + ("defaultBackend",), ing.default_backend)] if ing.default_backend else []
        for i, rule in enumerate(ing.rules):
            for j, p in enumerate(rule.paths):
                backends.append((ing.where + ("rules", i, "http", "paths", j, "backend"), p.backend))
                key = (rule.host or CATCH_ALL, p.path, p.path_type)
                if key in seen:
                    r.problem(ing.where + ("rules", i, "http", "paths", j, "path"),
                              f"two Ingress rules for host '{rule.host or '*'}' and path {p.path} ({p.path_type})",
                              f"also in Ingress {seen[key]}; nginx can serve only one of them")
                seen.setdefault(key, f"{ing.namespace}/{ing.name}")
        for where, backend in backends:
            svc = by_name.get((ing.namespace, backend.service))
            if svc is None:
                r.problem(where + ("service", "name"), f"no Service '{backend.service}' in namespace "
                          f"'{ing.namespace}'", "an Ingress backend is a Service of the Ingress's own namespace")
            elif not any(backend.names(p) for p in svc.ports):
                r.problem(where + ("service", "port"), f"Service '{backend.service}' has no port {backend.port_text}",
                          "one of: " + ", ".join(str(p.port) + (f" ({p.name})" if p.name else "") for p in svc.ports))


# -- from Ingresses to nginx's servers and upstreams ------------------------------------------------------

def upstream_name(namespace: str, backend: Backend) -> str:
    return f"{namespace}-{backend.service}-{backend.port_text}"


def config(t: Topology) -> Config:
    upstreams: dict[str, Upstream] = {}

    def upstream(namespace: str, backend: Backend) -> str:
        name = upstream_name(namespace, backend)
        svc = next(s for s in t.services if (s.namespace, s.name) == (namespace, backend.service))
        port = next(p for p in svc.ports if backend.names(p))
        upstreams.setdefault(name, Upstream(name, tuple(str(e) for e in t.endpoints(svc, port))))
        return name

    hosts: dict[str, list[Location]] = {CATCH_ALL: []}
    catch_all_root: str | None = None
    for ing in served(t):
        if ing.default_backend is not None and catch_all_root is None:  # the oldest Ingress's, as in ingress-nginx
            catch_all_root = upstream(ing.namespace, ing.default_backend)
        for rule in ing.rules:
            found = hosts.setdefault(rule.host or CATCH_ALL, [])
            for p in rule.paths:
                name = upstream(ing.namespace, p.backend)
                found += locations(p.path, p.path_type, Location(
                    p.path, False, name, f"{ing.namespace}/{ing.name}", p.backend.service, p.backend.port_text,
                    p.path, p.path_type))
    servers = []
    for host in sorted(hosts):
        # A Prefix path's exact twin gives way to an Exact path written for the same path (exactLocations).
        found = sorted(hosts[host], key=lambda loc: loc.path_type != "Exact")
        found = list({(loc.path, loc.exact): loc for loc in reversed(found)}.values())
        if not any(loc.path == "/" and not loc.exact for loc in found):
            root = catch_all_root if host == CATCH_ALL and catch_all_root else DEFAULT_UPSTREAM
            found = [*found, Location("/", False, root)]
        # ingress-nginx sorts a server's locations by path, longest text first; nginx itself picks by match.
        servers.append(Server(host, tuple(sorted(found, key=lambda loc: (loc.path, loc.exact), reverse=True))))
    upstreams[DEFAULT_UPSTREAM] = Upstream(DEFAULT_UPSTREAM, (f"127.0.0.1:{DEFAULT_BACKEND_PORT}",))
    return Config(tuple(servers), tuple(upstreams[name] for name in sorted(upstreams)))


def locations(path: str, path_type: str, template: Location) -> list[Location]:
    """updateServerLocations: Exact is one exact location; Prefix two (`/p/` and `= /p`), but `/` stays one;
    ImplementationSpecific is nginx's own prefix."""
    if path_type == "Exact":
        return [dataclasses.replace(template, exact=True)]
    if path_type == "Prefix" and path != "/":
        normal = path if path.endswith("/") else path + "/"
        return [dataclasses.replace(template, path=normal), dataclasses.replace(template, exact=True)]
    return [template]


def served(t: Topology) -> tuple[Ingress, ...]:
    """The Ingresses this controller serves: its class (nginx unless cluster.ingress.className says), or no class
    (its class is the cluster's default)."""
    controller = t.cluster.ingress
    return tuple(i for i in t.ingresses if i.class_name in (None, controller.class_name)) if controller else ()


def controller_pods(t: Topology) -> list[str]:
    return [p.name for p in t.pods if p.workload == WORKLOAD]


def describe(controller: IngressController) -> str:
    return f"{controller.replicas} × {NAMESPACE}/{NAME} behind a {controller.service_type} Service"


@dataclass(frozen=True)
class Decision:
    """What nginx in a controller pod does with one request: the server its Host picks, the location its path
    picks, and the upstream that location proxies to (none: nginx answers itself)."""

    host: str
    path: str
    server: Server
    location: Location | None
    upstream: Upstream | None

    @property
    def endpoint(self) -> str | None:
        """The pod nginx connects to: the first of the upstream's round robin (none for the default backend,
        which is nginx itself, or for a Service without endpoints)."""
        if self.upstream is None or self.upstream.name == DEFAULT_UPSTREAM or not self.upstream.servers:
            return None
        return self.upstream.servers[0]

    def lines(self) -> list[str]:
        server = "the default server _" if self.server.hostname == CATCH_ALL else f"server {self.server.hostname}"
        found = [f"Host {self.host or '(none)'} → {server}"]
        loc = self.location
        if loc is None:
            return [*found, f"{self.path}: no location matches: 404"]
        match = f'location = "{loc.path}"' if loc.exact else f'location "{loc.path}"'
        origin = f" (Ingress {loc.ingress}, path {loc.ingress_path} {loc.path_type})" if loc.ingress else ""
        found.append(f"{self.path} → {match}{origin} → upstream {loc.upstream}")
        if loc.upstream == DEFAULT_UPSTREAM:
            found.append(f"the default backend: nginx itself, on 127.0.0.1:{DEFAULT_BACKEND_PORT}, answers 404")
        elif self.endpoint is None:
            found.append(f"{loc.service} has no endpoints: nginx answers 503")
        else:
            others = len(self.upstream.servers) - 1 if self.upstream else 0
            found.append(f"a new connection from the controller pod to {self.endpoint} (round robin"
                         + (f", one of {others + 1})" if others else ")")
                         + ", carrying X-Forwarded-For: the client it saw")
        return found


def route(t: Topology, host: str, path: str) -> Decision:
    """nginx's decision for a request with this Host header and path."""
    conf = config(t)
    server = conf.server_for(host)
    location = server.location_for(path.split("?", 1)[0])
    upstream = next((u for u in conf.upstreams if location and u.name == location.upstream), None)
    return Decision(host, path, server, location, upstream)


def status_address(t: Topology) -> str:
    """The ADDRESS kubectl shows for an Ingress, as ingress-nginx publishes it (--publish-service): its
    Service's load balancer address; for a NodePort Service, the addresses of the nodes its pods run on."""
    svc = next((s for s in t.services if (s.namespace, s.name) == (NAMESPACE, NAME)), None)
    if svc is None:
        return ""
    if svc.ingress_ips:
        return ",".join(map(str, svc.ingress_ips))
    nodes = {p.node for p in t.pods if p.workload == WORKLOAD}
    return ",".join(str(n.ip) for n in t.nodes if n.name in nodes)
