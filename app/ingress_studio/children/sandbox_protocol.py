"""The sandbox as a child: its lines, its lifecycle, and what its exit codes mean."""

from __future__ import annotations

from typing import Never

from ingress_studio.children.child_protocol import ChildProtocol
from ingress_studio.children.lifecycle import Lifecycle
from ingress_studio.children.sandbox_messages import SandboxEvent, SandboxReady, read_sandbox_line
from ingress_studio.sandbox_launch import BAD_ARGUMENTS_EXIT, PORT_IN_USE_EXIT, START_FAILED_EXIT

SANDBOX_EXIT_MEANINGS = {
    START_FAILED_EXIT: "its data folder or database cannot be used",
    BAD_ARGUMENTS_EXIT: "its arguments were refused",
    PORT_IN_USE_EXIT: "a port it needs is in use",
}


def next_sandbox_lifecycle(now: Lifecycle, event: SandboxEvent) -> Lifecycle:
    return Lifecycle.READY if isinstance(event, SandboxReady) else now


def no_commands(command: Never) -> bytes:
    """The sandbox reads no commands: its stdin only tells it, by closing, that the parent went away."""
    raise TypeError(f"the sandbox takes no commands ({command!r})")


SANDBOX: ChildProtocol[SandboxEvent, Never] = ChildProtocol(
    program="sandbox",
    read_line=read_sandbox_line,
    next_lifecycle=next_sandbox_lifecycle,
    write_command=no_commands,
    exit_meanings=SANDBOX_EXIT_MEANINGS,
)
