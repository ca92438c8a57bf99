"""A home router's LAN: a bridge and hosts behind each node, and no NAT but the lab's own rules (raw NAT)."""

from __future__ import annotations

from netlab.features.cni import Cni
from netlab.features.lan import network

BRIDGE = Cni(
    name="lan-bridge",
    summary="a plain LAN behind each node; NAT only from the lab's own rules",
    kubernetes=False,
    default_pod_cidr="192.168.1.0/24",  # a home router's LAN
    shared_subnet=False,
    compile=network.compile_pod_network,
    doctor_lab="cluster: {cni: lan-bridge}\npods: [{name: laptop}]\n",
)
