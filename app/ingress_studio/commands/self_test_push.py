"""One `ingress-studio push test:` to a sandbox ingress, as a child process of this very program (the frozen
binary in a bundle, so the engine that runs is the one that ships)."""

from __future__ import annotations

import asyncio
import contextlib
import json
from dataclasses import dataclass

from ingress_studio.children.program import ingress_studio_command

PROFILE = "540p25"  # the lightest preset: the self-test shows the path works, not how much it can carry
STOP_GRACE_S = 5.0


@dataclass(frozen=True)
class PushEnded:
    code: int | None  # None: it did not end in time and was killed
    bytes_sent: int
    last_words: str  # its last stderr line: why it failed, when it did


def push_command(ingress_id: str, api_url: str, seconds: float) -> list[str]:
    """The test pattern to the ingress, found through the sandbox's API at `api_url` (its default key and secret)."""
    command = [*ingress_studio_command(), "push", "test:", "--ingress", ingress_id, "--sandbox", "--url", api_url]
    return [*command, "--duration", f"{seconds:g}", "--profile", PROFILE, "--stats-json", "--reconnect-tries", "0"]


class PushChild:
    def __init__(self, process: asyncio.subprocess.Process) -> None:
        self._process = process
        self._output = asyncio.create_task(process.communicate(), name="self-test-push-output")

    @classmethod
    async def start(cls, ingress_id: str, api_url: str, seconds: float) -> PushChild:
        process = await asyncio.create_subprocess_exec(
            *push_command(ingress_id, api_url, seconds),
            stdin=asyncio.subprocess.DEVNULL,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
        )
        return cls(process)

    @property
    def pid(self) -> int | None:
        return self._process.pid if self._process.returncode is None else None

    @property
    def running(self) -> bool:
        return not self._output.done()

    async def wait(self, timeout: float) -> PushEnded:
        """How it ended; killed (code None) if it runs past `timeout`."""
        try:
            stdout, stderr = await asyncio.wait_for(asyncio.shield(self._output), timeout)
        except TimeoutError:
            await self.stop()
            return PushEnded(None, 0, f"it was still running after {timeout:.0f} s")
        return PushEnded(self._process.returncode, _bytes_sent(stdout), _last_line(stderr))

    async def stop(self) -> None:
        """SIGTERM (it ends its push cleanly), then SIGKILL after the grace."""
        if self._process.returncode is not None:
            return
        with contextlib.suppress(ProcessLookupError):
            self._process.terminate()
        try:
            await asyncio.wait_for(asyncio.shield(self._output), STOP_GRACE_S)
        except TimeoutError:
            with contextlib.suppress(ProcessLookupError):
                self._process.kill()
            await self._output


def _bytes_sent(stdout: bytes) -> int:
    """From its last --stats-json line."""
    lines = stdout.decode("utf-8", "replace").strip().splitlines()
    try:
        return int(json.loads(lines[-1]).get("bytes_sent", 0)) if lines else 0
    except (ValueError, AttributeError, TypeError):
        return 0


def _last_line(stderr: bytes) -> str:
    lines = [line.strip() for line in stderr.decode("utf-8", "replace").splitlines() if line.strip()]
    return lines[-1] if lines else ""
