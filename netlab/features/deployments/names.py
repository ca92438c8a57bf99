"""The names Kubernetes gives a Deployment's ReplicaSets and pods, made deterministic.

The pod-template-hash is the controller's ComputeHash: an FNV-32a hash of the pod template, written as its
decimal digits mapped into the "safe" alphabet (apimachinery's rand.SafeEncodeString, so `775855699b`). Go hashes
its own dump of the PodTemplateSpec, which netlab's template is not, so the value differs from a cluster's for
the same pods; the shape, the alphabet and the rule (a new template, a new hash) are the same. A pod's name is
its ReplicaSet's and five characters of that alphabet, which the API server picks at random
(names.SimpleNameGenerator) and netlab derives from the ReplicaSet and the replica's index.
"""

from __future__ import annotations

import hashlib
import json

from netlab.topology.model import Container, Serve

ALPHANUMS = "bcdfghjklmnpqrstvwxz2456789"  # k8s.io/apimachinery/pkg/util/rand: no vowels, no 0, 1, 3
MAX_NAME = 63
MAX_GENERATED_BASE = MAX_NAME - 5  # SimpleNameGenerator: a base of at most 58 characters, then 5 random ones


def fnv32a(data: bytes) -> int:
    h = 0x811C9DC5
    for byte in data:
        h = ((h ^ byte) * 0x01000193) & 0xFFFFFFFF
    return h


def safe_encode(text: str) -> str:
    """rand.SafeEncodeString: each character mapped into ALPHANUMS by its code."""
    return "".join(ALPHANUMS[ord(c) % len(ALPHANUMS)] for c in text)


def template_hash(namespace: str, labels: tuple[tuple[str, str], ...], serve: tuple[Serve, ...],
                  version: str | None, containers: tuple[Container, ...] = ()) -> str:
    template: dict[str, object] = {"labels": dict(labels), "serve": [f"{s.kind}:{s.port}" for s in serve],
                                   "version": version, "namespace": namespace}
    if len(containers) > 1:  # which container serves what is part of the template too (one: its ports alone)
        template["containers"] = {c.name: [f"{s.kind}:{s.port}" for s in c.serve] for c in containers}
    return safe_encode(str(fnv32a(json.dumps(template, sort_keys=True).encode())))


def pod_name(replica_set: str, index: int, node: str = "") -> str:
    """A generated pod name, from its owner and replica index (and, for a DaemonSet's, its node)."""
    digest = hashlib.sha256(f"{replica_set}/{index}{'/' + node if node else ''}".encode()).digest()
    suffix = "".join(ALPHANUMS[b % len(ALPHANUMS)] for b in digest[:5])
    return f"{replica_set}-"[:MAX_GENERATED_BASE] + suffix
