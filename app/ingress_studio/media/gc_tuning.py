"""Keep Python's cycle collector out of the media path.

A push allocates thousands of short-lived objects a second (frames, packets, timestamps); none form
reference cycles, so reference counting frees them, but each allocation still counts towards the
cycle collector's thresholds, and its full passes walk every long-lived object the imports created.
Measured with py-spy on a 720p30 transcode, collection was the largest cost of push's own code.
"""

from __future__ import annotations

import gc

# Young-generation threshold: ~100x the default, so a collection runs every few seconds, not many
# times a second; older generations keep their default ratios.
YOUNG_THRESHOLD = 100_000


def tune_gc_for_streaming() -> None:
    """Call once, after start-up imports and before media starts flowing."""
    gc.collect()
    gc.freeze()  # what exists now (modules, classes, descriptors) lives on: never scan it again
    _, middle, old = gc.get_threshold()
    gc.set_threshold(YOUNG_THRESHOLD, middle, old)
