"""An InputReader over files, as the pipeline makes one, for tests of the reader on its own."""

from __future__ import annotations

import threading

from ingress_studio.media.inputs import open_input
from ingress_studio.media.reader import InputReader
from ingress_studio.media.source_spec import parse_source
from ingress_studio.media.stats import JobStats


def reader_of(names: list[str], stats: JobStats, start_s: float = 0.0) -> InputReader:
    playlist = [parse_source(name) for name in names]
    first = open_input(playlist[0], want_video=True, want_audio=False)
    durations = [first.duration_s]
    for spec in playlist[1:]:
        opened = open_input(spec, want_video=True, want_audio=False)
        durations.append(opened.duration_s)
        opened.close()
    resume = threading.Event()
    resume.set()
    return InputReader(
        playlist,
        first,
        decode=True,
        want_video=True,
        want_audio=False,
        resume=resume,
        stats=stats,
        durations=durations,
        loop=False,
        start_s=start_s,
        duration_s=None,
    )
