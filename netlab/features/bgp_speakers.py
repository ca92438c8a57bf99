"""The BGP daemons a lab runs — BIRD on Calico's nodes, FRR on the internet router — and the one question netlab asks
each of them, `up` while it waits and `status` when it looks for drift: which of its sessions are not Established."""

from __future__ import annotations

from pathlib import Path

from netlab.plan import STATE, BgpSessions


def sessions_down(step: BgpSessions, state_dir: Path) -> list[str] | None:
    """The sessions of `step` that are not Established, in the daemon's words; None when it does not answer."""
    from netlab.features import frr
    from netlab.features.calico import bird
    socket = step.socket.replace(STATE, str(state_dir))
    ask = frr.sessions_down if step.speaker == "frr" else bird.sessions_down
    return ask(step.netns, socket, step.sessions)
