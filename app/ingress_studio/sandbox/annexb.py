"""H.264 from RTMP (AVCC: length-prefixed NAL units, parameter sets in the avcC record) → Annex-B for RTP.

WebRTC receivers need the parameter sets in band: each IDR picture gets the SPS/PPS of the avcC record in
front of it unless it carries its own.
"""

from __future__ import annotations

from dataclasses import dataclass

START_CODE = b"\x00\x00\x00\x01"
NAL_IDR = 5
NAL_SPS = 7


class AvccError(ValueError):
    """The avcC record or a packet is not what ISO 14496-15 describes."""


@dataclass(frozen=True)
class AvcConfig:
    length_size: int
    parameter_sets: bytes  # SPS then PPS NAL units, Annex-B


def parse_avcc(record: bytes) -> AvcConfig:
    """The NAL length size and the parameter sets of an AVCDecoderConfigurationRecord."""
    if len(record) < 7 or record[0] != 1:
        raise AvccError("not an avcC record")
    length_size = (record[4] & 0x03) + 1
    units: list[bytes] = []
    offset = 5
    for count_mask in (0x1F, 0xFF):  # first the SPS count (5 bits), then the PPS count (a byte)
        if offset >= len(record):
            raise AvccError("avcC record cut short")
        count = record[offset] & count_mask
        offset += 1
        for _ in range(count):
            size = int.from_bytes(record[offset : offset + 2], "big")
            unit = record[offset + 2 : offset + 2 + size]
            if len(unit) != size:
                raise AvccError("avcC record cut short")
            units.append(unit)
            offset += 2 + size
    return AvcConfig(length_size, b"".join(START_CODE + unit for unit in units))


def nal_units(data: bytes, length_size: int) -> list[bytes]:
    units = []
    offset = 0
    while offset + length_size <= len(data):
        size = int.from_bytes(data[offset : offset + length_size], "big")
        offset += length_size
        if size == 0 or offset + size > len(data):
            raise AvccError("a NAL unit length runs past the packet")
        units.append(data[offset : offset + size])
        offset += size
    return units


def to_annexb(data: bytes, config: AvcConfig) -> tuple[bytes, bool]:
    """The packet in Annex-B, with parameter sets before an IDR; and whether it holds an IDR picture."""
    units = nal_units(data, config.length_size)
    types = {unit[0] & 0x1F for unit in units}
    idr = NAL_IDR in types
    prefix = config.parameter_sets if idr and NAL_SPS not in types else b""
    return prefix + b"".join(START_CODE + unit for unit in units), idr
