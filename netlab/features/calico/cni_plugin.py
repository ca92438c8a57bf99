"""Calico's CNI plugin: a pod on a routed veth, no bridge (cni-plugin/pkg/dataplane/linux/dataplane_linux.go).

The host end is `cali` + 11 hex digits of sha1("<namespace>.<pod>") with the MAC ee:ee:ee:ee:ee:ee; it answers
ARP for every address by proxy (proxy_arp, no delay), so the pod's gateway 169.254.1.1 — an address no one
holds — is answered by the node. The pod holds its address as a /32, a link route to 169.254.1.1 and its
default route through it; the node routes the pod's /32 to the veth. Proxy ARP answers only for a target the
node routes out of another interface: the node's default route is what makes 169.254.1.1 answerable.
"""

from __future__ import annotations

import hashlib

from netlab import naming
from netlab.compile.links import attached_namespace
from netlab.plan import Note, Route, Step, Sysctl
from netlab.topology.model import Node, Pod, Topology

GATEWAY = "169.254.1.1"  # the pod's next hop: link-local, held by no one, answered by proxy ARP
# felix's IPv4NormalRoutePriority for a pod's /32, over the plugin's first one: BIRD's calico_aggr exports only
# routes below 1024 from inside a node's block (a borrowed address), so a pod's own /32 stays on its node.
WORKLOAD_METRIC = 1024
HOST_MAC = "ee:ee:ee:ee:ee:ee"  # every cali interface's: the pod learns one MAC for its gateway, whatever the node


def host_veth(pod: Pod) -> str:
    """libcalico-go's VethNameForWorkload: `cali` and the first 11 hex digits of sha1(namespace.pod)."""
    return "cali" + hashlib.sha1(f"{pod.namespace}.{pod.name}".encode()).hexdigest()[:11]


def host_sysctls(ns: str, veth: str) -> list[Step]:
    """configureSysctls: the host end forwards, answers ARP at once for what the node routes elsewhere, and may
    route to 127.0.0.0/8 (a hostPort or NodePort bound to localhost)."""
    return [Sysctl(ns, f"net.ipv4.conf.{veth}.route_localnet", "1"),
            Sysctl(ns, f"net.ipv4.conf.{veth}.proxy_arp", "1"),
            Sysctl(ns, f"net.ipv4.neigh.{veth}.proxy_delay", "0"),
            Sysctl(ns, f"net.ipv4.conf.{veth}.forwarding", "1")]


def pods_on(t: Topology, node: Node, mtu: int) -> list[Step]:
    ns = naming.netns(t.name, node.name)
    steps: list[Step] = []
    for pod in t.plugged_pods_on(node.name):
        veth, pod_ns = host_veth(pod), naming.netns(t.name, pod.name)
        steps += [Note(f"pod {pod.name}: {pod.ip.ip}/32 through {veth}, routed (no bridge)")]
        steps += attached_namespace(t.name, netns=pod_ns, role="pod", outer_netns=ns, outer_name=veth, master=None,
                                    address=f"{pod.ip.ip}/32", gateway=None, mtu=mtu, host=node.name,
                                    outer_mac=HOST_MAC)
        steps += host_sysctls(ns, veth)
        steps += [Route(pod_ns, f"{GATEWAY}/32", naming.UPLINK),
                  Route(pod_ns, "default", naming.UPLINK, via=GATEWAY),
                  Route(ns, f"{pod.ip.ip}/32", veth, metric=WORKLOAD_METRIC)]
    return steps
