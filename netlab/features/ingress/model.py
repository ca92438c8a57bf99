"""What `ingresses:` and `cluster.ingress:` say: Kubernetes Ingress objects (networking.k8s.io/v1), and the
ingress controller that serves them."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the topology model imports this module
    from netlab.topology.model import ServicePort

NGINX = "nginx"  # the IngressClass ingress-nginx's manifests create, and the only controller netlab runs
PATH_TYPES = ("Prefix", "Exact", "ImplementationSpecific")


@dataclass(frozen=True)
class Backend:
    """backend.service: a Service of the Ingress's namespace, and one of its ports, by number or by name."""

    service: str
    port_number: int | None = None
    port_name: str | None = None

    @property
    def port_text(self) -> str:
        return str(self.port_number) if self.port_number is not None else str(self.port_name)

    def names(self, port: ServicePort) -> bool:
        """Whether this backend names `port` of its Service (by number, or by name)."""
        return port.port == self.port_number if self.port_number is not None else port.name == self.port_name


@dataclass(frozen=True)
class IngressPath:
    path: str
    path_type: str  # Prefix | Exact | ImplementationSpecific
    backend: Backend


@dataclass(frozen=True)
class IngressRule:
    host: str  # "" for every host (the rule goes to the catch-all server, `_`)
    paths: tuple[IngressPath, ...]


@dataclass(frozen=True)
class Ingress:
    name: str
    namespace: str
    class_name: str | None  # spec.ingressClassName; None: the cluster's default class, which is nginx here
    rules: tuple[IngressRule, ...]
    default_backend: Backend | None = None
    where: tuple[str | int, ...] = field(default=(), compare=False)  # its place in the file, for problems


@dataclass(frozen=True)
class IngressController:
    """The controller's Deployment and the Service in front of it, as ingress-nginx's manifests make them: a
    NodePort Service on bare metal, a LoadBalancer where the cluster has a load balancer."""

    replicas: int = 1
    service_type: str = "NodePort"  # NodePort | LoadBalancer
    node_port: int | None = None  # the http port's nodePort; None: allocated like any
    class_name: str = NGINX  # the IngressClass it serves (ingress-nginx's --ingress-class, its chart's ingressClass)
