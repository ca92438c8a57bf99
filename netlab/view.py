"""Everything netlab prints for people: rich tables, trees, progress and error messages."""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

from rich.markup import escape
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table
from rich.text import Text

from netlab.errors import NetlabError, TopologyError

if TYPE_CHECKING:  # only types: `netlab down` must not pay for importing netlink and compile code
    from netlab.doctor import Report as DoctorReport
    from netlab.exercise import CheckResult
    from netlab.lifecycle.apply import ApplyResult
    from netlab.lifecycle.down import TeardownReport
    from netlab.lifecycle.leaks import Leak
    from netlab.lifecycle.status import LabStatus
    from netlab.lifecycle.up import Progress as ProgressCallback
    from netlab.lifecycle.up import UpResult
    from netlab.probe import ProbeResult
    from netlab.topology import Topology
    from netlab.topology.model import Exercise

def _console(stderr: bool) -> Console:
    console = Console(stderr=stderr, highlight=False, soft_wrap=True)
    if not console.is_terminal:
        console.width = 160  # logs and pipes: do not fold tables to 80 columns
    return console


out = _console(stderr=False)
err = _console(stderr=True)


def error(e: NetlabError) -> None:
    if isinstance(e, TopologyError):
        err.print(f"[bold red]error:[/] {e.message}", markup=True)
        for p in e.problems:
            where = p.path or "(document)"
            line = f" (line {p.line})" if p.line else ""
            err.print(Text.assemble("  ", (where, "bold"), line, ": ", p.message))
            if p.hint:
                err.print(Text.assemble("      ", ("hint: ", "cyan"), p.hint))
        return
    err.print(Text.assemble(("error: ", "bold red"), e.message))
    if e.hint:
        err.print(Text.assemble(("  hint: ", "cyan"), e.hint))


def applied(r: ApplyResult) -> None:
    if not r.changes and not r.operations:
        out.print(f"lab [bold]{r.lab}[/] is already as the file says: nothing to change")
        return
    stages = f" in {r.stages} stages" if r.stages > 1 else ""
    out.print(f"[green]applied[/] to lab [bold]{r.lab}[/]: {r.operations} kernel change(s){stages} in "
              f"{r.kernel_seconds:.2f} s ({r.seconds:.2f} s in all)")
    for line in r.changes:
        out.print("  " + line, markup=False, highlight=False)


def validated(t: Topology, source: str) -> None:
    served = sum(1 for p in t.pods if p.serve) + sum(1 for h in t.internet.hosts if h.serve)
    out.print(f"[green]ok[/] {source}: lab [bold]{t.name}[/] — cni {t.cluster.cni}, proxy {t.cluster.proxy}, "
              f"{len(t.nodes)} node(s), {len(t.pods)} pod(s), {len(t.services)} service(s), "
              f"{len(t.internet.hosts)} internet host(s), {served} echo server(s), {len(t.probes)} probe(s)")


def notes(t: Topology) -> None:
    """What the lab's Kubernetes manifests ask that netlab does not model: information, once each, on stderr."""
    if t.notes:
        err.print("[dim]left out of the manifests (information, not an error):[/]")
        for line in t.notes:
            err.print(f"  [dim]{escape(line)}[/]")


@contextmanager
def progress(enabled: bool) -> Iterator[ProgressCallback | None]:
    """A progress bar on a terminal; nothing otherwise (CI logs stay clean)."""
    if not enabled or not err.is_terminal:
        yield None
        return
    bar = Progress(TextColumn("[bold]up[/]"), BarColumn(), MofNCompleteColumn(), TextColumn("{task.description}"),
                   TimeElapsedColumn(), console=err, transient=True)
    task = bar.add_task("", total=None)
    last = [0.0]

    def update(done: int, total: int, what: str) -> None:
        now = time.monotonic()
        if now - last[0] > 0.05 or done == total:  # redraw at most 20 times a second
            bar.update(task, completed=done, total=total, description=what[:60])
            last[0] = now

    with bar:
        yield update


def up_done(r: UpResult) -> None:
    out.print(f"[green]up[/] lab [bold]{r.lab}[/]: {r.namespaces} namespaces, {r.steps} steps, "
              f"{r.processes} processes in {r.seconds:.2f} s")
    out.print(f"  netlab status {r.lab}    netlab exec {r.lab} <pod|node|host> -- <command>    "
              f"netlab down {r.lab}")


def down_done(r: TeardownReport) -> None:
    if not r.found_anything:
        out.print(f"lab [bold]{r.lab}[/] is not up; nothing to do")
        return
    out.print(f"[green]down[/] lab [bold]{r.lab}[/]: removed {len(r.namespaces)} namespaces, "
              f"stopped {r.processes} processes")


def doctor(report: DoctorReport) -> None:
    table = Table("check", "", "detail", "fix", "needed by", box=None)
    for row in report.rows:
        c = row.check
        table.add_row(c.name, "[green]ok[/]" if c.ok else "[red]missing[/]", c.detail, "" if c.ok else c.fix,
                      ", ".join(row.modes))
    out.print(table)
    out.print()
    traps = Table("known trap", "", "detail", "what it means for netlab", box=None)
    for trap in report.traps:
        traps.add_row(trap.name, "[yellow]found[/]" if trap.found else "[green]no[/]", trap.detail, trap.advice)
    out.print(traps)
    out.print()
    out.print("modes: " + ", ".join(f"{mode} [green]ok[/]" if ok else f"{mode} [red]cannot run[/]"
                                    for mode, ok in report.modes.items()))


def leaks(found: list[Leak]) -> None:
    if not found:
        out.print("[green]no leaks:[/] nothing carries a netlab mark outside the labs that are up")
        return
    table = Table("kind", "lab", "what", "fix", box=None)
    for leak in found:
        table.add_row(leak.kind, leak.lab, leak.what, leak.fix)
    out.print(table)


def lab_list(rows: list[tuple[str, str, str]]) -> None:
    if not rows:
        out.print("no labs are up")
        return
    table = Table("lab", "state", "from", box=None)
    for row in rows:
        table.add_row(*row)
    out.print(table)


def status(s: LabStatus) -> None:
    health = "[green]matches the plan[/]" if not s.drift else f"[red]{len(s.drift)} difference(s) from the plan[/]"
    if not s.drift_checked:
        health = "not compared with the plan (an exercise: finding what differs is the task)"
    state_text = "up" if s.ready else "[yellow]incomplete (an `up` did not finish)[/]"
    out.print(f"lab [bold]{s.lab}[/] is {state_text} — from {s.source}, since "
              f"{time.strftime('%Y-%m-%d %H:%M:%S', time.localtime(s.created))}; kernel {health}")
    t = s.topology
    if t is not None:
        table = Table("name", "kind", "where", "address", "serves", box=None, pad_edge=False)
        for n in t.nodes:
            table.add_row(n.name, "node", "underlay", f"{n.ip}", f"pods {n.pod_subnet}")
        for p in t.pods:
            published = ", ".join(f"{x.host_port}->{x.container_port}/{x.protocol}" for x in p.publish)
            serves = ", ".join(f"{x.kind}:{x.port}" for x in p.serve)
            if p.several:  # each container and what it serves, in the pod's one namespace
                serves = "; ".join(f"{c.name} " + (",".join(f"{x.kind}:{x.port}" for x in c.serve) or "(no ports)")
                                   for c in p.containers)
            kind = f"pod ({len(p.containers)} containers)" if p.several else "pod"
            if not p.plugged:  # whose namespace it runs in
                kind = f"pod ({p.mode(t.cluster.cni == 'docker-bridge')})"
            address = "-" if p.network == "none" else str(p.ip.ip)
            table.add_row(p.name, kind, p.node, address, "; ".join(x for x in (serves, published) if x))
        for h in t.internet.hosts:
            table.add_row(h.name, "host", "internet", str(h.ip.ip), ", ".join(f"{x.kind}:{x.port}" for x in h.serve))
        for svc in t.services:  # ports as kubectl prints them (80:30080/TCP), then the endpoints
            ports = ", ".join(f"{p.port}{f':{p.node_port}' if p.node_port else ''}/{str(p.protocol).upper()}"
                              for p in svc.ports)
            if svc.type == "ExternalName":  # no address, no proxy: a name in DNS (kubectl: <none>)
                table.add_row(svc.name, "service (ExternalName)", svc.namespace, "<none>",
                              f"CNAME {svc.external_name}")
                continue
            endpoints = sorted({e.pod or str(e.ip) for p in svc.ports for e in t.endpoints(svc, p)})
            external = f", external {svc.external_ip_text}" if svc.external_ip_text else ""
            external += f" ({svc.load_balancer_event})" if svc.load_balancer_event else ""
            table.add_row(svc.name, f"service ({t.cluster.proxy})", svc.namespace,
                          str(svc.cluster_ip or "None") + external,
                          f"{ports} → {', '.join(endpoints) or 'no endpoints'}")
        out.print(table)
    if s.deployments:
        table = Table("workload", "ready", "up-to-date", "available", "replicaset / revision", box=None,
                      pad_edge=False)
        for dep in s.deployments:
            table.add_row(f"{dep.kind.lower()} {dep.namespace}/{dep.name}", f"{dep.ready}/{dep.desired}",
                          str(dep.up_to_date), str(dep.ready), dep.replica_set)
        out.print(table)
    if t is not None and t.ingresses:  # kubectl get ingress's columns, and where each path goes
        from netlab.features.ingress.controller import status_address
        table = Table("ingress", "class", "hosts", "address", "routes", box=None, pad_edge=False)
        for ing in t.ingresses:
            hosts = ",".join(dict.fromkeys(rule.host or "*" for rule in ing.rules)) or "*"
            routes = [f"{rule.host or '*'}{p.path} ({p.path_type}) → {p.backend.service}:{p.backend.port_text}"
                      for rule in ing.rules for p in rule.paths]
            if ing.default_backend:
                routes.append(f"default → {ing.default_backend.service}:{ing.default_backend.port_text}")
            table.add_row(f"{ing.namespace}/{ing.name}", ing.class_name or "(default: nginx)", hosts,
                          status_address(t), "; ".join(routes))
        out.print(table)
    if t is not None and t.policies:  # kubectl get networkpolicy's columns, and the pods each one selects
        from netlab.features.netpol.evaluate import selected
        table = Table(f"networkpolicy ({t.cluster.network_policy})", "pod-selector", "types", "selects", box=None,
                      pad_edge=False)
        for policy in t.policies:
            pods = ", ".join(p.name for p in selected(t, policy)) or "no pod"
            table.add_row(policy.full_name, str(policy.pod_selector), ",".join(policy.policy_types), pods)
        out.print(table)
    for d in s.drift:
        out.print(Text.assemble(("  drift: ", "red"), d.key, " — ", d.problem))


def probes(results: list[ProbeResult]) -> None:
    if not results:
        out.print("this lab declares no probes")
        return
    table = Table("", "probe", "from → to", "proto", "result", "source seen", "expected", "ms", box=None,
                  pad_edge=False)
    for r in results:
        port = f":{r.probe.port}" if r.probe.port else ""
        if r.probe.protocol == "dns":
            path = f"{r.probe.source} → {r.probe.target} {r.probe.query}"
        else:
            path = f"{r.probe.source} → {r.probe.target}{port}" + (f" ({r.target_ip})" if r.target_ip != r.probe.target
                                                                    else "")
        # Red marks the part of the observation that broke the expectation.
        wrong_reach = r.reachable != r.probe.expect.reachable or (r.answer is not None and not r.ok)
        result = Text(f"answered by {r.server}" if r.server else r.detail, style="red" if wrong_reach else "")
        seen = Text(r.seen_source or "-", style="red" if not r.ok and not wrong_reach else "")
        table.add_row(Text("✓", "green") if r.ok else Text("✗", "red"), r.probe.name, path, r.probe.protocol,
                      result, seen, r.expected, f"{r.seconds * 1000:.0f}")
    out.print(table)


def exercise_task(lab: str, exercise: Exercise) -> None:
    # The exercise's own text is printed as text: a "[...]" in it is not rich markup.
    out.print(Text(f"\nExercise: {exercise.title}", style="bold"))
    out.print(exercise.task.rstrip(), markup=False)
    out.print(f"\nWhen you think it is fixed: [bold]sudo netlab check {lab}[/]   (it shows hints for what still fails)")


def check_results(lab: str, exercise: Exercise, results: list[CheckResult], applied: list[str]) -> None:
    if applied:
        out.print("[bold]applied the solution:[/]")
        for line in applied:
            out.print(f"  {line}", markup=False)
    out.print(Text.assemble((exercise.title, "bold"), f" — lab {lab}"))
    for r in results:
        mark = Text("  ✓ ", "green") if r.ok else Text("  ✗ ", "red")
        out.print(Text.assemble(mark, (r.name, "bold"), f": {r.detail}"))
        if not r.ok and r.hint:
            out.print(Text.assemble("      ", ("hint: ", "cyan"), r.hint))
    passed = sum(r.ok for r in results)
    if passed == len(results):
        out.print(f"[green]passed[/]: all {len(results)} checks")
        return
    out.print(f"[red]not yet[/]: {passed} of {len(results)} checks pass")
    if exercise.hints:
        out.print("[cyan]hints[/] (one at a time is more fun):")
        for i, hint in enumerate(exercise.hints, 1):
            out.print(f"  {i}. {hint}", markup=False)
