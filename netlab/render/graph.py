"""A lab as a diagram: what `netlab up` builds, drawn from its plan, written as DOT or Mermaid (no root).

The wiring comes from the plan's own primitives, so the picture shows exactly what is built: one box per
pod or host (its eth0 and address), one box per node interface that is not a bridge port (eth0, docker0
or cni0, flannel.1, kube-ipvs0), a line per veth, and a line to the bridge for each bridge port. From
the plan also: the VXLAN overlay between VTEPs (from the FDB entries flannel writes) and the routes to
another node's pod subnet (host-gw, flannel). From the model: Services and their endpoints, NetworkPolicies and
the pods they select, and Docker's published ports.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from collections.abc import Callable
from dataclasses import dataclass, field

from netlab import naming
from netlab.errors import EnvironmentProblem
from netlab.features import NO_PROXY
from netlab.plan import VXLAN_DEFAULT_PORT, Plan
from netlab.plan.index import PlanIndex
from netlab.topology.model import Topology

MAX_LINES = 8  # a box lists at most this many addresses (kube-ipvs0 holds one per Service)
_BoxOf = Callable[[str, str], str]  # (netns, dev) → the box drawn for it


@dataclass(frozen=True)
class Box:
    id: str
    lines: tuple[str, ...]  # the first line is the box's name
    kind: str  # pod | host | interface | bridge | vxlan | service | policy


@dataclass(frozen=True)
class Edge:
    a: str
    b: str
    kind: str  # link (a veth) | overlay (VXLAN) | route | service (to an endpoint) | publish (Docker -p) | policy
    # | shares (a container in another's namespace)
    label: str = ""


@dataclass
class Group:
    id: str
    title: str
    kind: str  # node | underlay | internet | services | policies
    boxes: list[Box] = field(default_factory=list)


@dataclass
class Diagram:
    title: str
    groups: list[Group]
    edges: list[Edge]
    # (lab object, interface) → the box a packet seen there is drawn at: how a trace's hops land on the picture
    places: dict[tuple[str, str], str] = field(default_factory=dict)
    members: dict[str, str] = field(default_factory=dict)  # lab object → its box (a pod, a host) or group (a node)

    def boxes(self) -> list[Box]:
        return [box for group in self.groups for box in group.boxes]


def _ident(prefix: str, *parts: str) -> str:
    """An identifier both DOT and Mermaid take as is. The prefix (b_ a box in a namespace, s_ a Service,
    g_ a group) keeps kinds apart and Mermaid's keywords such as `end` out."""
    return prefix + "__".join(re.sub(r"[^A-Za-z0-9]", "_", p) for p in parts)


def diagram(t: Topology, plan: Plan) -> Diagram:
    index = plan.index()
    spaces = index.spaces
    is_leaf = {ns: space.role in ("pod", "host") for ns, space in spaces.items()}  # one interface: one box

    def box_of(ns: str, dev: str) -> str:
        """The box a packet on (ns, dev) is drawn at: the pod or host itself, the bridge it is a port of,
        or the interface."""
        space = spaces[ns]
        if is_leaf[ns]:
            return _ident("b_", space.obj)
        return _ident("b_", space.obj, space.masters.get(dev, dev))

    # Each namespace that is not a leaf is a group; a leaf joins the group on the other end of its veth.
    groups: dict[str, Group] = {ns: Group(_ident("g_", space.obj), _group_title(t, space.obj, space.role), space.role)
                                for ns, space in spaces.items() if not is_leaf[ns]}
    pods = {p.name: p for p in t.pods}
    hosts = {h.name: h for h in t.internet.hosts}
    for ns, space in spaces.items():
        home = next((peer_ns for peer_ns, _ in space.peers.values() if not is_leaf.get(peer_ns, True)), None)
        if not is_leaf[ns] or home is None:
            continue
        name = space.obj
        lines = [name, *(f"eth0 {a}" for a in space.addresses_of(naming.UPLINK))]
        if name in pods:
            lines += [f"{k}={v}" for k, v in pods[name].labels]
            lines += [f"serves {s.kind}:{s.port}" for s in pods[name].serve]
        elif name in hosts:
            lines += [f"serves {s.kind}:{s.port}" for s in hosts[name].serve]
        groups[home].boxes.append(Box(_ident("b_", name), tuple(lines), space.role))
    for ns, space in spaces.items():
        if is_leaf[ns]:
            continue
        for dev, kind in space.kinds.items():
            if dev in space.masters:
                continue
            lines = [dev, *space.addresses_of(dev)]
            if len(lines) > MAX_LINES:
                lines[MAX_LINES - 1:] = [f"… and {len(lines) - MAX_LINES + 1} more addresses"]
            if dev in space.vxlans:
                v = space.vxlans[dev]
                lines.append(f"VXLAN VNI {v.vni}, MTU {v.mtu}")
            if space.role == "underlay":
                segment = int(dev.removeprefix("br")) if dev.removeprefix("br").isdigit() else 0
                lines.append(f"switch {t.underlay.segments[min(segment, len(t.underlay.segments) - 1)].network}")
            groups[ns].boxes.append(Box(_ident("b_", space.obj, dev), tuple(lines),
                                        kind if kind in ("bridge", "vxlan") else "interface"))

    edges: list[Edge] = []
    drawn: set[frozenset[tuple[str, str]]] = set()
    for ns, space in spaces.items():
        for dev, peer in space.peers.items():
            ends = frozenset({(ns, dev), peer})
            if ends in drawn:
                continue
            drawn.add(ends)
            a, b = (ns, dev), peer
            port = next((d for n, d in (a, b) if d in spaces[n].masters), "")
            edges.append(Edge(box_of(*a), box_of(*b), "link", port))
    edges += _overlay(index, box_of)
    edges += _routes(index, box_of)
    places = {(space.obj, dev): box_of(ns, dev) for ns, space in spaces.items() for dev in space.kinds}
    members = {space.obj: _ident("b_", space.obj) if is_leaf[ns] else groups[ns].id for ns, space in spaces.items()}
    result = Diagram(_title(t), list(groups.values()), edges, places, members)
    _add_services(t, result)
    _add_policies(t, result)
    _add_published_ports(t, result)
    _add_network_modes(t, result)
    return result


def _group_title(t: Topology, name: str, role: str) -> str:
    if role == "underlay":
        return "underlay · " + ", ".join(str(gw.network) for gw in t.underlay.segments)
    if role == "internet":
        return f"internet router · hosts on {t.internet.subnet}"
    subnet = next(n.pod_subnet for n in t.nodes if n.name == name)
    what = {"docker-bridge": "Docker host · containers", "lan-bridge": "LAN"}.get(t.cluster.cni, "pods")
    return f"{name} · {what} {subnet}"


def _title(t: Topology) -> str:
    proxy = "" if t.cluster.proxy == NO_PROXY else f", kube-proxy {t.cluster.proxy} mode"
    return f"lab {t.name} ({t.cluster.cni}{proxy})"


def _owner_of(index: PlanIndex) -> dict[str, tuple[str, str]]:
    """Which (netns, dev) holds each address."""
    return {str(a.ip): (ns, dev) for ns, space in index.spaces.items() for dev, a in space.addresses}


def _overlay(index: PlanIndex, box_of: _BoxOf) -> list[Edge]:
    """One edge per pair of VTEPs that know each other: flannel's FDB entry says which underlay address
    the remote VTEP's MAC lives behind."""
    owner = _owner_of(index)
    seen: set[frozenset[str]] = set()
    edges = []
    for ns, space in index.spaces.items():
        for (dev, _), dst in space.fdb.items():
            remote_ns = owner.get(dst, ("", ""))[0]
            remote = next(iter(index.spaces[remote_ns].vxlans), None) if remote_ns else None
            if dev not in space.vxlans or remote is None:
                continue
            a, b = box_of(ns, dev), box_of(remote_ns, remote)
            if frozenset((a, b)) not in seen:
                seen.add(frozenset((a, b)))
                v = space.vxlans[dev]
                edges.append(Edge(a, b, "overlay", f"VXLAN VNI {v.vni}, UDP {v.port or VXLAN_DEFAULT_PORT}"))
    return edges


def _routes(index: PlanIndex, box_of: _BoxOf) -> list[Edge]:
    """A node's routes to another node's pod subnet through a gateway in the lab (host-gw, flannel). Defaults,
    and a pod's route to its own bridge, go where the wires already show."""
    owner = _owner_of(index)
    edges = []
    for ns, space in index.spaces.items():
        if space.role in ("pod", "host"):
            continue
        for r in space.routes:
            via = r.via
            if r.network.prefixlen and via in owner and owner[via][0] != ns:
                edges.append(Edge(box_of(ns, r.dev), box_of(*owner[via]), "route", f"{r.network} via {via}"))
    return edges


def _add_services(t: Topology, d: Diagram) -> None:
    if t.cluster.proxy == NO_PROXY or not t.services:
        return
    group = Group(_ident("g_", "services"), f"Services · kube-proxy {t.cluster.proxy} mode", "services")
    for svc in t.services:
        kind = f"{svc.type} {svc.cluster_ip}" if svc.cluster_ip else (
            f"ExternalName → {svc.external_name}" if svc.external_name else "headless (no ClusterIP)")
        lines = [f"svc {svc.name}", kind]
        for port in svc.ports:
            text = f"{port.port}/{port.protocol} → {port.target}"
            lines.append(text + (f", NodePort {port.node_port}" if port.node_port else ""))
        if svc.session_affinity != "None":
            lines.append(f"sessionAffinity {svc.session_affinity}")
        if svc.external_traffic_policy != "Cluster" and svc.type == "NodePort":
            lines.append(f"externalTrafficPolicy {svc.external_traffic_policy}")
        written = {e for port in svc.ports for e in t.endpoints(svc, port)}
        endpoints = {e.pod for e in written if e.pod}
        outside = sorted({str(e.ip) for e in written if not e.pod})
        if outside:
            lines.append("endpoints " + ", ".join(outside))
        if not written and not svc.external_name:
            lines.append("no endpoints: " + (",".join(f"{k}={v}" for k, v in svc.selector) or "no selector"))
        box = Box(_ident("s_", svc.name), tuple(lines), "service")
        group.boxes.append(box)
        d.edges += [Edge(box.id, _ident("b_", pod), "service") for pod in sorted(endpoints)]
    d.groups.append(group)


def _add_policies(t: Topology, d: Diagram) -> None:
    """NetworkPolicies: what each allows, and an arrow to each pod it selects (isolates)."""
    if not t.policies:
        return
    from netlab.features.netpol.evaluate import selected
    from netlab.features.netpol.explain import rules_of
    group = Group(_ident("g_", "policies"), f"NetworkPolicies · {t.cluster.network_policy}", "policies")
    for policy in t.policies:
        lines = [f"netpol {policy.full_name}", f"selects {policy.pod_selector}", ", ".join(policy.policy_types)]
        for direction in policy.policy_types:
            lines += [rule.split(": ", 1)[1] for rule in rules_of(t, (policy.full_name,), direction)]
        box = Box(_ident("p_", policy.namespace, policy.name), tuple(lines[:MAX_LINES]), "policy")
        group.boxes.append(box)
        d.edges += [Edge(box.id, _ident("b_", pod.name), "policy") for pod in selected(t, policy)]
    d.groups.append(group)


def _add_published_ports(t: Topology, d: Diagram) -> None:
    """Docker's `-p`: the node's eth0 DNATs its port to the container."""
    for pod in t.pods:
        for pub in pod.publish:
            d.edges.append(Edge(_ident("b_", pod.node, naming.UPLINK), _ident("b_", pod.name), "publish",
                                f"-p {pub.host_port}:{pub.container_port}/{pub.protocol}"))


def _add_network_modes(t: Topology, d: Diagram) -> None:
    """Docker's containers without an interface of their own, in their node's group: host mode with an arrow to the
    node's eth0, container:X with one to X, none alone (lo)."""
    groups = {g.id: g for g in d.groups}
    for pod in t.pods:
        if pod.plugged:
            continue
        shares = {"host": "the host's namespace", "none": "a namespace with lo alone"}.get(
            pod.network, f"{pod.joined}'s namespace")
        lines = (pod.name, pod.mode(t.cluster.cni == "docker-bridge"), shares,
                 *(f"serves {s.kind}:{s.port}" for s in pod.serve))
        group = groups.get(_ident("g_", pod.node))
        if group is None:
            continue
        group.boxes.append(Box(_ident("b_", pod.name), lines, "pod"))
        d.members[pod.name] = _ident("b_", pod.name)
        if pod.network == "host":
            d.edges.append(Edge(_ident("b_", pod.name), _ident("b_", pod.node, naming.UPLINK), "shares"))
        elif pod.joined:
            d.edges.append(Edge(_ident("b_", pod.name), _ident("b_", pod.joined), "shares"))


# -- writers ---------------------------------------------------------------------------------------------

_COLOURS = {"pod": "#dbeafe", "host": "#fde68a", "interface": "#f3f4f6", "bridge": "#d1fae5", "vxlan": "#ede9fe",
            "service": "#fce7f3", "policy": "#fee2e2"}
_DOT_EDGES = {"link": 'dir=none, penwidth=1.5', "overlay": 'dir=both, style=dashed, color="#7c3aed", penwidth=2',
              "route": 'style=dotted, color="#2563eb"', "service": 'style=dashed, color="#db2777"',
              "publish": 'style=dashed, color="#b45309"', "policy": 'style=dotted, color="#dc2626"',
              "shares": 'style=dotted, color="#0369a1"'}


def _dot_text(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def to_dot(d: Diagram) -> str:
    out = [f"digraph {_dot_text(d.title)} {{",
           f'  graph [label={_dot_text(d.title)}, labelloc=t, fontname="Helvetica", fontsize=14, '
           'rankdir=TB, nodesep=0.3, ranksep=0.6];',
           '  node [shape=box, style="rounded,filled", fontname="Helvetica", fontsize=10];',
           '  edge [fontname="Helvetica", fontsize=9];']
    for group in d.groups:
        out.append(f"  subgraph cluster_{group.id} {{")
        out.append(f'    label={_dot_text(group.title)}; style="rounded"; color="#6b7280"; fontsize=11;')
        for box in group.boxes:
            label = "\\n".join(line.replace("\\", "\\\\").replace('"', '\\"') for line in box.lines)
            out.append(f'    {box.id} [label="{label}", fillcolor="{_COLOURS[box.kind]}"];')
        out.append("  }")
    for e in d.edges:
        label = f", label={_dot_text(e.label)}" if e.label else ""
        out.append(f"  {e.a} -> {e.b} [{_DOT_EDGES[e.kind]}{label}];")
    out.append("}")
    return "\n".join(out) + "\n"


_MERMAID_EDGES = {"link": "---", "overlay": "<-.->", "route": "-.->", "service": "-.->", "publish": "-.->",
                  "policy": "-.->", "shares": "-.->"}


def _mermaid_text(text: str) -> str:
    return text.replace("&", "#amp;").replace('"', "#quot;").replace("<", "#lt;").replace(">", "#gt;")


def to_mermaid(d: Diagram) -> str:
    out = ["---", f"title: {_mermaid_text(d.title)}", "---", "flowchart TB"]
    for group in d.groups:
        out.append(f'  subgraph {group.id}["{_mermaid_text(group.title)}"]')
        for box in group.boxes:
            out.append(f'    {box.id}["{"<br/>".join(_mermaid_text(line) for line in box.lines)}"]:::{box.kind}')
        out.append("  end")
    for e in d.edges:
        arrow = _MERMAID_EDGES[e.kind]
        out.append(f"  {e.a} {arrow}" + (f'|"{_mermaid_text(e.label)}"|' if e.label else "") + f" {e.b}")
    out += [f"  classDef {kind} fill:{colour},stroke:#6b7280" for kind, colour in _COLOURS.items()]
    return "\n".join(out) + "\n"


def to_svg(d: Diagram) -> str:
    """The DOT laid out by Graphviz's `dot`, as an SVG a browser opens."""
    if shutil.which("dot") is None:
        raise EnvironmentProblem("tool dot: not found on PATH (Graphviz draws the SVG)",
                                 hint="apt-get install graphviz  (or run scripts/setup); "
                                      "--format mermaid and --format dot need nothing")
    done = subprocess.run(["dot", "-Tsvg"], input=to_dot(d), capture_output=True, text=True, timeout=120)
    if done.returncode != 0:
        raise EnvironmentProblem(f"Graphviz failed: {done.stderr.strip()[:500]}")
    return done.stdout


FORMATS = {"svg": to_svg, "mermaid": to_mermaid, "dot": to_dot}
