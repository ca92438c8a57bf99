"""The `netlab` command: thin click commands over the library; maps NetlabError to exit statuses."""

from __future__ import annotations

import dataclasses
import json
import os
import sys
from pathlib import Path

import click

from netlab import labs, state, view
from netlab.errors import EnvironmentProblem, NetlabError, UsageError
from netlab.lifecycle import down as down_mod

# Commands import what they need when they run: `netlab down` and `exec` should start in a blink, without
# loading netlink, the compiler or the YAML loader.
json_option = click.option("--json", "as_json", is_flag=True, help="Print JSON instead of tables.")
manifests_option = click.option("--manifests", type=click.Path(file_okay=False, exists=True), metavar="DIR",
                                help="Also read the Kubernetes manifests of DIR (.yaml, .yml, .json), as "
                                     "kubectl apply -f DIR does.")


def complete_lab(ctx: click.Context, param: click.Parameter, incomplete: str) -> list[str]:
    """Shell completion: the labs on this machine (and .yaml files, which the shell completes itself)."""
    return [name for name in down_mod.all_labs() if name.startswith(incomplete)]


def complete_member(ctx: click.Context, param: click.Parameter, incomplete: str) -> list[str]:
    """Shell completion: the pods, nodes and hosts of the lab named earlier on the command line."""
    return [m for m in labs.members(ctx.params.get("lab") or "") if m.startswith(incomplete)]


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="netlab")
def cli() -> None:
    """Build the networks Docker and Kubernetes build, for real, in network namespaces — and look inside."""


@cli.command()
@click.argument("file", type=click.Path(dir_okay=False))
@manifests_option
@json_option
def validate(file: str, manifests: str | None, as_json: bool) -> None:
    """Check a topology file and report every problem (no root needed)."""
    from netlab.errors import TopologyError
    from netlab.topology import load_topology
    try:
        topology = load_topology(file, manifests=manifests)
    except TopologyError as e:
        if as_json:
            click.echo(json.dumps({"ok": False, "file": file, "problems": [dataclasses.asdict(p) for p in e.problems]}))
        raise
    if as_json:
        click.echo(json.dumps({"ok": True, "file": file, "lab": topology.name, "cni": str(topology.cluster.cni),
                               "proxy": str(topology.cluster.proxy), "nodes": len(topology.nodes),
                               "pods": len(topology.pods), "services": len(topology.services),
                               "notes": list(topology.notes)}))
    else:
        view.validated(topology, file)
        view.notes(topology)


@cli.command()
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("--format", "fmt", type=click.Choice(["shell", "json"]), default="shell", show_default=True)
@manifests_option
def plan(file: str, fmt: str, manifests: str | None) -> None:
    """Print the kernel objects FILE becomes, as a runnable script or JSON (no root needed)."""
    from netlab.compile import compile_plan
    from netlab.render.shell import render_script
    from netlab.topology import load_topology
    the_plan = compile_plan(load_topology(file, manifests=manifests))
    sys.stdout.write(render_script(the_plan) if fmt == "shell" else the_plan.to_json())


GRAPH_SUFFIXES = {".svg": "svg", ".mmd": "mermaid", ".md": "mermaid", ".dot": "dot", ".gv": "dot"}


@cli.command()
@click.argument("source", metavar="FILE|LAB", shell_complete=complete_lab)
@click.option("--format", "fmt", type=click.Choice(["svg", "mermaid", "dot"]),
              help="Default: from the output file's suffix (.svg .mmd .md .dot .gv), else svg.")
@click.option("-o", "--output", type=click.Path(dir_okay=False), metavar="FILE",
              help="Write here. Default: standard output, or LAB.svg when that would be an SVG on a terminal.")
@manifests_option
def graph(source: str, fmt: str | None, output: str | None, manifests: str | None) -> None:
    """Draw a lab: nodes, pods, bridges, overlay and underlay, Services and the internet, with addresses.

    FILE is drawn as `up` would build it; LAB (a lab that is up) as it was built. No root needed.

    Examples: netlab graph topologies/flannel-vxlan.yaml          (writes flannel-vxlan.svg)

              netlab graph services-iptables -o lab.md            (a Mermaid block for Markdown)
    """
    from netlab.render import graph as graph_mod
    topology, the_plan = labs.source(source, manifests)
    if fmt is None:
        fmt = GRAPH_SUFFIXES.get(Path(output).suffix.lower(), "svg") if output else "svg"
    text = graph_mod.FORMATS[fmt](graph_mod.diagram(topology, the_plan))
    if output and output.lower().endswith(".md"):
        text = f"```mermaid\n{text}```\n" if fmt == "mermaid" else text
    if output is None and fmt == "svg" and sys.stdout.isatty():
        output = f"{topology.name}.svg"
    if output is None:
        sys.stdout.write(text)
        return
    write_report(output, text.encode())
    # A message, not output: stdout may be the very file written (-o /dev/stdout).
    view.err.print(f"wrote {output}" + (" (open it in a web browser)" if fmt == "svg" else ""))


@cli.command()
@click.argument("file", type=click.Path(dir_okay=False))
@manifests_option
@json_option
def up(file: str, manifests: str | None, as_json: bool) -> None:
    """Build the lab described by FILE (and the Kubernetes manifests it carries, or --manifests DIR holds)."""
    from netlab.compile import compile_plan
    from netlab.lifecycle import up as up_mod
    from netlab.topology import load_topology
    topology = load_topology(file, manifests=manifests)
    if not as_json:
        view.notes(topology)
    text = Path(file).read_text()
    # From here on a Ctrl-C either rolls the build back (inside up) or, once the lab is built, waits.
    with up_mod.DeferredSignals() as signals:
        with view.progress(not as_json) as progress:
            result = up_mod.up(compile_plan(topology), model=topology, source=os.path.abspath(file), topology_text=text,
                               progress=progress, signals=signals)
        if as_json:
            click.echo(json.dumps(dataclasses.asdict(result)))
        else:
            view.up_done(result)
            if topology.exercise:
                view.exercise_task(topology.name, topology.exercise)


@cli.command()
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("--dry-run", is_flag=True, help="Print the commands the change takes (deletions too); change nothing.")
@manifests_option
@json_option
def apply(file: str, dry_run: bool, manifests: str | None, as_json: bool) -> None:
    """Change a lab that is up into what its edited FILE says, touching only what changed.

    Pods, Services, nodes, internet hosts and a node's rules can be added, removed or changed; a pod that did not
    change keeps its namespace, addresses and processes. A Deployment (a pod with replicas:) is scaled, or rolled
    out when its template changed. A change the kernel refuses rolls the lab back (exit 4).

    Example: netlab apply topologies/services-iptables.yaml --dry-run
    """
    from netlab.lifecycle import apply as apply_mod
    from netlab.lifecycle import up as up_mod
    try:
        text = Path(file).read_text()
    except OSError as e:
        raise UsageError(f"cannot read {file}: {e.strerror or e}") from None
    if dry_run:
        result = apply_mod.apply(text, file, dry_run=True, manifests=manifests)
    else:
        require_root("apply")
        with up_mod.DeferredSignals() as signals:
            say = None if as_json else (lambda line: view.err.print(line, markup=False))
            result = apply_mod.apply(text, file, say=say, signals=signals, manifests=manifests)
    if as_json:
        click.echo(json.dumps(result.as_dict()))
    elif dry_run:
        sys.stdout.write(result.script)
        view.err.print(f"{len(result.changes)} change(s), {result.operations} kernel operation(s); nothing was "
                       "changed (dry run)", markup=False)
    else:
        view.applied(result)


@cli.command()
@click.argument("lab", required=False, shell_complete=complete_lab)
@click.option("--all", "all_labs", is_flag=True, help="Tear down every netlab lab on this machine.")
@json_option
def down(lab: str | None, all_labs: bool, as_json: bool) -> None:
    """Tear down LAB (a lab name or its topology file). Safe to repeat."""
    if bool(lab) == all_labs:
        raise UsageError("give a lab name (or its file), or --all")
    require_root("down")
    reports, stray = down_mod.down_all() if all_labs else ([down_mod.down(labs.name_of(lab or ""))], 0)
    if as_json:
        click.echo(json.dumps([dataclasses.asdict(r) for r in reports]))
        return
    if all_labs and not reports:
        view.out.print("no labs are up")
    for report in reports:
        view.down_done(report)
    if stray:
        view.out.print(f"[green]stopped[/] {stray} leftover netlab process(es) that belonged to no lab")


@cli.command()
@click.argument("source", metavar="LAB|FILE", shell_complete=complete_lab)
@click.argument("kind", metavar="KIND")
@click.option("-o", "--output", type=click.Choice(["wide", "json"]), help="More columns, or the objects as JSON.")
@click.option("-n", "--namespace", default="default", show_default=True, help="Only this namespace's objects.")
@click.option("-A", "--all-namespaces", is_flag=True, help="Every namespace's, with a NAMESPACE column.")
@manifests_option
def get(source: str, kind: str, output: str | None, namespace: str, all_namespaces: bool,
        manifests: str | None) -> None:
    """Print a lab's objects as `kubectl get KIND` prints a cluster's (no root needed).

    KIND: pods, services, endpoints, networkpolicies, ingresses, deployments, statefulsets, daemonsets,
    replicasets, nodes, namespaces — or kubectl's short names (po, svc, ep, netpol, ing, deploy, sts, ds, rs).

    Examples: netlab get services-iptables pods -o wide
              netlab get dns svc -A
    """
    from netlab import kubectl
    resource = kubectl.resource(kind)
    cluster = kubectl.cluster(source, manifests)
    scope = None if all_namespaces else namespace
    if output == "json":
        click.echo(json.dumps(kubectl.objects(cluster, resource, scope), indent=4))
        return
    text = kubectl.table(cluster, resource, scope, output == "wide").text()
    if text:
        sys.stdout.write(text)
    else:
        view.err.print(kubectl.empty_message(resource, scope), markup=False)


@cli.command()
@click.argument("lab", required=False, shell_complete=complete_lab)
@json_option
def status(lab: str | None, as_json: bool) -> None:
    """Show the labs that are up, or one lab and whether the kernel still matches it."""
    if lab is None:
        rows = labs.summaries()
        if as_json:
            click.echo(json.dumps([{"lab": r[0], "state": r[1], "source": r[2]} for r in rows]))
        else:
            view.lab_list(rows)
        return
    from netlab.lifecycle.status import lab_status
    result = lab_status(labs.name_of(lab))
    if as_json:
        click.echo(json.dumps(result.as_dict(), default=str))
    else:
        view.status(result)


@cli.command()
@click.argument("lab", shell_complete=complete_lab)
@click.option("--from", "source", metavar="NAME", help="Send one probe from this pod, node or internet host …")
@click.option("--to", "target", metavar="NAME[:PORT]",
              help="… to this pod, node, host, service, address or DNS name (looked up in the source).")
@click.option("--protocol", metavar="icmp|tcp|udp|http|dns", help="Default: tcp with a port, icmp without.")
@click.option("--query", metavar="TYPE", help="Look --to up instead (protocol dns): A, SRV, PTR, CNAME…")
@click.option("--expect", type=click.Choice(["reachable", "unreachable"]), help="Default: reachable.")
@click.option("--source-seen", metavar="self|node|NAME|ADDR", help="The client address the far end must see.")
@click.option("--name", metavar="TEXT", help="A name for the probe in reports.")
@click.option("--only", multiple=True, metavar="NAME", help="Run only this declared probe (repeatable).")
@click.option("--junit", type=click.Path(dir_okay=False), metavar="FILE", help="Also write a JUnit XML report.")
@json_option
def probe(lab: str, source: str | None, target: str | None, protocol: str | None, query: str | None,
          expect: str | None, source_seen: str | None, name: str | None, only: tuple[str, ...], junit: str | None,
          as_json: bool) -> None:
    """Send the probes the topology of LAB declares (or one given by --from/--to); exit 1 if an expectation fails.

    Example: netlab probe flannel-vxlan --from client1 --to web2:80 --protocol http --source-seen self

    Example: netlab probe services-iptables --from client1 --to web --query A
    """
    from netlab import probe as probe_mod
    from netlab.errors import ExpectationFailed
    from netlab.topology.model import Probe

    adhoc = {"--protocol": protocol, "--query": query, "--expect": expect, "--source-seen": source_seen,
             "--name": name}
    if (source is None) != (target is None):
        raise UsageError("--from and --to go together")
    if source is None and (given := [k for k, v in adhoc.items() if v is not None]):
        raise UsageError(f"{', '.join(given)} need --from and --to", hint="they describe a probe of your own")
    if source is not None and only:
        raise UsageError("--only picks declared probes; --from/--to send one of your own", hint="give one or the other")
    lab = labs.name_of(lab)
    topology = state.LabState(lab).built_topology()
    if source is not None and target is not None:
        probes: tuple[Probe, ...] = (probe_mod.ad_hoc(topology, source=source, target=target, protocol=protocol,
                                   query=query, reachable=None if expect is None else expect == "reachable",
                                   source_seen=source_seen, name=name),)
    else:
        probes = probe_mod.only(topology, only) if only else topology.probes
    require_root("probe")
    results = probe_mod.run_probes(topology, probes)
    if junit:
        write_report(junit, probe_mod.junit_xml(lab, results))
    if as_json:
        click.echo(json.dumps([r.as_dict() for r in results]))
    else:
        view.probes(results)
    failed = [r for r in results if not r.ok]
    if failed:
        raise ExpectationFailed(f"{len(failed)} of {len(results)} probe(s) did not meet their expectation")


@cli.command()
@click.argument("lab", shell_complete=complete_lab)
@click.option("--solution", is_flag=True, help="First apply the exercise's own solution: proves it can be solved.")
@click.option("--junit", type=click.Path(dir_okay=False), metavar="FILE", help="Also write a JUnit XML report.")
@json_option
def check(lab: str, solution: bool, junit: str | None, as_json: bool) -> None:
    """Grade an exercise lab as it is now: its probes and kernel-state checks, with hints; exit 1 if one fails.

    Example: sudo netlab up topologies/exercises/missing-route.yaml && sudo netlab check missing-route
    """
    from netlab import exercise as exercise_mod
    from netlab.errors import ExpectationFailed
    require_root("check")
    lab = labs.name_of(lab)
    topology, exercise = exercise_mod.exercise_lab(lab)
    applied: list[str] = []
    if solution:
        applied = exercise_mod.apply_solution(topology, exercise)
        topology, exercise = exercise_mod.exercise_lab(lab)  # an edit rebuilt the lab from new text
    results = exercise_mod.grade(topology, exercise)
    if junit:
        write_report(junit, exercise_mod.junit_xml(lab, exercise, results))
    if as_json:
        click.echo(json.dumps({"lab": lab, "exercise": exercise.title, "solution_applied": applied,
                               "passed": all(r.ok for r in results), "checks": [r.as_dict() for r in results]}))
    else:
        view.check_results(lab, exercise, results, applied)
    if failed := [r for r in results if not r.ok]:
        raise ExpectationFailed(f"{len(failed)} of {len(results)} check(s) failed")


# netlab/lifecycle/faults.py (not imported here)
FAULT_KINDS = ("link-down", "drop", "blackhole", "kill-pod", "stop-bgp", "stop-speaker")


@cli.command()
@click.argument("lab", shell_complete=complete_lab)
@click.argument("kind", required=False, type=click.Choice(FAULT_KINDS))
@click.argument("target", required=False, shell_complete=complete_member)
@click.argument("args", nargs=-1)
@click.option("--clear", is_flag=True, help="Undo every fault injected into LAB.")
@json_option
def fault(lab: str, kind: str | None, target: str | None, args: tuple[str, ...], clear: bool, as_json: bool) -> None:
    """Break a lab that is up on purpose, undo it with --clear, or (with no KIND) list what is broken.

    \b
      link-down TARGET [IFACE]        the interface goes down (default eth0)
      drop TARGET [DEST[:PORT]] [tcp|udp|icmp]   TARGET silently drops matching packets
      blackhole TARGET DEST           TARGET discards what it sends to DEST (a name, address or CIDR)
      kill-pod POD                    the pod's servers die: connections are refused
      stop-bgp NODE                   a Calico node's BIRD dies: its peers keep its routes 120 s, then not
      stop-bgp internet               the router's bgpd dies (calico.peers): it forgets the pod blocks
      stop-speaker NODE               a node's MetalLB speaker dies: another answers ARP in ~5 s (BGP: its route goes)

    Example: sudo netlab fault services-iptables drop node1 web:80 tcp
    """
    from netlab.lifecycle import faults
    require_root("fault")
    lab = labs.name_of(lab)
    if clear and kind:
        raise UsageError("--clear undoes every fault; give it no KIND")
    if kind and not target:
        raise UsageError(f"{kind} needs a TARGET", hint="a pod, node or internet host of the lab")
    problems: list[str] = []
    if clear:
        done, problems = faults.clear(lab)
        message = f"cleared {len(done)} fault(s) in lab {lab}"
    elif kind and target:
        done = [faults.inject(lab, kind, target, args)]
        message = f"fault injected in lab {lab}: {done[0].detail}   (undo: sudo netlab fault {lab} --clear)"
    else:
        done = faults.active(lab)
        message = f"lab {lab}: " + ("; ".join(f.detail for f in done) if done else "no faults")
    if as_json:
        click.echo(json.dumps({"faults": [dataclasses.asdict(f) for f in done], "problems": problems}))
    else:
        view.out.print(message, markup=False)
        for problem in problems:
            view.err.print(f"warning: {problem}", markup=False)


def write_report(path: str, data: bytes) -> None:
    try:
        Path(path).write_bytes(data)
    except OSError as e:
        raise UsageError(f"cannot write {path}: {e.strerror or e}") from None


@cli.command(name="exec", context_settings={"ignore_unknown_options": True})
@click.argument("lab", shell_complete=complete_lab)
@click.argument("target", shell_complete=complete_member)
@click.argument("command", nargs=-1, type=click.UNPROCESSED)
def exec_(lab: str, target: str, command: tuple[str, ...]) -> None:
    """Run COMMAND (default: a shell) in a pod, node or internet host of LAB.

    As with kubectl, `-c CONTAINER` right after the pod names one of a pod's containers; they all share the pod's
    network namespace, so what a command sees of the network is the same in each.

    Example: netlab exec docker-bridge app1 -- curl -s 203.0.113.10
             netlab exec sidecar web -c proxy -- curl -s 127.0.0.1:8080
    """
    require_root("exec")
    ns = labs.member_namespace(labs.name_of(lab), target)
    container, command = labs.split_container(command)
    if container is not None:
        labs.check_container(labs.name_of(lab), target, container)
    argv = list(command) or [os.environ.get("SHELL", "/bin/bash")]
    if argv[0] in ("iptables", "iptables-save") and labs.backend_of(labs.name_of(lab)) == "legacy":
        print(f"note: this lab's nodes use iptables-legacy (cluster.iptablesBackend): run {argv[0]}-legacy",
              file=sys.stderr)
    sys.stdout.flush()
    # `ip netns exec` also remounts /sys for the namespace, so tools that read it (ip, ethtool) agree.
    os.execvp("ip", ["ip", "netns", "exec", ns, *argv])


@cli.command()
@click.argument("lab", shell_complete=complete_lab)
@click.argument("source", shell_complete=complete_member)
@click.argument("target", shell_complete=complete_member)
@click.option("--proto", type=click.Choice(["icmp", "tcp", "udp"]),
              help="Default: tcp when TARGET has a port, icmp otherwise.")
@click.option("--predict", is_flag=True, help="Only predict the path from the plan: no packets, no root.")
@click.option("-v", "--verbose", is_flag=True, help="Add rule text, every hop's addresses and timestamps.")
@click.option("--timeout", type=click.FloatRange(0.1, 10), default=1.0, show_default=True,
              help="Seconds to wait for an answer.")
@click.option("--host", metavar="HOST", help="Through an ingress controller: the request's Host header "
              "(default: TARGET, as a client sends it).")
@click.option("--path", "http_path", default="/", show_default=True, metavar="PATH",
              help="Through an ingress controller: the request's path.")
@json_option
def trace(lab: str, source: str, target: str, proto: str | None, predict: bool, verbose: bool, timeout: float,
          host: str | None, http_path: str, as_json: bool) -> None:
    """Send one probe from SOURCE to TARGET (NAME or ADDRESS, with :PORT for tcp/udp) and show its path.

    LAB is a running lab (or its file). Through a proxy the trace goes on: an ingress controller's choice of
    server and location for --host and --path, or kube-proxy's in userspace mode, then the new connection the
    proxy opens to a pod. Examples:

      netlab trace services-iptables client1 web:80        (pod → ClusterIP: DNAT, VXLAN)

      netlab trace flannel-vxlan client2 web --proto icmp   (pod → internet: MASQUERADE)

      netlab trace --predict topologies/host-gw.yaml client1 web2:80

      netlab trace ingress client 192.168.56.11:30080 --host shop.example.com --path /api/orders
    """
    from netlab.trace import session
    proto = proto or ("tcp" if ":" in target else "icmp")
    if predict:
        result = session.predict_only(lab, source, target, proto)
        comparison = None
    else:
        require_root("trace")
        result, comparison = session.trace_once(labs.name_of(lab), source, target, proto, timeout=timeout)
    behind = session.behind(lab if predict else labs.name_of(lab), result, host, http_path,
                            predict=predict, timeout=timeout)
    if as_json:
        data = result.trace.to_dict()
        data["departures"] = comparison
        if behind is not None:
            data["proxy"] = {"who": behind.who, "decision": list(behind.decision),
                             "second": behind.second.trace.to_dict() if behind.second else None,
                             "departures": behind.departures}
        click.echo(json.dumps(data, default=str))
        return
    from netlab.trace.view import trace_tree
    # Wrap long lines (rule text) instead of cropping them: soft_wrap crops what a Tree cannot fit.
    view.out.print(trace_tree(result.trace, labels=result.labels, verbose=verbose, departures=comparison),
                   soft_wrap=False)
    if behind is not None:
        view.out.print(f"{behind.who}:", markup=False, highlight=False)
        for line in behind.decision:
            view.out.print(f"  {line}", markup=False, highlight=False, soft_wrap=True)
        if behind.second is not None:
            view.out.print(trace_tree(behind.second.trace, labels=behind.second.labels, verbose=verbose,
                                      departures=behind.departures), soft_wrap=False)


@cli.command()
@click.argument("lab", shell_complete=complete_lab)
@click.argument("source", shell_complete=complete_member)
@click.argument("target", shell_complete=complete_member)
@click.option("--proto", type=click.Choice(["icmp", "tcp", "udp"]),
              help="Default: tcp when TARGET has a port, icmp otherwise.")
@json_option
def policy(lab: str, source: str, target: str, proto: str | None, as_json: bool) -> None:
    """Say whether NetworkPolicy lets SOURCE reach TARGET[:PORT], which policies decide, and the rule that
    carries it out — from the lab's plan, without sending a packet (no root needed for a file).

    A Service TARGET is its endpoints, as policies see it after kube-proxy's DNAT. Examples:

      netlab policy topologies/netpol.yaml frontend api:8080

      netlab policy netpol client db:5432 --json
    """
    from netlab.features.netpol import explain
    topology, the_plan = labs.source(lab)
    found = explain.explain(topology, the_plan, source, target, proto or ("tcp" if ":" in target else "icmp"))
    if as_json:
        click.echo(json.dumps([e.as_dict() for e in found]))
        return
    for e in found:
        view.out.print("\n".join(explain.lines(e)), markup=False, highlight=False, soft_wrap=True)


@cli.command()
@click.argument("source", metavar="LAB|FILE", shell_complete=complete_lab)
@click.option("--port", type=click.IntRange(0, 65535), default=8421, show_default=True,
              help="The TCP port to serve on (0: any free one).")
@click.option("--listen", default="127.0.0.1", show_default=True, metavar="ADDR",
              help="The address to serve on. Anything but loopback lets others on the network in (with the token).")
def ui(source: str, port: int, listen: str) -> None:
    """Serve the lab in a web browser: its diagram, live state, traces drawn hop by hop, the reachability matrix
    and rule counters. Prints a URL with a token; requests without it are refused. Ctrl-C stops it.

    LAB (a lab that is up, root) runs probes and traces for real; FILE shows the diagram and the model's
    predictions, without root. The page can probe, trace and read counters: nothing else.

    Example: sudo netlab ui services-iptables     (then open the URL it prints)
    """
    from netlab.ui import lab as lab_mod
    from netlab.ui import server
    loopback = server.check_listen(listen)
    if not (labs.is_file(source) or os.path.isfile(source)):
        require_root("ui")
    view_ = lab_mod.LabView(source)
    token = server.new_token()

    def ready(url: str) -> None:
        if not loopback:
            view.err.print(f"[bold red]WARNING: serving on {listen}: anyone who can reach this address and has the "
                           f"token can run probes and traces in lab {view_.lab} (as root). Keep the token "
                           "secret; stop with Ctrl-C.[/]")
        view.out.print(f"netlab ui: lab {view_.lab} at\n  {url}\nopen it in a browser; Ctrl-C stops it",
                       markup=False, highlight=False, soft_wrap=True)

    try:
        server.serve(view_, listen=listen, port=port, token=token, ready=ready)
    except OSError as e:
        raise EnvironmentProblem(f"cannot serve on {listen}:{port}: {e.strerror or e}",
                                 hint="another port: --port N (0 picks a free one)") from None


@cli.command()
@click.option("--mode", "modes", multiple=True, metavar="MODE",
              help="Check only this mode (repeatable): a cni (docker-bridge, flannel-vxlan, host-gw, lan-bridge) "
                   "or a proxy mode (iptables, nftables, ipvs). Default: all.")
@click.option("--leaks", is_flag=True, help="Instead: look for anything netlab made that no lab that is up owns.")
@json_option
def doctor(modes: tuple[str, ...], leaks: bool, as_json: bool) -> None:
    """Can this machine run each mode (exit 3 if a requested one cannot)? With --leaks: leftovers (exit 1)."""
    if leaks:
        require_root("doctor --leaks")
        from netlab.lifecycle import leaks as leaks_mod
        found = leaks_mod.find()
        if as_json:
            click.echo(json.dumps([dataclasses.asdict(leak) for leak in found]))
        else:
            view.leaks(found)
        if found:
            from netlab.errors import ExpectationFailed
            raise ExpectationFailed(f"{len(found)} leftover(s) carry a netlab mark outside the labs that are up",
                                    hint="remove them with: sudo netlab down --all")
        return
    from netlab import doctor as doctor_mod
    if unknown := [m for m in modes if m not in doctor_mod.MODES]:
        raise UsageError(f"unknown mode {unknown[0]!r}", hint="modes: " + ", ".join(doctor_mod.MODES))
    report = doctor_mod.diagnose(list(dict.fromkeys(modes)) or list(doctor_mod.MODES))
    if as_json:
        click.echo(json.dumps(dataclasses.asdict(report)))
    else:
        view.doctor(report)
    if failed := [mode for mode, ok in report.modes.items() if not ok]:
        raise EnvironmentProblem(f"this machine cannot run: {', '.join(failed)}",
                                 hint="apply the fixes above, or ask only for the modes you need with --mode")


@cli.command(context_settings={"ignore_unknown_options": True})
@click.argument("lab", shell_complete=complete_lab)
@click.argument("target", shell_complete=complete_member)
@click.argument("iface", required=False)
@click.option("-w", "--write", "pcap", type=click.Path(dir_okay=False), metavar="FILE",
              help="Write packets to this pcap file (for Wireshark) instead of printing them.")
@click.option("-c", "--count", type=click.IntRange(1), help="Stop after this many packets.")
@click.argument("expression", nargs=-1, type=click.UNPROCESSED)
def capture(lab: str, target: str, iface: str | None, pcap: str | None, count: int | None,
            expression: tuple[str, ...]) -> None:
    """tcpdump on IFACE (default: any, every interface) of a pod, node or host of LAB; Ctrl-C stops it.

    Example: netlab capture flannel-vxlan node1 eth0 -c 4 -- udp port 8472   (the VXLAN-wrapped packets)
    """
    require_root("capture")
    ns = labs.member_namespace(labs.name_of(lab), target)
    if iface not in (None, "any"):
        from netlab.kernel import netns
        from netlab.kernel.rtnl import RtnlSocket
        with RtnlSocket.at(netns.path_of(ns)) as sock:
            links = list(sock.links())
        if iface not in links:
            raise UsageError(f"'{target}' has no interface '{iface}'", hint="one of: " + ", ".join(links) +
                             f"; to filter on all of them: netlab capture {lab} {target} any -- {iface} …")
    import shutil
    if shutil.which("tcpdump") is None:
        raise EnvironmentProblem("tcpdump is not installed", hint="apt-get install tcpdump  (or run scripts/setup)")
    # -Z root: Debian's tcpdump otherwise drops to its own user before it opens the pcap file.
    argv = ["tcpdump", "-n", "-i", iface or "any"] + (["-Z", "root", "-w", pcap] if pcap else ["-l"]) + (
        ["-c", str(count)] if count else []) + list(expression)
    sys.stdout.flush()
    os.execvp("ip", ["ip", "netns", "exec", ns, *argv])


def require_root(what: str) -> None:
    if os.geteuid() != 0:
        raise EnvironmentProblem(f"netlab {what} needs root", hint=f"run: sudo netlab {what} …")


def main(argv: list[str] | None = None) -> int:
    try:
        cli.main(args=argv, prog_name="netlab", standalone_mode=False)
    except NetlabError as e:
        view.error(e)
        return e.exit_status
    except click.exceptions.Abort:
        view.err.print("aborted")
        return 130
    except click.ClickException as e:
        e.show()
        return 2
    except KeyboardInterrupt:
        view.err.print("interrupted")
        return 130
    return 0
