"""The plan's steps in words: what the push's conformers (media.video_conform, media.audio_conform) do to a
source for given encoder settings. Read off the same numbers they use, so the words match what is sent."""

from __future__ import annotations

from ingress_studio.media.profiles import AUDIO_SAMPLE_RATE, EncoderSettings
from ingress_studio.media.source_facts import AudioFacts, VideoFacts

FPS_TOLERANCE = 0.01  # 29.97 is not 30: the fps filter drops or repeats frames for it
CHANNEL_WORDS = {1: "mono", 2: "stereo"}


def _kilohertz(rate: int) -> str:
    return f"{rate / 1000:g} kHz"


def _channels(count: int) -> str:
    return CHANNEL_WORDS.get(count, f"{count} channels")


def _size(width: int, height: int) -> str:
    return f"{width}x{height}"


def video_steps(video: VideoFacts | None, still: bool, settings: EncoderSettings) -> list[str]:
    profile = settings.video
    target = _size(profile.width, profile.height)
    if video is None:
        return ["No picture: only sound is sent."]
    source = _size(video.width, video.height)
    if (video.width, video.height) == (profile.width, profile.height):
        steps = [f"Picture kept at {target}."]
    elif video.width * profile.height == video.height * profile.width:
        steps = [f"Picture scaled from {source} to {target}."]
    else:
        steps = [f"Picture scaled from {source} to fit {target}, with black bars to keep its shape."]
    if still:
        steps.append(f"The still picture is held on screen as {profile.fps} fps video.")
    elif video.fps is None:
        steps.append(f"Frame rate set to {profile.fps} fps (the source's rate is not known).")
    elif abs(video.fps - profile.fps) <= FPS_TOLERANCE:
        steps.append(f"Frame rate kept at {profile.fps} fps.")
    else:
        steps.append(f"Frame rate changed from {round(video.fps, 2):g} to {profile.fps} fps.")
    return steps


def audio_steps(audio: AudioFacts | None, settings: EncoderSettings, *, silent_track: bool) -> list[str]:
    """`silent_track`: a source without sound gets a silent track (when no other source gives the sound)."""
    if audio is None:
        return ["A silent audio track is added: the source has no sound."] if silent_track else []
    steps = []
    if audio.sample_rate != AUDIO_SAMPLE_RATE:
        steps.append(f"Audio resampled from {_kilohertz(audio.sample_rate)} to {_kilohertz(AUDIO_SAMPLE_RATE)}.")
    else:
        steps.append(f"Audio kept at {_kilohertz(AUDIO_SAMPLE_RATE)}.")
    wanted = settings.audio_channels
    if audio.channels != wanted:
        steps.append(f"Audio channels mixed from {_channels(audio.channels)} to {_channels(wanted)}.")
    return steps


def remux_step(video: VideoFacts, audio: AudioFacts) -> str:
    return f"Sent unchanged: {video.describe()} and {audio.describe()}."
