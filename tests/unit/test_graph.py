"""`netlab graph`: every object of a lab is drawn, with its addresses, in SVG (laid out by Graphviz for real),
Mermaid and DOT; and the edges are the lab's real wires."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from netlab.cli import main
from netlab.compile import compile_plan
from netlab.plan import Bridge, Veth, Vxlan
from netlab.render import graph
from netlab.topology import load_topology
from netlab.topology.model import Topology

ROOT = Path(__file__).parents[2]
TOPOLOGIES = sorted(ROOT.joinpath("topologies").glob("*.yaml"))
SVG = "{http://www.w3.org/2000/svg}"
needs_graphviz = pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz is not installed (scripts/setup)")


def expected_texts(t: Topology) -> list[str]:
    """What a student must find in the picture: every pod, host, node, Service, bridge, with addresses."""
    texts = [str(t.underlay.subnet), str(t.internet.subnet), str(t.underlay.gateway), str(t.internet.gateway)]
    for node in t.nodes:
        texts += [node.name, f"{node.ip}/{t.underlay.subnet.prefixlen}", str(node.pod_subnet)]
        texts += [str(node.bridge_ip)] if node.bridge_ip else []  # Calico's pods are routed: no bridge
    for pod in t.pods:  # a container without an interface of its own says whose namespace it shares
        texts += [pod.name, f"eth0 {pod.ip}" if pod.plugged else pod.mode(t.cluster.cni == "docker-bridge")]
    for host in t.internet.hosts:
        texts += [host.name, f"eth0 {host.ip}"]
    if t.cluster.proxy != "none":
        for svc in t.services:
            texts += [f"svc {svc.name}", str(svc.cluster_ip) if svc.cluster_ip else "headless"]
            texts += [f"NodePort {p.node_port}" for p in svc.ports if p.node_port]
    return texts


def svg_texts(svg: str) -> tuple[str, set[str]]:
    """All text in the SVG joined, and the edges as Graphviz titles them ("a->b")."""
    root = ET.fromstring(svg)
    text = "\n".join("".join(e.itertext()) for e in root.iter(f"{SVG}text"))
    edges = {e.findtext(f"{SVG}title") or "" for e in root.iter(f"{SVG}g") if e.get("class") == "edge"}
    return text, edges


@needs_graphviz
@pytest.mark.parametrize("path", TOPOLOGIES, ids=lambda p: p.stem)
def test_the_svg_contains_every_object_and_wire(path: Path, tmp_path: Path) -> None:
    out = tmp_path / "lab.svg"
    assert main(["graph", str(path), "-o", str(out)]) == 0
    text, edges = svg_texts(out.read_text())
    t = load_topology(path)
    missing = [s for s in expected_texts(t) if s not in text]
    assert not missing, f"not in the SVG: {missing}"
    plan = compile_plan(t)
    for step in plan.steps:  # every interface netlab creates is named in the picture
        if isinstance(step, (Bridge, Vxlan)):
            assert step.name in text
        if isinstance(step, Veth):  # its outer end: the bridge port's name (the inner end is always eth0)
            assert step.name in text
    # every pod hangs off its node's bridge through its veth, as the plan wires it
    for pod in (p for p in t.pods if p.plugged):
        assert any(e.startswith(f"b_{pod.node}__") and e.endswith(f"->b_{re.sub('[^A-Za-z0-9]', '_', pod.name)}")
                   for e in edges), f"{pod.name} is not wired to {pod.node}"
    assert len(edges) >= len(t.pods) + len(t.nodes) + len(t.internet.hosts)


def test_the_overlay_and_routes_are_drawn_from_the_plan() -> None:
    t = load_topology(ROOT / "topologies" / "flannel-vxlan.yaml")
    d = graph.diagram(t, compile_plan(t))
    overlay = [e for e in d.edges if e.kind == "overlay"]
    assert [(e.a, e.b, e.label) for e in overlay] == [("b_node1__flannel_1", "b_node2__flannel_1",
                                                       "VXLAN VNI 1, UDP 8472")]
    routes = {(e.a, e.b, e.label) for e in d.edges if e.kind == "route"}
    assert ("b_node1__flannel_1", "b_node2__flannel_1", "10.244.1.0/24 via 10.244.1.0") in routes
    t = load_topology(ROOT / "topologies" / "host-gw.yaml")
    d = graph.diagram(t, compile_plan(t))
    assert not [e for e in d.edges if e.kind == "overlay"]
    assert ("b_node1__eth0", "b_node2__eth0", "10.244.1.0/24 via 192.168.56.12") in {
        (e.a, e.b, e.label) for e in d.edges if e.kind == "route"}


def test_services_point_at_their_endpoints_and_say_when_they_have_none() -> None:
    t = load_topology(ROOT / "topologies" / "services-iptables.yaml")
    d = graph.diagram(t, compile_plan(t))
    to = {(e.a, e.b) for e in d.edges if e.kind == "service"}
    assert {("s_web", "b_web1"), ("s_web", "b_web2")} <= to
    assert not [b for a, b in to if a == "s_nothing"]
    nothing = next(b for b in d.boxes() if b.id == "s_nothing")
    assert "no endpoints: app=none" in nothing.lines


MERMAID_LINE = re.compile(
    r'(---|title: .*|flowchart TB|  end'
    r'|  subgraph (?P<group>g_\w+)\["[^"]*"\]'
    r'|    (?P<box>[bsp]_\w+)\["[^"]*"\]:::\w+'
    r'|  (?P<a>[bsp]_\w+) (---|-\.->|<-\.->)(\|"[^"]*"\|)? (?P<b>[bsp]_\w+)'
    r'|  classDef \w+ fill:#[0-9a-f]{6},stroke:#[0-9a-f]{6})$')


@pytest.mark.parametrize("path", TOPOLOGIES, ids=lambda p: p.stem)
def test_mermaid_is_well_formed(path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Mermaid's own parser needs a browser, so check the grammar netlab writes: every line one of its
    forms, quotes never inside a label, subgraphs closed, and no edge to a box that does not exist."""
    assert main(["graph", str(path), "--format", "mermaid"]) == 0
    lines = capsys.readouterr().out.splitlines()
    boxes, ends, opened = set(), [], 0
    for line in lines:
        m = MERMAID_LINE.fullmatch(line)
        assert m, f"not netlab's Mermaid: {line!r}"
        boxes |= {m["box"]} if m["box"] else set()
        opened += 1 if m["group"] else -1 if line == "  end" else 0
        assert opened in (0, 1)
        if m["a"]:
            ends += [m["a"], m["b"]]
    assert boxes and ends and opened == 0 and set(ends) <= boxes


def test_labels_cannot_break_out_of_their_quotes() -> None:
    d = graph.Diagram('a "lab"', [graph.Group("g_x", 'say "hi" \\ <b>', "node",
                                              [graph.Box("b_x", ('x"y', "a\\b"), "pod")])], [])
    dot = graph.to_dot(d)
    assert 'label="x\\"y\\na\\\\b"' in dot and 'label="say \\"hi\\" \\\\ <b>"' in dot
    mermaid = graph.to_mermaid(d)
    assert 'b_x["x#quot;y<br/>a\\b"]' in mermaid and "#lt;b#gt;" in mermaid


def test_format_follows_the_file_suffix_and_markdown_gets_a_fence(tmp_path: Path) -> None:
    docker = str(ROOT / "topologies" / "docker-bridge.yaml")
    assert main(["graph", docker, "-o", str(tmp_path / "lab.md")]) == 0
    assert (tmp_path / "lab.md").read_text().startswith("```mermaid\n---\ntitle: lab docker-bridge")
    assert main(["graph", docker, "-o", str(tmp_path / "lab.gv")]) == 0
    assert (tmp_path / "lab.gv").read_text().startswith('digraph "lab docker-bridge')


def test_without_graphviz_svg_says_what_to_install(monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    assert main(["graph", str(ROOT / "topologies" / "docker-bridge.yaml"), "--format", "svg"]) == 3
    err = capsys.readouterr().err
    assert "tool dot: not found" in err and "apt-get install graphviz" in err


def test_neither_a_file_nor_a_lab(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["graph", "no-such-lab"]) == 2
    assert "neither a topology file nor a lab that is up" in capsys.readouterr().err
    assert main(["graph", "missing.yaml"]) == 2


DOC_BLOCK = re.compile(r"```mermaid\n(?P<body>---\ntitle: lab (?P<lab>[a-z0-9-]+) .*?)```\n", re.S)


def test_the_diagrams_in_the_docs_are_current(capsys: pytest.CaptureFixture[str]) -> None:
    """The docs paste `netlab graph` output; scripts/docs-graphs redraws it when the lab or the drawing changes."""
    blocks = [(page, m) for page in sorted((ROOT / "docs").rglob("*.md")) for m in DOC_BLOCK.finditer(page.read_text())]
    assert len(blocks) >= 7
    for page, m in blocks:
        assert main(["graph", str(ROOT / "topologies" / f"{m['lab']}.yaml"), "--format", "mermaid"]) == 0
        assert capsys.readouterr().out == m["body"], f"{page.name}: run scripts/docs-graphs"


def test_messages_never_mix_into_the_output() -> None:
    """`-o /dev/stdout` (a pipe to dot, say): stdout holds the DOT text and nothing else; the note goes to stderr."""
    done = subprocess.run([sys.executable, "-m", "netlab", "graph", str(ROOT / "topologies" / "docker-bridge.yaml"),
                           "--format", "dot", "-o", "/dev/stdout"], capture_output=True, text=True, check=True)
    assert done.stdout.startswith('digraph "lab docker-bridge') and done.stdout.rstrip().endswith("}")
    assert "wrote" not in done.stdout and "wrote /dev/stdout" in done.stderr
