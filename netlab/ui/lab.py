"""What `netlab ui` shows of one lab, as plain data for the page: the diagram, the lab's live state, a trace laid
on the diagram, the reachability matrix and rule counters.

Everything here reads — the state directory, the kernel, probes and traces — and nothing changes the lab. A lab
that is up is `live`; a topology file is shown read-only, as `netlab graph` and `trace --predict` show it: the
diagram and the model's predictions, no packets and no root.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from netlab import labs, naming, state
from netlab.errors import UsageError
from netlab.plan import Netns, Plan
from netlab.render import graph
from netlab.topology.model import Topology
from netlab.trace.model import Hop, Trace

TRACE_TIMEOUT = 1.0  # seconds a trace waits for an answer, as `netlab trace` does
MATRIX_WORKERS = 16  # probes in flight at once: an unreachable cell waits out its timeout
MATRIX_CELLS = 2500  # 50 × 50: more is not a picture any more


@dataclass(frozen=True)
class Loaded:
    topology: Topology
    plan: Plan
    diagram: graph.Diagram
    svg: str
    version: str  # changes when the lab's plan does (`netlab apply`) or the file is edited


class LabView:
    def __init__(self, source: str) -> None:
        self.live = not (labs.is_file(source) or os.path.isfile(source))
        self.source = source
        self.lab = labs.name_of(source) if self.live else source
        self._loaded: Loaded | None = None
        self._busy = threading.Lock()  # one trace or matrix at a time: each sends real packets and reads captures
        self._loading = threading.Lock()
        self.load()  # a lab that is not up, or a broken file, is said at once

    # -- the diagram -----------------------------------------------------------------------------------

    def _version(self) -> str:
        path = state.LabState(self.lab).dir / "plan.json" if self.live else Path(self.source)
        try:
            stat = path.stat()
        except OSError:
            raise UsageError(f"lab '{self.lab}' is not up" if self.live else f"no such file: {self.source}") from None
        return f"{stat.st_mtime_ns}-{stat.st_size}"

    def load(self) -> Loaded:
        """The lab's model, plan and diagram, read again only when its plan (or file) changed."""
        with self._loading:
            version = self._version()
            if self._loaded is None or self._loaded.version != version:
                topology, plan = labs.source(self.source if not self.live else self.lab)
                diagram = graph.diagram(topology, plan)
                self._loaded = Loaded(topology, plan, diagram, graph.to_svg(diagram), version)
            return self._loaded

    @contextmanager
    def _one_at_a_time(self) -> Iterator[None]:
        """A second trace or matrix while one runs is refused, not queued: a queue would hold the server's
        threads for as long as anyone keeps asking."""
        if not self._busy.acquire(blocking=False):
            raise UsageError("a trace or matrix is running: try again when it is done")
        try:
            yield
        finally:
            self._busy.release()

    def diagram(self) -> dict[str, Any]:
        loaded = self.load()
        t, d = loaded.topology, loaded.diagram
        return {
            "lab": t.name, "title": d.title, "live": self.live, "version": loaded.version, "svg": loaded.svg,
            "boxes": {box.id: {"kind": box.kind, "lines": list(box.lines), "group": group.id}
                      for group in d.groups for box in group.boxes},
            "members": d.members,
            "sources": [p.name for p in t.pods] + [n.name for n in t.nodes] + [h.name for h in t.internet.hosts],
            "services": [{"name": s.name, "ports": [p.port for p in s.ports]} for s in t.services],
            "ports": sorted({s.port for p in t.pods for s in p.serve} |
                            {p.port for s in t.services for p in s.ports}),
            # whose rule counters can be read: nodes, the router, pods (a pod's own nftables, a policy's)
            "counted": [n.name for n in t.nodes] + (["internet"] if t.internet.hosts else [])
            + [p.name for p in t.pods],
        }

    # -- live state ------------------------------------------------------------------------------------

    def state(self) -> dict[str, Any]:
        """What `status` reports, by box: daemons alive or dead, drift, faults applied, rollouts in progress."""
        loaded = self.load()
        if not self.live:
            return {"version": loaded.version, "live": False}
        from netlab.lifecycle import faults
        from netlab.lifecycle.status import lab_status
        status = lab_status(self.lab)
        where = _namespace_of_step(loaded.plan)
        marks: dict[str, list[dict[str, str]]] = {}

        def mark(obj: str | None, level: str, text: str) -> None:
            box = loaded.diagram.members.get(obj or "")
            if box:
                marks.setdefault(box, []).append({"level": level, "text": text})

        for p in status.processes:
            if not p.running:
                mark(_object(p.netns), "dead", f"daemon {p.name} is not running")
        for d in status.drift:
            if not d.key.startswith("daemon "):
                mark(_object(where.get(d.key) or d.key.split(" ")[1]), "drift", f"{d.key}: {d.problem}")
        applied = faults.active(self.lab)
        for f in applied:
            mark(f.target, "fault", f"fault {f.kind}: {f.detail}")
        return {
            "version": loaded.version, "live": True, "ready": status.ready,
            "applying": state.is_locked(self.lab),
            "checked": status.drift_checked, "time": time.time(),
            "drift": [f"{d.key}: {d.problem}" for d in status.drift],
            "daemons": [{"name": p.name, "member": _object(p.netns), "running": p.running}
                        for p in status.processes],
            "faults": [{"kind": f.kind, "target": f.target, "detail": f.detail} for f in applied],
            "rollouts": [{"name": d.name, "kind": d.kind, "desired": d.desired, "ready": d.ready,
                          "up_to_date": d.up_to_date, "total": d.total}
                         for d in status.deployments if d.total != d.desired or d.up_to_date != d.desired
                         or d.ready != d.desired],
            "marks": marks,
        }

    # -- a trace on the diagram ------------------------------------------------------------------------

    def trace(self, source: str, target: str, proto: str | None) -> dict[str, Any]:
        """`netlab trace --json` (observed and predicted for a lab that is up, predicted for a file), and where
        each hop lands on the diagram."""
        from netlab.trace import session
        loaded = self.load()
        proto = proto or ("tcp" if ":" in target else "icmp")
        started = time.monotonic()
        with self._one_at_a_time():
            if self.live:
                result, departures = session.trace_once(self.lab, source, target, proto, timeout=TRACE_TIMEOUT)
            else:
                result = session.predict_only(self.source, source, target, proto, loaded=(loaded.plan, loaded.topology))
                departures = None
            behind = session.behind(self.lab if self.live else self.source, result, None, "/",
                                    predict=not self.live, timeout=TRACE_TIMEOUT)
        places = loaded.diagram.places
        legs = [self._leg(result.trace, result.predicted, departures, places)]
        if behind is not None:
            legs[0]["proxy"] = {"who": behind.who, "decision": list(behind.decision)}
            if behind.second is not None:
                legs.append(self._leg(behind.second.trace, behind.second.predicted, behind.departures, places))
        return {"legs": legs, "seconds": round(time.monotonic() - started, 4),
                "service": _service_box(loaded, target)}

    @staticmethod
    def _leg(observed: Trace, predicted: Trace | None, departures: list[str] | None,
             places: dict[tuple[str, str], str]) -> dict[str, Any]:
        data = observed.to_dict()
        data["departures"] = departures
        data["predicted"] = predicted.to_dict() if predicted is not None else None
        data["boxes"] = [_box_of(h, places) for h in observed.hops]
        if predicted is not None:
            data["predicted"]["boxes"] = [_box_of(h, places) for h in predicted.hops]
        return data

    # -- the reachability matrix -----------------------------------------------------------------------

    def matrix(self, port: int | None, proto: str | None) -> dict[str, Any]:
        """Every pod to every pod, Service (with that port) and internet host: probes for a lab that is up, the
        model's prediction for a file."""
        from netlab import probe
        loaded = self.load()
        t = loaded.topology
        proto = proto or ("tcp" if port else "icmp")
        if proto != "icmp" and not port:
            raise UsageError(f"a {proto} matrix needs a port")
        suffix = f":{port}" if proto != "icmp" and port else ""
        rows = [p.name for p in t.pods]
        columns = rows + [s.name for s in t.services if s.cluster_ip and any(p.port == port for p in s.ports)
                          and proto != "icmp"] + [h.name for h in t.internet.hosts]
        if len(rows) * len(columns) > MATRIX_CELLS:
            raise UsageError(f"{len(rows)} × {len(columns)} cells is more than the matrix shows ({MATRIX_CELLS})")
        pairs = [(r, c) for r in rows for c in columns if r != c]

        def cell(pair: tuple[str, str]) -> dict[str, Any]:
            source, target = pair
            if not self.live:
                from netlab.trace import session
                verdict = session.predict_only(self.source, source, target + suffix, proto,
                                               loaded=(loaded.plan, t)).trace.verdict
                return {"from": source, "to": target, "reachable": verdict.status == "delivered",
                        "detail": verdict.text}
            result = probe.run_probe(t, probe.ad_hoc(t, source=source, target=target + suffix, protocol=proto))
            return {"from": source, "to": target, "reachable": result.reachable, "detail": result.detail,
                    "server": result.server}

        started = time.monotonic()
        with self._one_at_a_time(), ThreadPoolExecutor(MATRIX_WORKERS if self.live else 1) as pool:
            cells = list(pool.map(cell, pairs))
        return {"rows": rows, "columns": columns, "port": port, "proto": proto, "cells": cells,
                "predicted": not self.live, "seconds": round(time.monotonic() - started, 3)}

    # -- rule counters ---------------------------------------------------------------------------------

    def counters(self, member: str) -> dict[str, Any]:
        from netlab.ui import counters
        if not self.live:
            raise UsageError("rule counters need a lab that is up", hint=f"sudo netlab up {self.source}")
        loaded = self.load()
        known = {n.name for n in loaded.topology.nodes} | {p.name for p in loaded.topology.pods} | (
            {"internet"} if loaded.topology.internet.hosts else set())
        if member not in known:
            raise UsageError(f"lab '{self.lab}' has no node or pod '{member}'")
        ns = naming.netns(self.lab, loaded.topology.home_of(member) if member != "internet" else member)
        return {"member": member, "time": time.time(),
                "tables": counters.as_dict(counters.read(loaded.plan, ns))}


def _object(netns_name: str) -> str | None:
    split = naming.split_netns(netns_name)
    return split[1] if split else None


def _namespace_of_step(plan: Plan) -> dict[str, str]:
    """A step's key → the namespace it is in: how drift (reported by key) lands on the diagram."""
    found = {}
    for step in plan.steps:
        ns = step.name if isinstance(step, Netns) else getattr(step, "netns", None)
        if isinstance(ns, str):
            found[step.key] = ns
    return found


def _box_of(hop: Hop, places: dict[tuple[str, str], str]) -> str | None:
    return places.get((hop.netns, hop.interface))


def _service_box(loaded: Loaded, target: str) -> str | None:
    """The Service a trace was sent to, drawn as a box of its own (kube-proxy's DNAT is where it lives)."""
    name = target.partition(":")[0].split(".")[0]
    for group in loaded.diagram.groups:
        for box in group.boxes:
            if box.kind == "service" and box.lines[0] == f"svc {name}":
                return box.id
    return None
