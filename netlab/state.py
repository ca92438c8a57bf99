"""A lab's state directory, /run/netlab/<lab>/: its topology, its resolved model, the plan the kernel holds, and
a journal of what was created.

`model.json` and `plan.json` are what the lab *is*: every later command reads them (the addresses in the model
are the lab's for good, see topology/codec.py). `netlab apply` writes the next model and plan beside them
(*.next.*), journals each change as it makes it, and only then moves the next files in: an apply cut short is
rolled back, or finished, from the journal (lifecycle/apply.py).

The journal is append-only, one JSON object per line: it lists every namespace of the plan *before*
the first is created, each file outside the state directory before it is written, and each daemon the moment
it starts. Whatever moment `up` dies at, `down`
finds everything from it (a torn last line is ignored). Appending keeps `up` linear in the size of the
lab, where rewriting one state file per object would be quadratic. Namespaces hold every link, address,
route and rule, so they and the processes are all that teardown needs.
"""

from __future__ import annotations

import fcntl
import json
import os
import shutil
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from netlab.errors import EnvironmentProblem, UsageError
from netlab.plan import Daemon, NetnsFile, Plan

if TYPE_CHECKING:
    from netlab.topology.model import Topology


def run_dir() -> Path:
    return Path(os.environ.get("NETLAB_RUN_DIR", "/run/netlab"))


@dataclass(frozen=True)
class JournalProcess:
    name: str
    netns: str
    pid: int
    start_time: int


class LabState:
    def __init__(self, lab: str) -> None:
        self.lab = lab
        self.dir = run_dir() / lab
        self._journal: TextIO | None = None
        self._read: tuple[tuple[int, int], list[dict[str, Any]]] | None = None

    # -- reading ----------------------------------------------------------------------------------------

    def exists(self) -> bool:
        return self.dir.is_dir()

    def meta(self) -> dict[str, Any]:
        try:
            data: dict[str, Any] = json.loads((self.dir / "meta.json").read_text())
            return data
        except (OSError, ValueError):
            return {}

    def plan(self) -> Plan | None:
        try:
            return Plan.from_json((self.dir / "plan.json").read_text())
        except (OSError, ValueError, KeyError, TypeError):
            return None

    def topology_text(self) -> str | None:
        try:
            return (self.dir / "topology.yaml").read_text()
        except OSError:
            return None

    def built_topology(self) -> Topology:
        """The resolved model of the lab as it is now; a UsageError if the lab is not up."""
        from netlab.topology import codec
        try:
            return codec.from_json((self.dir / "model.json").read_text())
        except FileNotFoundError:
            raise UsageError(f"lab '{self.lab}' is not up", hint="bring it up first: sudo netlab up FILE") from None
        except (OSError, ValueError, KeyError, TypeError) as e:
            raise EnvironmentProblem(f"lab '{self.lab}''s model.json cannot be read: {e}",
                                     hint=f"tear the lab down and up again: netlab down {self.lab}") from None

    def journal(self) -> list[dict[str, Any]]:
        """Every record, in order; read again only when the file changed (a command asks several times)."""
        path = self.dir / "journal.jsonl"
        try:
            stat = path.stat()
            if self._read is not None and self._read[0] == (stat.st_size, stat.st_mtime_ns):
                return self._read[1]
            lines = path.read_text().splitlines()
        except OSError:
            return []
        records = []
        for line in lines:
            try:
                records.append(json.loads(line))
            except ValueError:
                continue  # a line torn by a crash mid-write
        self._read = ((stat.st_size, stat.st_mtime_ns), records)
        return records

    def namespaces(self) -> list[str]:
        return [r["name"] for r in self.journal() if r.get("op") == "netns"]

    def processes(self) -> list[JournalProcess]:
        return [JournalProcess(r["name"], r["netns"], r["pid"], r["start_time"])
                for r in self.journal() if r.get("op") == "process"]

    def files(self) -> list[str]:
        """Files the lab wrote outside its state directory (/etc/netns/…), journaled before they were written."""
        return [r["path"] for r in self.journal() if r.get("op") == "file"]

    def is_ready(self) -> bool:
        return any(r.get("op") == "ready" for r in self.journal())

    # -- writing ----------------------------------------------------------------------------------------

    def create(self, *, source: str, topology_text: str, model: Topology, plan: Plan) -> None:
        from netlab.topology import codec
        self.dir.parent.mkdir(parents=True, exist_ok=True)
        self.dir.mkdir()  # fails if present: one lab, one state
        write_atomic(self.dir / "topology.yaml", topology_text)
        write_atomic(self.dir / "model.json", codec.to_json(model))
        write_atomic(self.dir / "plan.json", plan.to_json(indent=None))
        write_atomic(self.dir / "meta.json", json.dumps(
            {"lab": self.lab, "source": source, "created": time.time(), "pid": os.getpid()}) + "\n")
        self._journal = open(self.dir / "journal.jsonl", "a", buffering=1)

    def record(self, **entry: Any) -> None:
        # One write() per line: on tmpfs (/run) it survives the process being killed right after.
        if self._journal is None:  # a lab that is up, changed by a later command (apply)
            self._journal = open(self.dir / "journal.jsonl", "a", buffering=1)
        self._journal.write(json.dumps(entry) + "\n")

    def record_all(self, entries: list[dict[str, Any]]) -> None:
        assert self._journal is not None, "record_all() before create()"
        self._journal.write("".join(json.dumps(e) + "\n" for e in entries))

    def append(self, **entry: Any) -> None:
        """`record` for a lab that is up: one line added to the journal by a later command (`fault --clear`)."""
        with open(self.dir / "journal.jsonl", "a") as journal:
            journal.write(json.dumps(entry) + "\n")

    def close(self) -> None:
        if self._journal is not None:
            self._journal.close()
            self._journal = None

    # -- changing a lab that is up (netlab apply) ----------------------------------------------------------

    NEXT = ("topology.yaml", "model.json", "plan.json")

    def begin(self, *, topology_text: str, model: Topology, plan: Plan) -> None:
        """Writes the next state beside the current one and journals that an apply began."""
        from netlab.topology import codec
        for name, text in zip(self.NEXT, (topology_text, codec.to_json(model), plan.to_json(indent=None)), strict=True):
            write_atomic(self.dir / f"next.{name}", text)
        self.record(op="apply")

    def next_plan(self) -> Plan | None:
        try:
            return Plan.from_json((self.dir / "next.plan.json").read_text())
        except (OSError, ValueError, KeyError, TypeError):
            return None

    def commit(self) -> None:
        """The kernel holds the next plan: it becomes the lab's (each file moved in atomically, the plan last,
        so a crash halfway leaves a plan that is either the old or the new one, and the journal says which)."""
        for name in self.NEXT:
            if (self.dir / f"next.{name}").exists():
                os.replace(self.dir / f"next.{name}", self.dir / name)

    def discard(self) -> None:
        for name in self.NEXT:
            (self.dir / f"next.{name}").unlink(missing_ok=True)

    def pending(self) -> tuple[bool, int] | None:
        """An apply that did not finish: (whether its changes all reached the kernel, the last change begun);
        None when there is none."""
        begun, applied, last = False, False, -1
        for r in self.journal():
            op = r.get("op")
            if op == "apply":
                begun, applied, last = True, False, -1
            elif op == "change" and begun:
                last = r["n"]
            elif op == "applied" and begun:
                applied = True
            elif op in ("committed", "rolled-back"):
                begun = False
        return (applied, last) if begun else None

    def compact(self, plan: Plan) -> None:
        """Rewrites the journal as just what the lab holds now: its namespaces, files and running daemons."""
        daemons = {s.name for s in plan.steps if isinstance(s, Daemon)}
        latest = {p.name: p for p in self.processes() if p.name in daemons}
        files = [s.full_path for s in plan.steps if isinstance(s, NetnsFile)]
        records: list[dict[str, object]] = [{"op": "netns", "name": n.name} for n in plan.namespaces()]
        records += [{"op": "file", "path": path} for path in files]
        records += [{"op": "process", "name": p.name, "netns": p.netns, "pid": p.pid, "start_time": p.start_time}
                    for p in latest.values()]
        records.append({"op": "ready"})
        self.close()
        write_atomic(self.dir / "journal.jsonl", "".join(json.dumps(r) + "\n" for r in records))

    def remove(self) -> None:
        self.close()
        shutil.rmtree(self.dir, ignore_errors=True)


def write_atomic(path: Path, text: str) -> None:
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(text)
    os.replace(tmp, path)


def list_labs() -> list[str]:
    base = run_dir()
    if not base.is_dir():
        return []
    return sorted(p.name for p in base.iterdir() if p.is_dir() and p.name != "locks")


def lock_path(lab: str) -> Path:
    return run_dir() / "locks" / f"{lab}.lock"


def is_locked(lab: str) -> bool:
    """True while some netlab holds the lab's lock (an `up` or `down` at work)."""
    try:
        fd = os.open(lock_path(lab), os.O_RDONLY | os.O_CLOEXEC)
    except OSError:
        return False
    try:
        fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
        return False
    except BlockingIOError:
        return True
    finally:
        os.close(fd)


@contextmanager
def locked(lab: str) -> Iterator[None]:
    """Only one netlab works on a lab at a time: a second `up` or `down` is refused, never interleaved."""
    lock_path(lab).parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(lock_path(lab), os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(fd, 32, 0).decode(errors="replace").strip()
            raise EnvironmentProblem(f"another netlab (pid {holder or '?'}) is working on lab '{lab}' right now",
                                     hint="wait for it to finish; nothing was changed") from None
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
        yield
    finally:
        os.close(fd)
