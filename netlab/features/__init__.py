"""The features a lab is made of, one folder each, and the registries that are the only place listing them.

A pod network (cluster.cni) is a `Cni` record (cni.py) in its folder: docker/, flannel/, calico/, lan/. A way of
implementing Services (cluster.proxy) is a mode of kube_proxy/. Adding one is a new folder (or module) and one
line here; the loader, the compiler and `doctor` find it through these dictionaries.
"""

from __future__ import annotations

from netlab.features import calico, docker, flannel, lan
from netlab.features.cni import Cni
from netlab.features.kube_proxy import MODES as PROXY_MODES
from netlab.features.kube_proxy import NONE as NO_PROXY

CNIS: dict[str, Cni] = {c.name: c for c in (docker.BRIDGE, flannel.VXLAN, flannel.HOST_GW, calico.CALICO, lan.BRIDGE)}

__all__ = ["CNIS", "NO_PROXY", "PROXY_MODES", "Cni"]
