"""The one error hierarchy; the CLI maps each class to an exit status and nothing else prints tracebacks."""

from __future__ import annotations

from dataclasses import dataclass


class NetlabError(Exception):
    """Base of every error a user can cause or meet; `exit_status` is what the CLI returns."""

    exit_status = 1

    def __init__(self, message: str, *, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a topology, located in the YAML."""

    path: str  # dotted YAML path, e.g. "pods[2].node"
    line: int | None
    message: str
    hint: str | None = None

    def __str__(self) -> str:
        where = f"{self.path}" + (f" (line {self.line})" if self.line else "")
        text = f"{where}: {self.message}" if self.path else self.message
        return text + (f"\n    hint: {self.hint}" if self.hint else "")


class TopologyError(NetlabError):
    """The topology is not valid; every problem found is listed. Nothing was created."""

    exit_status = 2

    def __init__(self, source: str, problems: list[Problem]) -> None:
        count = len(problems)
        super().__init__(f"{source}: {count} problem{'s' if count != 1 else ''} found")
        self.source = source
        self.problems = problems


class UsageError(NetlabError):
    """The command line asks for something that does not exist (an unknown lab, pod, format…)."""

    exit_status = 2


class EnvironmentProblem(NetlabError):
    """The machine cannot run this: not root, a missing kernel module or tool, a lab already up."""

    exit_status = 3


class ApplyError(NetlabError):
    """A kernel operation failed during `up`; everything created was rolled back."""

    exit_status = 4


class ExpectationFailed(NetlabError):
    """A probe's expectation did not hold."""

    exit_status = 1
