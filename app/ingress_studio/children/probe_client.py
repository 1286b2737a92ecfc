"""`ingress-studio probe --json` as a child, so that whoever asks (the window) loads no FFmpeg itself."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Never

from ingress_studio.children.child_protocol import ChildProtocol
from ingress_studio.children.one_shot import OneShotChild, one_shot_protocol
from ingress_studio.children.probe_report import ProbeReport, read_probe_line
from ingress_studio.children.probe_request import ProbeRequest

# Above the probe's own limit for a URL that does not answer (15 s per source), with room for a short playlist.
PROBE_TIMEOUT_S = 45.0

PROBE: ChildProtocol[ProbeReport, Never] = one_shot_protocol("probe", read_probe_line)


async def start_probe(request: ProbeRequest, env: Mapping[str, str] | None = None) -> OneShotChild[ProbeReport]:
    """The probe, started: `await child.answer(timeout)` for its report, `child.cancel()` to end it."""
    return await OneShotChild.start(PROBE, request.command(), env)


async def probe(
    request: ProbeRequest, timeout_s: float = PROBE_TIMEOUT_S, env: Mapping[str, str] | None = None
) -> ProbeReport:
    """The report (`ok` False with its `problem` when the push could not work); OneShotFailed with one
    sentence when the probe itself failed (a crash, no answer in time, an answer this version cannot read)."""
    child = await start_probe(request, env)
    return await child.answer(timeout_s)
