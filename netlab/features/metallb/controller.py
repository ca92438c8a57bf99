"""MetalLB's controller: gives each LoadBalancer Service an address from the pool and writes it to the Service's
status (status.loadBalancer.ingress), where kube-proxy and the speakers read it.

As MetalLB's allocator does: a Service that asks for an address (spec.loadBalancerIP) gets that one, if it is in
the pool and free; any other gets the first free address of the pool, range by range in the order written, each
range from its lowest address (a CIDR's network and broadcast addresses too: MetalLB skips them only with
avoidBuggyIPs). A Service keeps its address across `netlab apply`, as its status keeps it on a cluster.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from ipaddress import IPv4Address, IPv4Network

from netlab.features.metallb.model import BGP, LAYER2, LoadBalancerConfig
from netlab.topology.model import Node, Service, Topology, Underlay
from netlab.topology.reader import Path, Reader


def check_pool(r: Reader, config: LoadBalancerConfig, cni: str, underlay: Underlay, nodes: tuple[Node, ...],
               others: Sequence[tuple[Path, IPv4Network | None]]) -> None:
    """A layer 2 pool lies on the nodes' first underlay segment (the speakers answer ARP there, and the router
    asks there) and holds no node's or router's address; a BGP pool is routed, and overlaps nothing else."""
    if config.mode == BGP and cni == "calico":
        # MetalLB's docs ("Issues with Calico"): both would speak BGP from the node, on its port 179.
        r.problem(("cluster", "loadBalancer", "mode"), "MetalLB in bgp mode and Calico both speak BGP on the nodes' "
                  "port 179", "use mode layer2 with Calico, or have Calico announce the addresses (calico.peers)")
    path: Path = ("cluster", "loadBalancer", "addresses")
    for i, addresses in enumerate(config.addresses):
        if config.mode == LAYER2:
            segment = underlay.gateway.network
            if not all(net.subnet_of(segment) for net in addresses.networks):
                r.problem(path + (i,), f"{addresses.text} is not on the underlay {segment}",
                          "in layer2 mode a node answers ARP for the address: it must be on the nodes' subnet")
                continue
            used = [(f"node '{n.name}'", n.ip) for n in nodes] + [("the internet router", gw.ip)
                                                                    for gw in underlay.segments]
            for what, ip in used:
                if ip in addresses:
                    r.problem(path + (i,), f"{addresses.text} holds {ip}, the address of {what}",
                              "give the pool addresses nothing else on the underlay uses")
        else:
            for where, net in others:
                if net is not None and any(a.overlaps(net) for a in addresses.networks):
                    r.problem(path + (i,), f"{addresses.text} overlaps {net} ({'.'.join(map(str, where))})")


def usable_nodes(t: Topology, svc: Service, nodes: Sequence[Node]) -> list[Node]:
    """Of `nodes`, those that may announce the Service's address, in both modes (layer2_controller.go's
    usableNodes, bgp_controller.go's ShouldAnnounce): none while it has no ready endpoint; with
    externalTrafficPolicy Local, only the ones that have one (they keep the client's address); else all."""
    with_endpoint = {e.node for port in svc.ports for e in t.endpoints(svc, port)}
    if not with_endpoint:
        return []
    if svc.external_traffic_policy == "Local":
        return [n for n in nodes if n.name in with_endpoint]
    return list(nodes)


def assign(r: Reader, config: LoadBalancerConfig | None, services: tuple[Service, ...],
           paths: dict[tuple[str, str], Path], leased: dict[tuple[str, str], Service]) -> tuple[Service, ...]:
    """Every LoadBalancer Service's ingress address: asked for, kept from before, or the pool's first free one.
    Without a provider, none: kubectl shows <pending>. A load balancer's address asked of none is refused."""
    balanced = [s for s in services if s.type == "LoadBalancer"]
    if config is None:
        for s in balanced:
            if s.load_balancer_ip is not None:
                r.problem(paths[(s.namespace, s.name)] + ("loadBalancerIP",), "this lab has no load balancer to give "
                          f"{s.load_balancer_ip}", "set cluster.loadBalancer (MetalLB), or drop loadBalancerIP")
        return services
    taken: dict[IPv4Address, str] = {}
    for s in balanced:
        if s.load_balancer_ip is None:
            continue
        where = paths[(s.namespace, s.name)] + ("loadBalancerIP",)
        if s.load_balancer_ip not in config:
            r.problem(where, f"{s.load_balancer_ip} is not in the load balancer's pool",
                      "MetalLB gives out only its IPAddressPool's addresses: "
                      + ", ".join(a.text for a in config.addresses))
        elif s.load_balancer_ip in taken:
            r.problem(where, f"{s.load_balancer_ip} is already given to {taken[s.load_balancer_ip]}")
        else:
            taken[s.load_balancer_ip] = f"{s.namespace}/{s.name}"
    kept: dict[tuple[str, str], IPv4Address] = {}
    for s in balanced:
        old = leased.get((s.namespace, s.name))
        if s.load_balancer_ip is None and old is not None and old.ingress_ips:
            ip = old.ingress_ips[0]
            if ip in config and ip not in taken:
                kept[(s.namespace, s.name)] = ip
                taken[ip] = f"{s.namespace}/{s.name}"
    free = (ip for ip in config if ip not in taken)
    result = []
    for s in services:
        if s.type == "LoadBalancer":
            given = s.load_balancer_ip or kept.get((s.namespace, s.name)) or next(free, None)
            if given is None:  # the Service stays <pending>, and says why in its events (controller/service.go)
                s = dataclasses.replace(s, load_balancer_event="AllocationFailed: Failed to allocate IP for "
                                        f'"{s.namespace}/{s.name}": no available IPs')
            else:
                s = dataclasses.replace(s, ingress_ips=(given,))
        result.append(s)
    return tuple(result)
