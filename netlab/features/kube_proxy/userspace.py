"""kube-proxy's userspace mode, the first one (removed in Kubernetes 1.26): pkg/proxy/userspace/proxier.go.

kube-proxy itself is the proxy. For every Service port it listens on a port of its own (the "proxy port", on all
the node's addresses) and relays each connection it accepts to an endpoint it picks, round robin (or by client
address, for ClientIP affinity): a second connection, from the node. iptables only steers packets to it:

  nat PREROUTING → KUBE-PORTALS-CONTAINER (from pods): `-d <clusterIP> --dport <port> -j REDIRECT --to-ports P`,
      REDIRECT taking the packet to the address of the interface it came in by;
  nat OUTPUT → KUBE-PORTALS-HOST (from the node itself): `-j DNAT --to-destination <node IP>:P` (REDIRECT of a
      local packet would go to 127.0.0.1, where the reply comes from the wrong address — the source's comments);
  the same for a NodePort in KUBE-NODEPORT-CONTAINER and KUBE-NODEPORT-HOST (`-m addrtype --dst-type LOCAL`,
      the last rules of PREROUTING and OUTPUT), with filter KUBE-NODEPORT-NON-LOCAL accepting new connections to P;
  a load balancer's address is a portal like the ClusterIP; an external IP also (`-m physdev ! --physdev-is-in`,
      and `-m addrtype --dst-type LOCAL` for the node's own traffic).

No DNAT to a pod, no MASQUERADE, no conntrack between the two connections: the pod sees the node's address.
kube-proxy also holds each node port open as a listening socket, so that nothing else takes it. Its proxy
ports are random; netlab derives each from the Service port's name, so that it stays put across `apply`.
"""

from __future__ import annotations

import json
import zlib

from netlab.features.kube_proxy.service_ports import ServicePortInfo, service_ports
from netlab.plan import PYTHON, STATE, Daemon, RuleSet, Step
from netlab.topology.model import Node, Topology

PROGRAM = "netlab.workloads.userspace_proxy"
PORTALS_CONTAINER, PORTALS_HOST = "KUBE-PORTALS-CONTAINER", "KUBE-PORTALS-HOST"
NODEPORT_CONTAINER, NODEPORT_HOST, NODEPORT_NON_LOCAL = "KUBE-NODEPORT-CONTAINER", "KUBE-NODEPORT-HOST", \
    "KUBE-NODEPORT-NON-LOCAL"
FIRST_PROXY_PORT, PROXY_PORTS = 40000, 20000  # within the kernel's ephemeral range, where kube-proxy's land


def proxy_ports(ports: list[ServicePortInfo]) -> dict[str, int]:
    """Each Service port's proxy port: from a hash of its name, the next free one on a collision."""
    taken: dict[str, int] = {}
    used: set[int] = set()
    for info in sorted(ports, key=lambda i: i.name + "/" + i.protocol):
        port = FIRST_PROXY_PORT + zlib.crc32(f"{info.name}/{info.protocol}".encode()) % PROXY_PORTS
        while port in used:
            port = FIRST_PROXY_PORT + (port - FIRST_PROXY_PORT + 1) % PROXY_PORTS
        used.add(port)
        taken[f"{info.name}/{info.protocol}"] = port
    return taken


def proxy_port(ports: dict[str, int], info: ServicePortInfo) -> int:
    return ports[f"{info.name}/{info.protocol}"]


def common(info: ServicePortInfo, port: int, dest: str | None = None, *, physdev: bool = False,
           local: bool = False) -> str:
    """iptablesCommonPortalArgs, in its order."""
    p = info.protocol
    args = f'-m comment --comment "{info.name}" -p {p} -m {p} --dport {port}'
    args += f" -d {dest}/32" if dest else ""
    args += " -m physdev ! --physdev-is-in" if physdev else ""
    args += " -m addrtype --dst-type LOCAL" if local else ""
    return args


def rules(ports: list[ServicePortInfo], node: Node) -> str:
    """The nat and filter rules on one node, as iptablesInit and openPortal/openNodePort ensure them."""
    allocated = proxy_ports(ports)
    nat = ["*nat", *(f":{c} - [0:0]" for c in (PORTALS_CONTAINER, PORTALS_HOST, NODEPORT_CONTAINER, NODEPORT_HOST))]
    cluster_ips = '-m comment --comment "handle ClusterIPs; NOTE: this must be before the NodePort rules"'
    node_ports = ('-m addrtype --dst-type LOCAL -m comment --comment "handle service NodePorts; NOTE: this must be '
                  'the last rule in the chain"')
    nat += [f"-I PREROUTING 1 {cluster_ips} -j {PORTALS_CONTAINER}", f"-I OUTPUT 1 {cluster_ips} -j {PORTALS_HOST}",
            f"-A PREROUTING {node_ports} -j {NODEPORT_CONTAINER}", f"-A OUTPUT {node_ports} -j {NODEPORT_HOST}"]
    filt = ["*filter", f":{NODEPORT_NON_LOCAL} - [0:0]",
            f'-I INPUT 1 -m comment --comment "Ensure that non-local NodePort traffic can flow" '
            f"-j {NODEPORT_NON_LOCAL}"]
    for info in ports:
        p = proxy_port(allocated, info)
        redirect, dnat = f"-j REDIRECT --to-ports {p}", f"-j DNAT --to-destination {node.ip}:{p}"
        # the ClusterIP and the load balancer's addresses are portals; an external IP also matches the node's own
        for ip in (info.cluster_ip, *info.load_balancer_ips):
            nat += [f"-A {PORTALS_CONTAINER} {common(info, info.port.port, str(ip))} {redirect}",
                    f"-A {PORTALS_HOST} {common(info, info.port.port, str(ip))} {dnat}"]
        for ip in info.external_ips:
            nat += [f"-A {PORTALS_CONTAINER} {common(info, info.port.port, str(ip), physdev=True)} {redirect}",
                    f"-A {PORTALS_CONTAINER} {common(info, info.port.port, str(ip), local=True)} {redirect}",
                    f"-A {PORTALS_HOST} {common(info, info.port.port, str(ip), local=True)} {dnat}"]
        if info.node_port is not None:
            nat += [f"-A {NODEPORT_CONTAINER} {common(info, info.node_port)} {redirect}",
                    f"-A {NODEPORT_HOST} {common(info, info.node_port)} {dnat}"]
            filt.append(f"-A {NODEPORT_NON_LOCAL} {common(info, p)} -m state --state NEW -j ACCEPT")
    return "\n".join([*filt, "COMMIT", *nat, "COMMIT", ""])


def config(ports: list[ServicePortInfo], node: Node) -> str:
    """What the relay serves (the workload's --config): every Service port's proxy port and endpoints."""
    allocated = proxy_ports(ports)
    return json.dumps({"node": node.name, "services": [
        {"name": info.name, "protocol": info.protocol, "proxy_port": proxy_port(allocated, info),
         "claims": [info.node_port] if info.node_port is not None else [],
         "endpoints": [str(e) for e in info.endpoints],
         "affinity": info.service.session_affinity, "affinity_timeout": info.service.affinity_timeout}
        for info in ports]}, indent=1) + "\n"


def relay(t: Topology, node: str, port: int, proto: str) -> tuple[list[str], str | None] | None:
    """What kube-proxy on `node` does with a connection delivered to `port`, in words, and the endpoint it opens
    its own to (the first of its round robin; None with no endpoints); None when `port` is no proxy port."""
    ports = service_ports(t)
    allocated = proxy_ports(ports)
    info = next((i for i in ports if proxy_port(allocated, i) == port and i.protocol == proto), None)
    if info is None:
        return None
    lines = [f"accepts the connection on its proxy port {port}, for {info.name}"]
    if not info.endpoints:
        return [*lines, "no endpoints: it closes the connection it accepted"], None
    endpoint = str(info.endpoints[0])
    more = f", one of {len(info.endpoints)}" if len(info.endpoints) > 1 else ""
    return [*lines, f"and opens its own connection to {endpoint} (round robin{more}): the pod sees {node}'s "
            "address"], endpoint


def compile_services(t: Topology, ports: list[ServicePortInfo], node: Node, ns: str) -> list[Step]:
    allocated = proxy_ports(ports)
    listens = sorted({f"{i.protocol}/{proxy_port(allocated, i)}" for i in ports} |
                     {f"{i.protocol}/{i.node_port}" for i in ports if i.node_port is not None})
    path = f"kube-proxy/{node.name}.json"
    return [
        # kube-proxy's own process: the relay, listening on every proxy port (and holding every node port)
        Daemon(ns, f"kube-proxy-{node.name}", (PYTHON, "-m", PROGRAM, "--config", f"{STATE}/{path}"),
               ports=tuple(listens), ready="listen", files=((path, config(ports, node)),),
               reload=(PYTHON, "-m", PROGRAM, "--reload", "--config", f"{STATE}/{path}")),
        RuleSet(ns, t.cluster.iptables, "kube-proxy", rules(ports, node),
                rewrite=(f"nat/{PORTALS_CONTAINER}", f"nat/{PORTALS_HOST}", f"nat/{NODEPORT_CONTAINER}",
                         f"nat/{NODEPORT_HOST}", f"filter/{NODEPORT_NON_LOCAL}")),
    ]
