"""What to probe and for which target, and the `ingress-studio probe … --json` command line that asks it.

No stream key is ever part of it: a process list shows every argument, and the probe never connects, so it
needs none. The window passes the ingress's kind, base URL and expected profile (domain.ingress_profile)
instead of `--ingress`, which would need the project's API secret on the command line or a lookup of its own.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from ingress_studio.children.program import ingress_studio_command
from ingress_studio.domain.ingress_profile import IngressProfile


@dataclass(frozen=True)
class ProbeRequest:
    sources: tuple[str, ...]  # as `push` takes them: files (several = a playlist), URLs, test:, camera:…
    kind: Literal["rtmp", "whip"]
    url: str  # the server's base URL, without the stream key
    audio: str | None = None  # audio from another source
    loop: bool = False
    profile: str | None = None  # an encoding_presets.VIDEO_PROFILES name; None = the engine's default
    audio_profile: str | None = None  # an AUDIO_PROFILES name
    transcode: bool = False  # never remux
    bypass_transcoding: bool = False  # WHIP: the ingress forwards media to viewers as it is
    open_timeout: float | None = None  # seconds to wait for a URL source to answer; None = the probe's default
    video_bitrate: int | None = None  # kbps; None = the profile's
    keyframe_interval: float | None = None  # seconds; None = the target kind's
    x264_preset: str | None = None
    stamp_clock: bool = False  # the push would draw the clock stamp: it transcodes

    @classmethod
    def for_ingress(
        cls,
        sources: tuple[str, ...],
        ingress: IngressProfile,
        *,
        audio: str | None = None,
        loop: bool = False,
        transcode: bool = False,
    ) -> ProbeRequest:
        """The probe for pushing these sources to the ingress with the profile it expects."""
        return cls(
            sources,
            ingress.kind,
            ingress.url,
            audio=audio,
            loop=loop,
            profile=ingress.video_profile,
            audio_profile=ingress.audio_profile,
            transcode=transcode,
            bypass_transcoding=not ingress.transcoded,
        )

    def command(self) -> list[str]:
        # --name=value: a value that starts with "-" stays a value
        command = [*ingress_studio_command(), "probe", "--json", f"--{self.kind}={self.url}"]
        if self.audio is not None:
            command.append(f"--audio={self.audio}")
        if self.profile is not None:
            command += ["--profile", self.profile]
        if self.audio_profile is not None:
            command += ["--audio-profile", self.audio_profile]
        if self.open_timeout is not None:
            command += ["--open-timeout", f"{self.open_timeout:g}"]
        if self.video_bitrate is not None:
            command += ["--video-bitrate", str(self.video_bitrate)]
        if self.keyframe_interval is not None:
            command += ["--keyframe-interval", f"{self.keyframe_interval:g}"]
        if self.x264_preset is not None:
            command += ["--x264-preset", self.x264_preset]
        flags = {
            "--loop": self.loop,
            "--transcode": self.transcode,
            "--bypass-transcoding": self.bypass_transcoding,
            "--stamp-clock": self.stamp_clock,
        }
        command += [flag for flag, wanted in flags.items() if wanted]
        return [*command, "--", *self.sources]  # after "--", a file named "-x.mp4" is a source, not an option
