"""The self-test's round trip through the real programs: the sandbox on free ports with a throw-away data
folder, an RTMP and a WHIP ingress made through the Ingress API, a few seconds of test pattern pushed to
each by `push`, their state seen going ENDPOINT_PUBLISHING then ENDPOINT_INACTIVE, and the `watcher` in
the room seeing a picture of the RTMP push. Every child is this program again (children/program.py).

Each step has a time bound, within the whole run's; whatever happens — a failure, a timeout, Ctrl-C (the
task is cancelled) — everything started is stopped before `run` returns.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import TypeVar

from livekit.protocol import ingress as ingress_pb

from ingress_studio.api.client import IngressClient
from ingress_studio.api.viewer_token import viewer_token
from ingress_studio.children.exits import ChildExit, CleanExit
from ingress_studio.children.sandbox_client import SandboxClient
from ingress_studio.children.sandbox_messages import SandboxReady
from ingress_studio.children.watch_client import WatchClient
from ingress_studio.children.watch_commands import WatchRoom
from ingress_studio.children.watch_events import EndReason, RoomConnection, RoomState, WatchEnded, WatchStats
from ingress_studio.commands.self_test_modules import exception_sentence
from ingress_studio.commands.self_test_push import PushChild
from ingress_studio.commands.self_test_report import SelfTestReport
from ingress_studio.config.project import SANDBOX_API_SECRET, Project, ProjectSource
from ingress_studio.user_error import UserError

T = TypeVar("T")
Status = ingress_pb.IngressState.Status

PUSH_SECONDS = 3.0
POLL_S = 0.25
SANDBOX_START_S = 30.0  # SandboxClient's own bound on its ready line
CREATE_S = 10.0
WATCHER_JOIN_S = 30.0  # the first start loads the SDK's library, numpy and PyAV
PUSH_S = 30.0  # start (PyAV, x264), the push, INACTIVE after it
INACTIVE_AFTER_S = 10.0
PICTURE_AFTER_S = 5.0  # after the push ended: the stats of its last second come once a second
STOP_S = 10.0
ROOM = "ingress-studio-self-test"
INPUTS = {"RTMP": ingress_pb.RTMP_INPUT, "WHIP": ingress_pb.WHIP_INPUT}


class NotRun(Exception):
    """A step failed (its line is printed): the steps that need it are not run."""


class MachineCannot(Exception):
    """This machine, not the installation, keeps a step from running (its warning is printed)."""


class LiveRoundTrip:
    def __init__(self, report: SelfTestReport, data_dir: Path, deadline: float) -> None:
        self.report = report
        self.data_dir = data_dir
        self.deadline = deadline  # time.monotonic() by which every step must be done
        self.sandbox = SandboxClient(data_dir=data_dir)
        self.watcher: WatchClient | None = None
        self.pushes: list[PushChild] = []
        self.picture_task: asyncio.Task[str] | None = None

    def child_pids(self) -> list[int]:
        """Every child still running (for the last-resort watchdog)."""
        children = [self.sandbox.pid, self.watcher.pid if self.watcher else None, *(p.pid for p in self.pushes)]
        return [pid for pid in children if pid is not None]

    async def run(self) -> None:
        try:
            await self._run()
        except NotRun:
            pass
        finally:
            await asyncio.shield(self._stop_everything())

    async def _step(self, name: str, bound_s: float, work: Callable[[], Awaitable[T]]) -> T:
        """`work` within its bound; a failure is the step's FAILED line, then NotRun."""
        limit = max(0.0, min(bound_s, self.deadline - time.monotonic()))
        try:
            async with asyncio.timeout(limit):
                return await work()
        except TimeoutError:
            self.report.failed(name, f"did not finish within {round(limit, 1):g} s")
        except UserError as exc:
            self.report.failed(name, exc.message)
        except (NotRun, MachineCannot):
            raise
        except Exception as exc:
            self.report.failed(name, exception_sentence(exc))
        raise NotRun

    async def _run(self) -> None:
        ready = await self._step("sandbox", SANDBOX_START_S, self._start_sandbox)
        project = Project("Self-test sandbox", ready.api_url, ready.api_key, SANDBOX_API_SECRET, ProjectSource.SANDBOX)
        async with IngressClient(project) as client:
            rtmp = await self._step("RTMP ingress", CREATE_S, lambda: self._create(client, "RTMP"))
            whip = await self._step("WHIP ingress", CREATE_S, lambda: self._create(client, "WHIP"))
            watching = await self._join_room(project, rtmp)
            with contextlib.suppress(NotRun):
                await self._step("RTMP push", PUSH_S, lambda: self._push(client, rtmp, "RTMP push"))
            if watching is not None:
                with contextlib.suppress(NotRun):
                    await self._step("room picture", PICTURE_AFTER_S + 1, lambda: self._picture(watching))
            await self._step("WHIP push", PUSH_S, lambda: self._push(client, whip, "WHIP push"))

    async def _start_sandbox(self) -> SandboxReady:
        started = time.monotonic()
        ready = await self.sandbox.start((0, 0, 0))
        self.report.ok("sandbox", f"{ready.api_url}, version {ready.version} ({time.monotonic() - started:.1f} s)")
        return ready

    async def _create(self, client: IngressClient, kind: str) -> ingress_pb.IngressInfo:
        request = ingress_pb.CreateIngressRequest(
            input_type=INPUTS[kind],
            name=f"self-test {kind}",
            room_name=ROOM,
            participant_identity=f"test-pattern-{kind.lower()}",
            participant_name=f"Test pattern ({kind})",
        )
        info = await client.create(request)
        self.report.ok(f"{kind} ingress", f"{info.ingress_id} at {info.url}")
        return info

    async def _join_room(self, project: Project, info: ingress_pb.IngressInfo) -> asyncio.Task[str] | None:
        """The watcher in the ingress's room; then the task that waits for its first picture (its detail)."""
        try:
            await self._step("room watcher", WATCHER_JOIN_S, lambda: self._join(project, info))
        except (NotRun, MachineCannot):
            return None
        assert self.watcher is not None
        self.picture_task = asyncio.create_task(self._first_picture(self.watcher), name="self-test-first-picture")
        return self.picture_task

    async def _join(self, project: Project, info: ingress_pb.IngressInfo) -> None:
        started = time.monotonic()
        self.watcher = await WatchClient.start()
        assert project.api_secret is not None
        token = viewer_token(project.api_key, project.api_secret, info.room_name)
        await self.watcher.send(WatchRoom(project.url, token, info.participant_identity, preview=False))
        while True:
            event = await self.watcher.next_event()
            if isinstance(event, RoomState) and event.state is RoomConnection.CONNECTED:
                self.report.ok(
                    "room watcher", f"joined {info.room_name} as a hidden viewer ({time.monotonic() - started:.1f} s)"
                )
                return
            if isinstance(event, WatchEnded):
                if event.reason is EndReason.NO_ICE:  # a machine with loopback alone: WebRTC cannot connect here
                    self.report.warning("room watcher", f"not run: {event.message}")
                    raise MachineCannot
                raise UserError(event.message or f"the watcher left the room ({event.reason.value})")
            if isinstance(event, ChildExit):
                raise UserError(event.sentence)

    async def _first_picture(self, watcher: WatchClient) -> str:
        """Reads the watcher's events until its stats count a decoded picture; that picture's words."""
        while True:
            event = await watcher.next_event()
            if isinstance(event, WatchStats) and event.video is not None and event.video.frames > 0:
                video = event.video
                first = f" {event.first_frame_s:.1f} s after the join" if event.first_frame_s is not None else ""
                return f"{video.frames} pictures of {video.width}x{video.height} received, the first{first}"
            if isinstance(event, WatchEnded):
                raise UserError(event.message or f"the watcher left the room ({event.reason.value})")
            if isinstance(event, ChildExit):
                raise UserError(event.sentence)

    async def _picture(self, watching: asyncio.Task[str]) -> None:
        done, _ = await asyncio.wait({watching}, timeout=PICTURE_AFTER_S)
        if not done:
            watching.cancel()
            raise UserError(
                f"no picture of the RTMP push reached the room watcher ({PICTURE_AFTER_S:g} s after its end)"
            )
        self.report.ok("room picture", watching.result())

    async def _status(self, client: IngressClient, ingress_id: str) -> int:
        [info] = await client.list(ingress_id=ingress_id)
        return info.state.status

    async def _push(self, client: IngressClient, info: ingress_pb.IngressInfo, name: str) -> None:
        started = time.monotonic()
        push = await PushChild.start(info.ingress_id, client.project.url, PUSH_SECONDS)
        self.pushes.append(push)
        publishing_after: float | None = None
        last: int = Status.ENDPOINT_INACTIVE
        while push.running:
            last = await self._status(client, info.ingress_id)
            if last == Status.ENDPOINT_PUBLISHING and publishing_after is None:
                publishing_after = time.monotonic() - started
            await asyncio.sleep(POLL_S)
        ended = await push.wait(STOP_S)
        ended_at = time.monotonic()
        if ended.code is None:
            raise UserError(f"the push did not end by itself: {ended.last_words}")
        if ended.code != 0:
            raise UserError(f"the push stopped with exit code {ended.code}: {ended.last_words or 'it said nothing'}")
        if publishing_after is None:
            raise UserError(
                f"the ingress never showed ENDPOINT_PUBLISHING while the push ran (it showed {Status.Name(last)})"
            )
        while (last := await self._status(client, info.ingress_id)) != Status.ENDPOINT_INACTIVE:
            if time.monotonic() - ended_at > INACTIVE_AFTER_S:
                raise UserError(
                    f"the ingress still showed {Status.Name(last)} {INACTIVE_AFTER_S:.0f} s after the push ended"
                )
            await asyncio.sleep(POLL_S)
        inactive_after = time.monotonic() - ended_at
        self.report.ok(
            name,
            f"ENDPOINT_PUBLISHING {publishing_after:.1f} s after the start, ENDPOINT_INACTIVE {inactive_after:.1f} s "
            f"after the end; {ended.bytes_sent / 1000:.0f} kB in {PUSH_SECONDS:g} s",
        )

    async def _stop_everything(self) -> None:
        started = time.monotonic()
        if self.picture_task is not None:
            self.picture_task.cancel()
            await asyncio.gather(self.picture_task, return_exceptions=True)  # its failure, if any, was reported
        for push in self.pushes:
            await push.stop()
        exits = [await self.watcher.close()] if self.watcher is not None else []
        sandbox_exit = await self.sandbox.stop()
        if sandbox_exit is None or self.sandbox.ready is None:
            return  # it did not start (its line says why): nothing else did
        problems = [e.sentence for e in [*exits, sandbox_exit] if not isinstance(e, CleanExit)]
        if problems:
            self.report.failed("stop", " ".join(problems))
        else:
            self.report.ok("stop", f"the sandbox and every child stopped cleanly ({time.monotonic() - started:.1f} s)")
