"""The clock stamp: the wall-clock time a picture was captured, drawn into the picture itself.

The format is an interface (tools outside the project read it): the low 32 bits of the Unix time in
milliseconds, as 32 square blocks along the top edge, block side = picture width // 32, bit 31 leftmost,
white (luma ≥ 200) for 1 and black (luma ≤ 50) for 0. It lives in the pixels, so it survives any
transcoding and measures the whole path, capture to viewer; the clocks of both ends must agree (on one
machine they do; across machines, sync them with NTP or PTP).

Reading takes the mean luma of the inner half of each block and thresholds it at 128; blocks that are
neither clearly white nor clearly black, or not flat, mean there is no stamp, and so does a top edge all
black or all white (a dark picture, a letterbox bar). A picture scaled after the
stamp was drawn (a simulcast layer, a smaller preview) is read too: when the blocks are not where this
picture's own width puts them, they are looked for where a proportional scale puts them.
"""

from __future__ import annotations

import av
import numpy
import numpy.typing

from ingress_studio.media.wall_clock import BITS, WRAP

WHITE_LUMA = 235  # video-range white and black: both stay inside the spec's bounds in any range conversion
BLACK_LUMA = 16
NEUTRAL_CHROMA = 128
THRESHOLD = 128
# After lossy coding a block is no longer exactly 235 or 16: these are "clearly" white or black.
CLEARLY_WHITE = 160
CLEARLY_BLACK = 96
MAX_SPREAD = 48  # standard deviation inside a block above which it is not a flat block but picture
MIN_BLOCK_SIDE = 2

LumaPlane = numpy.typing.NDArray[numpy.uint8]

# Planar YUV formats whose first plane is luma; the stamp is drawn on them in place.
_PLANAR_YUV = {"yuv420p", "yuvj420p", "yuv422p", "yuvj422p", "yuv444p", "yuvj444p", "nv12", "nv21"}


def block_side(width: int) -> int:
    return width // BITS


def draw_on_luma(luma: LumaPlane, stamp: int) -> None:
    """Draw `stamp` (0 ≤ stamp < 2**32) on a luma plane (rows by columns, uint8), in place."""
    side = block_side(luma.shape[1])
    if side < MIN_BLOCK_SIDE or luma.shape[0] < side:
        return  # too small a picture to carry a readable stamp
    for bit in range(BITS):
        value = WHITE_LUMA if (stamp >> (BITS - 1 - bit)) & 1 else BLACK_LUMA
        luma[:side, bit * side : (bit + 1) * side] = value


def read_luma(luma: LumaPlane) -> int | None:
    """The stamp on a luma plane, or None when the picture carries none."""
    width = luma.shape[1]
    native = block_side(width)
    found = _read_at(luma, float(native))
    if found is None and width % BITS:
        found = _read_at(luma, width / BITS)  # drawn at a width divisible by 32, then scaled to this one
    if found in (0, WRAP - 1):
        return None  # a black or white top edge (a dark picture, a letterbox), not a stamp: costs 2 ms in 49 days
    return found


def _read_at(luma: LumaPlane, pitch: float) -> int | None:
    if pitch < MIN_BLOCK_SIDE or luma.shape[0] < pitch:
        return None
    inset = pitch / 4  # the inner half: block edges blur in coding and scaling
    top, bottom = round(inset), max(round(pitch - inset), round(inset) + 1)
    stamp = 0
    for bit in range(BITS):
        left = round(bit * pitch + inset)
        right = max(round((bit + 1) * pitch - inset), left + 1)
        inner = luma[top:bottom, left:right]
        mean = float(inner.mean())
        if CLEARLY_BLACK < mean < CLEARLY_WHITE or float(inner.std()) > MAX_SPREAD:
            return None
        stamp = (stamp << 1) | (1 if mean >= THRESHOLD else 0)
    return stamp


def _plane_array(frame: av.VideoFrame, index: int) -> LumaPlane:
    """A writable view of one plane, without its row padding."""
    plane = frame.planes[index]
    rows = numpy.frombuffer(memoryview(plane), dtype=numpy.uint8).reshape(plane.height, plane.line_size)
    return rows[:, : plane.width]


def draw(frame: av.VideoFrame, stamp: int) -> av.VideoFrame:
    """The frame with the stamp drawn on it: in place on planar YUV (made writable first, because a
    decoder may still be using the picture's memory), or on a yuv420p copy of anything else."""
    if frame.format.name not in _PLANAR_YUV:
        frame = _reformatted(frame)
    else:
        frame.make_writable()
    luma = _plane_array(frame, 0)
    draw_on_luma(luma, stamp)
    side = block_side(frame.width)
    if side >= MIN_BLOCK_SIDE and frame.format.name not in ("nv12", "nv21"):
        # neutral chroma under the blocks: a colourful picture beneath would tint them, and a tinted
        # white clips in RGB, where some readers compute luma
        for index in (1, 2):
            chroma = _plane_array(frame, index)
            sx = chroma.shape[1] / frame.width
            sy = chroma.shape[0] / frame.height
            chroma[: max(1, round(side * sy)), : round(side * BITS * sx)] = NEUTRAL_CHROMA
    return frame


def _reformatted(frame: av.VideoFrame) -> av.VideoFrame:
    copy = frame.reformat(format="yuv420p")
    copy.pts = frame.pts
    if frame.time_base is not None:
        copy.time_base = frame.time_base
    copy.opaque = frame.opaque
    return copy


def read(frame: av.VideoFrame) -> int | None:
    """The stamp on a decoded picture of any format, or None."""
    if frame.format.name in _PLANAR_YUV:
        return read_luma(_plane_array(frame, 0))
    return read_luma(frame.to_ndarray(format="gray").astype(numpy.uint8, copy=False))


def luma_of_rgb(pixels: numpy.typing.NDArray[numpy.uint8]) -> LumaPlane:
    """BT.601 video-range luma of rows by columns of RGB or RGBA pixels, enough for reading a stamp."""
    rgb = pixels[..., :3].astype(numpy.float32)
    luma = 16 + (65.738 * rgb[..., 0] + 129.057 * rgb[..., 1] + 25.064 * rgb[..., 2]) / 256
    clipped: LumaPlane = numpy.clip(luma, 0, 255).astype(numpy.uint8)
    return clipped
