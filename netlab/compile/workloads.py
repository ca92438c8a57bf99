"""The processes a lab runs: echo servers in pods and internet hosts, docker-proxy for published ports."""

from __future__ import annotations

from netlab import naming
from netlab.plan import Note, Process, Step
from netlab.topology.model import Serve, Topology

ECHO = "netlab.workloads.echo"
DOCKER_PROXY = "netlab.workloads.docker_proxy"


def echo_args(name: str, serve: tuple[Serve, ...]) -> tuple[str, ...]:
    args = ["--name", name]
    for s in serve:
        args += [f"--{s.kind}", str(s.port)]
    return tuple(args)


def compile_workloads(t: Topology) -> list[Step]:
    steps: list[Step] = []
    servers = [(p.name, p.serve) for p in t.pods if p.serve] + [(h.name, h.serve) for h in t.internet.hosts if h.serve]
    if servers:
        steps.append(Note("workloads: the echo server answers with its name and the client address it saw"))
    for name, serve in servers:
        steps.append(Process(naming.netns(t.name, name), f"echo-{name}", ECHO, echo_args(name, serve)))
    proxies = [(pod, pub) for pod in t.pods for pub in pod.publish]  # only docker-bridge labs publish ports
    if proxies:
        steps.append(Note("dockerd: one docker-proxy per published port (the userland proxy)"))
    for pod, pub in proxies:
        steps.append(Process(
            naming.netns(t.name, pod.node), f"docker-proxy-{pod.node}-{pub.protocol}-{pub.host_port}", DOCKER_PROXY,
            ("-proto", str(pub.protocol), "-host-ip", "0.0.0.0", "-host-port", str(pub.host_port),
             "-container-ip", str(pod.ip.ip), "-container-port", str(pub.container_port))))
    return steps
