"""Endpoints written by hand (`endpoints:`, or a manifest's Endpoints and EndpointSlices): read as a v1 Endpoints
object, and given to the Service of their name, which must have no selector — the endpoints controller owns the
others'."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from netlab.topology.model import EndpointSubset, Protocol
from netlab.topology.reader import Path, Reader

if TYPE_CHECKING:  # the loader reads endpoints with this module
    from netlab.topology.loader import Drafts


@dataclass(frozen=True)
class EndpointsDraft:
    path: Path
    name: str  # the Service's
    namespace: str
    subsets: tuple[EndpointSubset, ...]


def read_endpoints(r: Reader, value: object, path: Path) -> EndpointsDraft | None:
    """`endpoints: [{name, namespace, subsets: [{addresses: [{ip}], ports: [{name, port, protocol}]}]}]`: a v1
    Endpoints object written by hand, for the Service of that name that has no selector."""
    m = r.mapping(value, path, ("name", "namespace", "subsets"))
    name = r.name(m, "name", path, max_len=63)
    subsets = []
    for i, item in enumerate(r.sequence(m.get("subsets"), path + ("subsets",))):
        where = path + ("subsets", i)
        sm = r.mapping(item, where, ("addresses", "ports", "notReadyAddresses"))
        addresses = []
        for j, address in enumerate(r.sequence(sm.get("addresses"), where + ("addresses",))):
            am = r.mapping(address, where + ("addresses", j), ("ip", "hostname", "nodeName", "targetRef")) \
                if isinstance(address, dict) else {"ip": address}
            if "ip" not in am:
                r.problem(where + ("addresses", j), "'ip' is required")
                continue
            ip = r.address(am, "ip", where + ("addresses", j))
            if ip is None:
                continue
            if ip.is_loopback or ip.is_link_local or ip.is_multicast or ip.is_unspecified:
                r.problem(where + ("addresses", j, "ip"), f"Invalid value: {ip}: may not be a loopback, "
                          "link-local, multicast or unspecified address")
                continue
            addresses.append(ip)
        ports = []
        for j, item_port in enumerate(r.sequence(sm.get("ports"), where + ("ports",))):
            pm = r.mapping(item_port, where + ("ports", j), ("name", "port", "protocol", "appProtocol"))
            number = r.integer(pm, "port", where + ("ports", j), None, 1, 65535)
            if number is None:
                if "port" not in pm:
                    r.problem(where + ("ports", j), "'port' is required")
                continue
            proto = r.text(pm, "protocol", where + ("ports", j), "TCP") or "TCP"
            if proto not in ("TCP", "UDP"):
                r.problem(where + ("ports", j, "protocol"), f"'{proto}' is not a supported protocol", "TCP or UDP")
                continue
            ports.append((r.text(pm, "name", where + ("ports", j), "") or "", number, Protocol(proto.lower())))
        subsets.append(EndpointSubset(tuple(addresses), tuple(ports)))
    if name is None:
        return None
    return EndpointsDraft(path, name, r.name(m, "namespace", path, max_len=63, default="default") or "default",
                          tuple(subsets))


def written_endpoints(r: Reader, d: Drafts) -> dict[tuple[str, str], tuple[EndpointSubset, ...]]:
    """The Endpoints written for each Service, by (namespace, name): several (EndpointSlices) add up. Only a
    Service without a selector takes them: the endpoints controller owns the others'."""
    by_name = {(s.namespace, s.name): s for s in d.services}
    found: dict[tuple[str, str], tuple[EndpointSubset, ...]] = {}
    for e in d.endpoints:
        svc = by_name.get((e.namespace, e.name))
        if svc is None:
            r.problem(e.path + ("name",), f"no Service '{e.name}' in namespace '{e.namespace}' for these endpoints",
                      "Endpoints are named after the Service without a selector they serve")
        elif svc.selector:
            r.problem(e.path + ("name",), f"Service '{e.name}' has a selector: the endpoints controller writes its "
                      "endpoints, and would overwrite these", "drop the Service's selector, or these endpoints")
        elif svc.type == "ExternalName":
            r.problem(e.path + ("name",), f"Service '{e.name}' is an ExternalName: a CNAME, with no endpoints")
        else:
            found[(e.namespace, e.name)] = found.get((e.namespace, e.name), ()) + e.subsets
    return found


__all__ = ["EndpointsDraft", "read_endpoints", "written_endpoints"]
