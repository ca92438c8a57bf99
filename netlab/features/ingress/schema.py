"""The topology keys `ingresses:` (Ingress objects, checked as the apiserver validates them) and
`cluster.ingress:` (the controller)."""

from __future__ import annotations

from netlab import naming
from netlab.features.ingress.model import NGINX, PATH_TYPES, Backend, Ingress, IngressController, IngressPath, \
    IngressRule
from netlab.topology.reader import Path, Reader

INGRESS_FIELDS = ("name", "namespace", "ingressClassName", "rules", "defaultBackend")
CONTROLLER_FIELDS = ("controller", "replicas", "serviceType", "nodePort", "className")
SERVICE_TYPES = ("NodePort", "LoadBalancer")


def read_controller(r: Reader, value: object, path: Path, *, has_load_balancer: bool) -> IngressController | None:
    """cluster.ingress: {controller: nginx | none, replicas, serviceType, nodePort, className}."""
    m = r.mapping(value, path, CONTROLLER_FIELDS)
    if r.one_of(m, "controller", path, [NGINX, "none"], NGINX) == "none":
        return None
    default_type = "LoadBalancer" if has_load_balancer else "NodePort"
    service_type = r.one_of(m, "serviceType", path, list(SERVICE_TYPES), default_type)
    if service_type == "LoadBalancer" and not has_load_balancer:
        r.problem(path + ("serviceType",), "a LoadBalancer Service needs a load balancer to give it an address",
                  "set cluster.loadBalancer (MetalLB), or use serviceType: NodePort")
    return IngressController(replicas=r.integer(m, "replicas", path, 1, 1, 10) or 1, service_type=service_type,
                             node_port=r.integer(m, "nodePort", path, None, 30000, 32767),
                             class_name=r.name(m, "className", path, max_len=63, default=NGINX) or NGINX)


def ingress_reader(r: Reader, value: object, path: Path) -> Ingress | None:
    m = r.mapping(value, path, INGRESS_FIELDS)
    name = r.name(m, "name", path, max_len=63)
    namespace = r.name(m, "namespace", path, max_len=63, default="default") or "default"
    class_name = r.text(m, "ingressClassName", path, None)
    rules = tuple(rule for i, item in enumerate(r.sequence(m.get("rules"), path + ("rules",)))
                  if (rule := read_rule(r, item, path + ("rules", i))) is not None)
    default = read_backend(r, m["defaultBackend"], path + ("defaultBackend",)) if "defaultBackend" in m else None
    if not rules and default is None:
        r.problem(path, "an Ingress needs rules or a defaultBackend", "the apiserver refuses one with neither")
    return Ingress(name, namespace, class_name, rules, default, where=path) if name else None


def read_rule(r: Reader, value: object, path: Path) -> IngressRule | None:
    m = r.mapping(value, path, ("host", "http"))
    host = r.text(m, "host", path, "") or ""
    if host and not valid_host(host):
        r.problem(path + ("host",), f"'{host}' is not a host name",
                  "a DNS name (shop.example.com), or a wildcard (*.example.com); not an address")
    http = r.mapping(m.get("http"), path + ("http",), ("paths",))
    paths = tuple(p for i, item in enumerate(r.sequence(http.get("paths"), path + ("http", "paths")))
                  if (p := read_path(r, item, path + ("http", "paths", i))) is not None)
    if not paths:
        r.problem(path + ("http", "paths"), "a rule needs at least one path")
    return IngressRule(host, paths)


def read_path(r: Reader, value: object, path: Path) -> IngressPath | None:
    m = r.mapping(value, path, ("path", "pathType", "backend"))
    text = r.text(m, "path", path, "/") or "/"
    path_type = r.one_of(m, "pathType", path, list(PATH_TYPES), "")
    if path_type == "":
        r.problem(path + ("pathType",), "pathType is required", "Prefix, Exact or ImplementationSpecific")
    if not text.startswith("/"):
        r.problem(path + ("path",), f"'{text}' is not an absolute path", "a path starts with /")
    elif path_type in ("Prefix", "Exact") and any(c in text for c in "{}$;\"\\ "):
        r.problem(path + ("path",), f"'{text}' has a character a {path_type} path may not hold")
    backend = read_backend(r, m.get("backend"), path + ("backend",))
    return IngressPath(text, path_type, backend) if backend is not None else None


def read_backend(r: Reader, value: object, path: Path) -> Backend | None:
    """backend.service: {name, port: {number | name}} (an Ingress backend names a Service, not a resource)."""
    m = r.mapping(value, path, ("service",))
    service = r.mapping(m.get("service"), path + ("service",), ("name", "port"))
    name = r.name(service, "name", path + ("service",), max_len=63)
    port = r.mapping(service.get("port"), path + ("service", "port"), ("number", "name"))
    number = r.integer(port, "number", path + ("service", "port"), None, 1, 65535)
    port_name = r.text(port, "name", path + ("service", "port"), None)
    if (number is None) == (port_name is None):
        r.problem(path + ("service", "port"), "a backend names its Service port by number or by name, one of them",
                  "port: {number: 80} or port: {name: http}")
    return Backend(name, number, port_name) if name else None


def valid_host(host: str) -> bool:
    """A DNS name, perhaps with one leading wildcard label; never an IP address (the apiserver's rule)."""
    bare = host[2:] if host.startswith("*.") else host
    return naming.is_domain(bare)  # is_domain refuses an all-digit name: an IPv4 address
