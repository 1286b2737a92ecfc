"""`ingress-studio devices`: the cameras, microphones and screens `push` can take."""

from __future__ import annotations

import argparse
import json

TEST_SOURCE = {"kind": "test", "source": "test:", "name": "Test pattern: moving picture and a 440 Hz tone"}


def add_devices_parser(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser("devices", help="list cameras, microphones and screens to push from")
    parser.add_argument("--json", action="store_true", help="print a JSON list")


def run_devices_command(args: argparse.Namespace) -> int:
    import ingress_studio.media  # noqa: F401  - prepares the environment before av loads
    from ingress_studio.media.devices import list_devices

    entries = [device.as_dict() for device in list_devices()] + [TEST_SOURCE]
    if args.json:
        print(json.dumps(entries))  # one line: the window reads it as one answer (children/device_list.py)
        return 0
    width = max(len(entry["source"]) for entry in entries)
    for kind in ("camera", "microphone", "screen", "test"):
        rows = [entry for entry in entries if entry["kind"] == kind]
        if not rows:
            continue
        print(f"{kind.capitalize()}s:" if kind != "test" else "Generated:")
        for entry in rows:
            print(f"  {entry['source'].ljust(width)}  {entry['name']}")
    return 0
