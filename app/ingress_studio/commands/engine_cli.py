"""`ingress-studio engine`: the bridge engine driven over stdin/stdout (docs/control-protocol.md)."""

from __future__ import annotations

import argparse
import signal
import sys


def add_engine_parser(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    subparsers.add_parser(
        "engine", help="run the bridge engine under the JSON-lines control protocol (used by the window)"
    )


def run_engine_command(_args: argparse.Namespace) -> int:
    import ingress_studio.media  # noqa: F401  - prepares the environment before av loads
    from ingress_studio.media.control import Engine, Terminated
    from ingress_studio.media.gc_tuning import tune_gc_for_streaming

    def terminate(*_: object) -> None:
        raise Terminated

    # stdout carries the protocol: make sure nothing else (prints, warnings) can land there
    events = sys.stdout
    sys.stdout = sys.stderr
    signal.signal(signal.SIGTERM, terminate)
    tune_gc_for_streaming()
    return Engine(sys.stdin, events).serve()
