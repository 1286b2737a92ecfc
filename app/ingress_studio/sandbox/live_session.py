"""One live session: a publish or a URL pull, with its meter, its preview of what arrived, and its room feed."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field

from livekit.protocol import ingress as ingress_pb
from livekit.protocol import models as models_pb

from ingress_studio.sandbox.arrival_preview import ArrivalPreview
from ingress_studio.sandbox.ids import random_id
from ingress_studio.sandbox.input_meter import InputMeter
from ingress_studio.sandbox.room_feed import RoomFeed

Input = ingress_pb.IngressInput
READY_WITHOUT_SECOND_TRACK_S = 2.0  # a one-track stream is publishing once this passed


@dataclass
class LiveSession:
    info: ingress_pb.IngressInfo  # as it was when the session started
    resource_id: str
    close_transport: Callable[[], None]
    meter: InputMeter = field(default_factory=InputMeter)
    preview: ArrivalPreview = field(init=False)
    feed: RoomFeed = field(init=False)  # what the room's viewers get
    participant_sid: str = field(default_factory=lambda: random_id("PA_"))  # the ingress's in its room
    tracks: list[models_pb.TrackInfo] = field(default_factory=list)  # as in IngressState.tracks once publishing
    started: float = field(default_factory=time.monotonic)
    connected: bool = False  # WHIP: the peer connection is up
    negotiated_kinds: tuple[str, ...] = ()  # WHIP: the tracks the SDP set up, known before media flows
    # WHIP: no connection tells when a publisher vanishes (a killed browser, a laptop off the network),
    # so media that stopped this long after it flowed ends the session normally.
    gone_after_silence_s: float | None = None
    publishing: bool = False
    ended: bool = False

    def __post_init__(self) -> None:
        self.preview = ArrivalPreview(self.meter, self.info.ingress_id)
        self.feed = RoomFeed(self.info.ingress_id)

    @property
    def ingress_id(self) -> str:
        return self.info.ingress_id

    def kinds(self) -> tuple[str, ...]:
        """The tracks this session carries: negotiated ones, else those whose packets arrived."""
        return self.negotiated_kinds or tuple(kind for kind in ("video", "audio") if self.meter.has_packets(kind))

    def ready(self) -> bool:
        """Whether the tracks exist: at once for WHIP without transcoding, else once decoded."""
        if self.info.input_type == Input.WHIP_INPUT and not self.info.enable_transcoding:
            return self.connected
        kinds = self.kinds()
        decoded = [kind for kind in kinds if self.meter.decoded(kind)]
        if not decoded:
            return False
        return len(decoded) == len(kinds) and (
            len(kinds) == 2 or time.monotonic() - self.started >= READY_WITHOUT_SECOND_TRACK_S
        )
