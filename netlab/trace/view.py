"""How a trace is shown: a compact tree a student reads in ten seconds, more with -v, or JSON.

One line per hop — namespace, interface, direction — with the packet's addresses printed where they
change, and under it what happened there: the route taken, the bridge that switched it, NAT with the
rule that did it, VXLAN wrapping, the drop. Then conntrack's memory of it, and the verdict.
"""

from __future__ import annotations

from rich.text import Text
from rich.tree import Tree

from netlab.trace.model import Event, Hop, Packet, Trace

EVENT_STYLES = {"route": "dim", "bridge": "dim", "dnat": "bold yellow", "snat": "bold yellow",
                "masquerade": "bold yellow", "unnat": "yellow", "encap": "cyan", "decap": "cyan",
                "drop": "bold red", "reject": "bold red", "deliver": "green"}
VERDICT_STYLES = {"delivered": "bold green", "dropped": "bold red", "rejected": "bold red", "unanswered": "bold yellow",
                  "unresolved": "bold red"}


def trace_tree(trace: Trace, *, labels: dict[tuple[str, str], str], verbose: bool = False,
               departures: list[str] | None = None) -> Tree:
    kind = "predicted path" if trace.kind == "predicted" else "trace"
    root = Tree(Text.assemble((f"{kind} ", "bold"), (f"{trace.source} → {trace.target}", "bold"),
                              f" {trace.proto}  ", (f"lab {trace.lab}", "dim")))
    if trace.lookup:
        branch = root.add(Text.assemble(("lookup", "bold"), f"  {trace.target.partition(':')[0]}", (
            "  (the source's resolver: its search list, then the name as given)", "dim")))
        for step in trace.lookup:
            line = Text.assemble(f"{step.name} {step.type} → {step.server}  ",
                                 (step.rcode, "green" if step.rcode == "NOERROR" else "yellow"))
            if step.answers:
                line.append(f"  {', '.join(step.answers)}", style="bold")
            if step.answered_by:
                line.append(f"  (DNAT → {step.answered_by})", style="bold yellow")
            branch.add(line)
    for title, hops in (("request", trace.forward), ("reply", trace.reply)):
        if not hops:
            continue
        branch = root.add(Text.assemble((title, "bold"), "  ", hops[0].packet.tuple_text()))
        previous: Packet | None = None
        for hop in hops:
            node = branch.add(_hop_line(hop, labels, previous, verbose))
            for event in hop.events:
                node.add(_event_line(event, verbose))
            previous = hop.packet
    if trace.conntrack:
        table = root.add(Text("conntrack", style="bold"))
        for entry in trace.conntrack:
            table.add(Text.assemble((f"{entry.netns}: ", "bold"), f"{entry.proto} {entry.original}  ",
                                    ("reply ", "dim"), entry.reply,
                                    (f"  [{' '.join(entry.status)}]" if entry.status else "", "dim")))
    verdict = trace.verdict
    line = Text.assemble(("verdict: ", "bold"), (verdict.status.upper(), VERDICT_STYLES.get(verdict.status, "bold")),
                         f" — {verdict.text}")
    if verdict.reason:
        line.append(f"  ({verdict.reason})", style="dim")
    ending = root.add(line)
    if verdict.rule is not None:
        ending.add(Text(f"{verdict.rule.netns} {verdict.rule.table}/{verdict.rule.chain}: {verdict.rule.text}",
                        style="red"))
    if trace.policy:
        branch = root.add(Text("network policy", style="bold"))
        for item in trace.policy:
            branch.add(Text(item.strip(), style="red" if item.strip().startswith("verdict: refused") else ""))
    for note in trace.notes:
        root.add(Text(note, style="dim"))
    if departures is not None:
        if departures:
            branch = root.add(Text("departs from the plan's prediction:", style="bold magenta"))
            for item in departures:
                branch.add(Text(item, style="magenta"))
        else:
            root.add(Text("the observed path matches the plan's prediction", style="green"))
    return root


def _hop_line(hop: Hop, labels: dict[tuple[str, str], str], previous: Packet | None, verbose: bool) -> Text:
    label = labels.get((hop.netns, hop.interface))
    text = Text.assemble((f"{hop.netns:<10}", "bold"), " ", (hop.interface, "cyan"),
                         (f" ({label})" if label else "", "dim"), f" {hop.direction}")
    changed = previous is None or (previous.src, previous.sport, previous.dst, previous.dport) != \
        (hop.packet.src, hop.packet.sport, hop.packet.dst, hop.packet.dport)
    if changed or verbose:
        text.append(f"  {hop.packet.tuple_text()}", style="yellow" if changed and previous is not None else "")
    outer = hop.packet.outer
    if outer is not None:
        text.append(f"  [{outer.text()}]", style="cyan")
    if verbose and hop.time_ns is not None:
        text.append(f"  t={hop.time_ns % 10**9 / 1000:.1f}µs", style="dim")
    return text


def _event_line(event: Event, verbose: bool) -> Text:
    style = EVENT_STYLES.get(event.kind, "")
    prefix = {"route": "route ", "bridge": "", "deliver": ""}.get(event.kind, "")
    text = Text(prefix + event.text, style=style)
    if event.rule is not None and verbose:
        text.append(f"\n{event.rule.table}/{event.rule.chain}: {event.rule.text}", style="dim")
    return text
