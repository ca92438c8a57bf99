"""A corpus of hostile and malformed topologies: each must be refused with exit status 2 and a message that
names the problem, quickly, in bounded memory, creating nothing. `cases()` yields (id, document, expected),
where `expected` is text the error output must contain. Run it with tests/unit/test_hostile_input.py."""

from __future__ import annotations

from collections.abc import Iterator

POD = "pods: [{name: a}]\n"
SHELL_NAMES = ["a;rm -rf /", "$(reboot)", "`id`", "a|b", "a&&b", "a>b", "../etc", "a b", "a'b", 'a"b', "-rf",
               "a*", "~root", "a$HOME", "a\\nb", "a\tb", "a/b", "--help", "a,b", "a=b"]
UNICODE_NAMES = ["pöd", "поды", "🐳", "a\u200bb", "a\u202eb", "ａｂｃ", "e\u0301", "\u0430pp", "a\u00a0b", "π"]


def q(text: str) -> str:
    """A YAML double-quoted scalar holding `text` exactly."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\t", "\\t") + '"'


def cases() -> Iterator[tuple[str, str | bytes, str]]:
    # -- broken YAML: the line is named ------------------------------------------------------------------
    broken = {
        "unclosed flow list": "name: x\npods: [\n",
        "unclosed flow mapping": "name: x\npods: [{name: a\n",
        "unterminated quote": 'name: "x\npods: []\n',
        "bad indentation": "name: x\npods:\n  - name: a\n   node: b\n",
        "tab indentation": "name: x\npods:\n\t- name: a\n",
        "stray colon": "name: x: y\n",
        "mapping in a sequence line": "pods:\n- a\nb: c\n",
        "undefined alias": "name: *nothing\n",
        "duplicate key": "name: x\nname: y\n",
        "two documents": "name: x\n---\nname: y\n",
        "python tag": "name: !!python/object/apply:os.system ['id']\n",
        "custom tag": "name: !shell id\n",
        "binary junk": b"\x00\x01\x02\xff\xfe name: x",
        "invalid UTF-8": b"name: \xc3\x28\n",
        "UTF-16": "name: x\n".encode("utf-16"),
        "only a comment": "# nothing here\n",
        "empty": "",
        "a bare scalar": "just text\n",
        "a top-level list": "- name: x\n",
        "a boolean key": "name: x\nyes: 1\n",
    }
    expect_line = {"empty": "the file is empty", "only a comment": "the file is empty",
                   "a bare scalar": "expected a mapping", "a top-level list": "expected a mapping",
                   "python tag": "tag", "custom tag": "tag", "duplicate key": "duplicate key",
                   "two documents": "not a Kubernetes object", "undefined alias": "alias", "UTF-16": "UTF-8",
                   "invalid UTF-8": "UTF-8", "binary junk": "line", "a boolean key": "yes"}
    for name, text in broken.items():
        yield f"yaml: {name}", text, expect_line.get(name, "line")

    # -- wrong types -------------------------------------------------------------------------------------
    wrong = {
        "name is a number": ("name: 123\n" + POD, "name (line 1): expected a string"),
        "name is a list": ("name: [a]\n" + POD, "name (line 1): expected a string"),
        "pods is a string": ("name: x\npods: a\n", "pods (line 2): expected a list"),
        "pods is a number": ("name: x\npods: 5\n", "pods (line 2): expected a list"),
        "pods is a mapping": ("name: x\npods: {name: a}\n", "pods (line 2): expected a list"),
        "nodes is a mapping": ("name: x\nnodes: {name: n}\n", "nodes (line 2): expected a list"),
        "cluster is a list": ("name: x\ncluster: [a]\n", "cluster (line 2): expected a mapping"),
        "pod is a string": ("name: x\npods: [a]\n", "pods[0] (line 2): expected a mapping"),
        "serve is a string": ("name: x\npods: [{name: a, serve: 'http:80'}]\n", "pods[0].serve"),
        "publish is a number": ("name: x\npods: [{name: a, publish: 8080}]\n", "pods[0].publish"),
        "mtu is a string": ("name: x\nunderlay: {mtu: big}\n" + POD, "underlay.mtu (line 2): expected a whole number"),
        "mtu is a float": ("name: x\nunderlay: {mtu: 1500.5}\n" + POD, "underlay.mtu"),
        "nodeSubnetLen is a boolean": ("name: x\ncluster: {nodeSubnetLen: true}\n" + POD, "cluster.nodeSubnetLen"),
        "podCIDR is a number": ("name: x\ncluster: {podCIDR: 10}\n" + POD, "cluster.podCIDR (line 2): expected a CIDR"),
        "labels is a list": ("name: x\npods: [{name: a, labels: [x]}]\n", "pods[0].labels"),
        "label value is a list": ("name: x\npods: [{name: a, labels: {app: [x]}}]\n", "pods[0].labels.app"),
        "probes is a mapping": ("name: x\nprobes: {from: a}\n" + POD, "probes (line 2): expected a list"),
        "service port is a string": ("name: x\ncluster: {cni: host-gw}\nservices: [{name: s, ports: [{port: http}]}]\n",
                                     "services[0].ports[0].port"),
        "node ip is a number": ("name: x\nnodes: [{name: n, ip: 5}]\n", "nodes[0].ip"),
        "rules is a string": ("name: x\nnodes: [{name: n, rules: 'iptables -F'}]\n", "nodes[0].rules"),
    }
    for name, (text, expected) in wrong.items():
        yield f"type: {name}", text, expected

    # -- Kubernetes manifests: each refused with the document and the path in it ---------------------------
    k8s = "name: x\ncluster: {cni: flannel-vxlan}\n"
    manifests = {
        "manifests is a string": (k8s + "manifests: pods\n", "manifests (line 3): expected a list"),
        "a document is a list": (k8s + "---\n[a, b]\n", "document 2 (line 4): expected a Kubernetes object"),
        "a document is a scalar": (k8s + "---\nhello\n", "document 2 (line 4): expected a Kubernetes object"),
        "kind is a number": (k8s + "---\n{apiVersion: v1, kind: 5}\n", "kind (line 4): Required value"),
        "metadata is a list": (k8s + "---\n{apiVersion: v1, kind: Pod, metadata: [a]}\n", "metadata"),
        "containers is a mapping": (k8s + "---\n{apiVersion: v1, kind: Pod, metadata: {name: a}, "
                                    "spec: {containers: {name: c}}}\n", "spec.containers (line 4): Required value"),
        "containerPort 10^20": (k8s + "---\n{apiVersion: v1, kind: Pod, metadata: {name: a}, spec: {containers: "
                                "[{name: c, image: i, ports: [{containerPort: 100000000000000000000}]}]}}\n",
                                "containerPort (line 4): Invalid value"),
        "selector matches nothing": (k8s + "---\n{apiVersion: apps/v1, kind: Deployment, metadata: {name: d}, "
                                     "spec: {selector: {}, template: {metadata: {labels: {a: b}}, "
                                     "spec: {containers: [{name: c, image: i}]}}}}\n", "empty selector is invalid"),
        "ten thousand documents": (k8s + "---\n{}\n" * 10000, "not a Kubernetes object"),
        "a pod name of 300": (k8s + "---\n{apiVersion: v1, kind: Pod, metadata: {name: " + "a" * 300 + "}, "
                              "spec: {containers: [{name: c, image: i}]}}\n", "no more than 253 characters"),
    }
    for name, (text, expected) in manifests.items():
        yield f"manifest: {name}", text, expected

    # -- huge and out-of-range numbers --------------------------------------------------------------------
    huge = {
        "mtu 10^30": ("name: x\nunderlay: {mtu: 1000000000000000000000000000000}\n" + POD, "underlay.mtu"),
        "2,000-digit integer": ("name: x\nunderlay: {mtu: " + "9" * 2000 + "}\n" + POD, "is too long"),
        "nodeSubnetLen 999999": ("name: x\ncluster: {nodeSubnetLen: 999999}\n" + POD, "cluster.nodeSubnetLen"),
        "negative mtu": ("name: x\nunderlay: {mtu: -1}\n" + POD, "underlay.mtu"),
        "port 99999999999": ("name: x\npods: [{name: a, serve: ['http:99999999999']}]\n", "pods[0].serve[0]"),
        "address 999.1.1.1": ("name: x\npods: [{name: a, ip: 999.1.1.1}]\n", "pods[0].ip"),
        "prefix /99": ("name: x\ncluster: {podCIDR: 10.0.0.0/99}\n" + POD, "cluster.podCIDR"),
        "nodePort -1": ("name: x\ncluster: {cni: host-gw}\nservices: [{name: s, type: NodePort, ports: [{port: 80, "
                        "nodePort: -1}]}]\n", "nodePort"),
        "affinity timeout 10^12": ("name: x\ncluster: {cni: host-gw}\nservices: [{name: s, sessionAffinity: ClientIP, "
                                   "sessionAffinityTimeout: 1000000000000, ports: [{port: 80}]}]\n",
                                   "sessionAffinityTimeout"),
        "infinite float": ("name: x\nunderlay: {mtu: .inf}\n" + POD, "underlay.mtu"),
        "probe port 0": ("name: x\npods: [{name: a}, {name: b}]\nprobes: [{from: a, to: 'b:0'}]\n", "probes[0]"),
    }
    for name, (text, expected) in huge.items():
        yield f"number: {name}", text, expected

    # -- names with shell metacharacters, and unicode: refused where they are read ----------------------
    for i, bad in enumerate(SHELL_NAMES):
        where = ["pods", "nodes", "internet"][i % 3]
        if where == "pods":
            yield f"shell name (pod): {bad!r}", f"name: x\npods: [{{name: {q(bad)}}}]\n", "pods[0].name"
        elif where == "nodes":
            yield f"shell name (node): {bad!r}", f"name: x\nnodes: [{{name: {q(bad)}}}]\n", "nodes[0].name"
        else:
            yield (f"shell name (host): {bad!r}", f"name: x\ninternet: {{hosts: [{{name: {q(bad)}}}]}}\n",
                   "internet.hosts[0].name")
    for bad in SHELL_NAMES[:5]:
        yield f"shell name (lab): {bad!r}", f"name: {q(bad)}\n" + POD, "name (line 1)"
        yield (f"shell name (service): {bad!r}", f"name: x\ncluster: {{cni: host-gw}}\nservices: [{{name: {q(bad)}, "
               "ports: [{port: 80}]}]\n", "services[0].name")
    for bad in UNICODE_NAMES:
        yield f"unicode name: {bad!r}", f"name: x\npods: [{{name: {q(bad)}}}]\n", "is not a valid name"

    # -- names too long for an interface or a namespace ----------------------------------------------------
    long_names = {
        "node of 16": ("name: x\nnodes: [{name: abcdefghijklmnop}]\n", "the limit is 15"),
        "node of 200": ("name: x\nnodes: [{name: " + "a" * 200 + "}]\n", "the limit is 15"),
        "host of 16": ("name: x\ninternet: {hosts: [{name: abcdefghijklmnop}]}\n", "the limit is 15"),
        "lab of 33": ("name: " + "a" * 33 + "\n" + POD, "the limit is 32"),
        "pod of 64": ("name: x\npods: [{name: " + "a" * 64 + "}]\n", "the limit is 63"),
        "service of 64": ("name: x\ncluster: {cni: host-gw}\nservices: [{name: " + "a" * 64
                          + ", ports: [{port: 80}]}]\n", "the limit is 63"),
        "port name of 16": ("name: x\ncluster: {cni: host-gw}\nservices: [{name: s, ports: [{name: abcdefghijklmnop, "
                            "port: 80}]}]\n", "the limit is 15"),
    }
    for name, (text, expected) in long_names.items():
        yield f"long name: {name}", text, expected

    # -- address ranges: special-purpose (the host's own loopback, link-local…), overlapping, too small ------
    ranges = {
        "pods on loopback": ("cluster: {podCIDR: 127.0.0.0/8}", "the host's loopback network"),
        "underlay on loopback": ("underlay: {subnet: 127.0.0.0/24}", "the host's loopback network"),
        "pods on link-local": ("cluster: {podCIDR: 169.254.0.0/16}", "link-local"),
        "pods on everything": ("cluster: {podCIDR: 0.0.0.0/0}", "'this network'"),
        "services on multicast": ("cluster: {cni: host-gw, serviceCIDR: 224.0.0.0/4}", "multicast"),
        "broadcast": ("cluster: {podCIDR: 255.255.255.255/32}", "broadcast"),
        "reserved": ("underlay: {subnet: 240.0.0.0/24}", "reserved"),
        "internet is real": ("internet: {subnet: 8.8.8.0/24}", "not a documentation prefix"),
        "services inside pods": ("cluster: {serviceCIDR: 172.17.0.0/24}", "overlaps cluster.podCIDR"),
        "underlay inside pods": ("cluster: {cni: flannel-vxlan}\nunderlay: {subnet: 10.244.5.0/24}", "overlaps"),
        "internet inside underlay": ("underlay: {subnet: 203.0.113.0/24}", "overlaps"),
        "IPv6 pods": ("cluster: {podCIDR: 'fd00::/64'}", "IPv6"),
        "host bits": ("cluster: {podCIDR: 10.244.0.1/16}", "host bits"),
        "underlay too small": ("underlay: {subnet: 192.168.56.0/32}", "no address left"),
    }
    for name, (section, expected) in ranges.items():
        yield f"range: {name}", f"name: x\n{section}\n" + POD, expected

    # -- sizes: refused before any item is read ---------------------------------------------------------------
    yield "size: 10,000 pods", "name: x\npods:\n" + "".join(f"  - {{name: p{i}}}\n" for i in range(10_000)), \
        "10000 pods; a lab holds at most 5000"
    yield "size: 1,100 pods on one bridge", "name: x\npods:\n" + "".join(
        f"  - {{name: p{i}}}\n" for i in range(1_100)), "its bridge holds at most 1023"
    yield "size: 300 nodes", "name: x\ncluster: {cni: host-gw}\nnodes:\n" + "".join(
        f"  - {{name: n{i}}}\n" for i in range(300)), "300 nodes; a lab holds at most 250"
    yield "size: 2,000 probes", "name: x\npods: [{name: a}]\nprobes:\n" + "".join(
        "  - {from: a, to: 203.0.113.10}\n" for _ in range(2_000)), "2000 probes; a lab holds at most 1000"
    yield "size: 3 MB file", "name: x\n" + "#" * 3_000_000 + "\n", "the limit is"
    laughs = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, "
        f"*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}]\n" for i in range(9))
    yield "size: billion laughs", laughs, "expands to more than"
    yield "size: nesting 10,000 deep", "name: x\npods: " + "[" * 10_000 + "]" * 10_000 + "\n", "deep"
    yield "size: recursive alias", "a: &a [*a]\n", "line"

    # -- semantics: references and duplicates ------------------------------------------------------------------
    semantic = {
        "unknown top key": ("name: x\npodz: []\n", "unknown key 'podz'"),
        "duplicate pod": ("name: x\npods: [{name: a}, {name: a}]\n", "duplicate name 'a'"),
        "pod on an unknown node": ("name: x\npods: [{name: a, node: ghost}]\n", "unknown node 'ghost'"),
        "duplicate address": ("name: x\npods: [{name: a, ip: 172.17.0.5}, {name: b, ip: 172.17.0.5}]\n",
                              "is used twice"),
        "reserved name": ("name: x\npods: [{name: underlay}]\n", "reserved"),
        "no nodes": ("name: x\nnodes: []\n", "at least one node"),
        "probe from nowhere": ("name: x\npods: [{name: a}]\nprobes: [{from: ghost, to: a}]\n", "unknown probe source"),
    }
    for name, (text, expected) in semantic.items():
        yield f"semantic: {name}", text, expected
