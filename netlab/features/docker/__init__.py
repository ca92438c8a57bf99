"""Docker: the default bridge network of a Docker host (docker0, dockerd's iptables rules, docker-proxy)."""

from __future__ import annotations

from netlab.features.cni import Cni
from netlab.features.docker import bridge

BRIDGE = Cni(
    name="docker-bridge",
    summary="Docker's default bridge driver: docker0 on each host, containers behind NAT",
    kubernetes=False,
    default_pod_cidr="172.17.0.0/16",  # Docker's first default pool
    shared_subnet=True,  # separate Docker hosts: each has the same docker0 network
    compile=bridge.compile_pod_network,
    doctor_lab="cluster: {cni: docker-bridge}\npods: [{name: web, publish: ['8080:80']}]\n",
    publishes=True,
)
