"""Expected against observed: where the packet really went differs from where the plan says it should go.

The prediction walks the plan (trace/predict.py); the observation is the kernel's (trace/engine.py).
Both are lists of hops, so the first place they disagree is where reality departed from the model —
a rule someone added, a route someone deleted, an endpoint that is gone.
"""

from __future__ import annotations

from netlab.trace.model import Hop, Trace

NAT_KINDS = ("dnat", "snat", "masquerade")


def departures(observed: Trace, predicted: Trace, *, bridges: frozenset[tuple[str, str]] = frozenset()) -> list[str]:
    """What differs, in the order a student should read it; empty when the kernel did what the plan says.

    Sightings on a bridge device itself (`bridges`: (namespace, bridge)) are left out of the comparison:
    whether a DNATed frame passes up through cni0 or is switched port to port depends on the neighbour
    cache of the moment (br_netfilter), not on the plan."""
    found = []

    def kept(hops: tuple[Hop, ...]) -> tuple[Hop, ...]:
        return tuple(h for h in hops if (h.netns, h.interface) not in bridges)
    compared = [("request", kept(observed.forward), kept(predicted.forward))]
    # An ICMP error coming back is observed but not modelled; a reply is compared only when one is predicted.
    if predicted.reply or observed.verdict.status == "delivered":
        compared.append(("reply", kept(observed.reply), kept(predicted.reply)))
    for direction, seen, expected in compared:
        split = _first_difference(seen, expected)
        if split is None:
            continue
        i = split
        if not seen:
            found.append(f"{direction}: nothing was seen; the plan expects it to start at {_where(expected[0])}")
            continue
        after = f"after {seen[i - 1].place()} {seen[i - 1].direction}" if i else "at the start"
        if i < len(seen) and i < len(expected):
            found.append(f"{direction}: {after}, the packet was seen at {_where(seen[i])}, "
                         f"the plan expects {_where(expected[i])}")
        elif i < len(expected):
            found.append(f"{direction}: the packet was last seen {after}; the plan expects it to go on to "
                         f"{_where(expected[i])}")
        else:
            found.append(f"{direction}: {after}, the packet went on to {_where(seen[i])}, "
                         "which the plan does not expect")
    seen_nat, expected_nat = _nat(observed), _nat(predicted)
    for item in sorted(expected_nat - seen_nat):
        found.append(f"expected {item[1].upper()} in {item[0]} did not happen")
    for item in sorted(seen_nat - expected_nat):
        found.append(f"{item[1].upper()} in {item[0]} was not expected")
    if observed.verdict.status != predicted.verdict.status:
        found.append(f"verdict: {observed.verdict.status}, the plan predicts {predicted.verdict.status} "
                     f"({predicted.verdict.text})")
    return found


def _first_difference(seen: tuple[Hop, ...], expected: tuple[Hop, ...]) -> int | None:
    for i, (a, b) in enumerate(zip(seen, expected, strict=False)):
        if (a.netns, a.interface, a.direction) != (b.netns, b.interface, b.direction):
            return i
    return None if len(seen) == len(expected) else min(len(seen), len(expected))


def _where(hop: Hop) -> str:
    return f"{hop.place()} {hop.direction}"


def _nat(trace: Trace) -> set[tuple[str, str]]:
    """(namespace, kind) of each address rewrite; SNAT and MASQUERADE count as the same lesson here."""
    return {(h.netns, "snat" if e.kind == "masquerade" else e.kind) for h in trace.forward for e in h.events
            if e.kind in NAT_KINDS}
