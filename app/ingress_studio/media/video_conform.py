"""Any decoded picture → the profile's size (aspect kept, padded), frame rate and pixel format."""

from __future__ import annotations

from fractions import Fraction

import av
import av.filter

from ingress_studio.domain.encoding_presets import VideoProfile

TIME_BASE = Fraction(1, 90_000)  # what frames are stamped in before the fps filter


class VideoConformer:
    """Feeds frames stamped with timeline seconds; yields frames at the profile's constant rate."""

    def __init__(self, profile: VideoProfile) -> None:
        self.profile = profile
        self._graph: av.filter.Graph | None = None
        self._input_key: tuple[int, int, str] | None = None
        self._last_index = -1  # output frame number last handed out
        self._passthrough_ok = True  # until a frame needs the filters, for this input format

    def _passthrough(self, frame: av.VideoFrame, timeline_s: float) -> av.VideoFrame | None:
        """A frame already of the profile's size and format, on the output's frame grid, needs no
        filtering (a 720p30 source for the 720p30 profile): skip the graph and its cost."""
        p = self.profile
        if not self._passthrough_ok or self._graph is not None:
            return None
        if (frame.width, frame.height, frame.format.name) != (p.width, p.height, "yuv420p"):
            self._passthrough_ok = False
            return None
        position = timeline_s * p.fps
        index = round(position)
        if abs(position - index) > 0.05 or index <= self._last_index:
            self._passthrough_ok = False  # variable or different frame rate: the fps filter decides
            return None
        frame.pts = index
        frame.time_base = Fraction(1, p.fps)
        self._last_index = index
        return frame

    def _build(self, frame: av.VideoFrame) -> av.filter.Graph:
        p = self.profile
        graph = av.filter.Graph()
        source = graph.add_buffer(width=frame.width, height=frame.height, format=frame.format, time_base=TIME_BASE)
        chain = [
            source,
            graph.add("scale", f"w={p.width}:h={p.height}:force_original_aspect_ratio=decrease:flags=bilinear"),
            graph.add("pad", f"w={p.width}:h={p.height}:x=(ow-iw)/2:y=(oh-ih)/2:color=black"),
            graph.add("setsar", "1"),
            graph.add("fps", f"fps={p.fps}:round=near"),
            graph.add("format", "yuv420p"),
            graph.add("buffersink"),
        ]
        graph.link_nodes(*chain).configure()
        return graph

    def push(self, frame: av.VideoFrame, timeline_s: float) -> list[av.VideoFrame]:
        direct = self._passthrough(frame, timeline_s)
        if direct is not None:
            return [direct]
        key = (frame.width, frame.height, frame.format.name)
        if self._graph is None or key != self._input_key:
            # A new size or format (the next file of a playlist): drain the old graph, build a new one.
            drained = self.flush() if self._graph is not None else []
            self._passthrough_ok = False
            self._graph = self._build(frame)
            self._input_key = key
        else:
            drained = []
        frame.pts = round(timeline_s / TIME_BASE)
        frame.time_base = TIME_BASE
        self._graph.push(frame)
        return drained + self._pull()

    def _pull(self) -> list[av.VideoFrame]:
        out: list[av.VideoFrame] = []
        assert self._graph is not None
        while True:
            try:
                frame = self._graph.pull()
            except (BlockingIOError, av.error.EOFError):
                return out
            assert isinstance(frame, av.VideoFrame)
            if frame.pts is not None:
                if frame.pts <= self._last_index:
                    continue  # the fps filter restarting after passthrough frames: never go back
                self._last_index = frame.pts
            out.append(frame)

    def flush(self) -> list[av.VideoFrame]:
        if self._graph is None:
            return []
        self._graph.push(None)
        frames = self._pull()
        self._graph = None
        self._input_key = None
        return frames
