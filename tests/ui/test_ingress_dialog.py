"""The ingress form against a real sandbox: creates of every type, the server's messages inline before
sending, a failed save that keeps everything typed, edits that send only what changed, and Duplicate."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

import pytest
from livekit.protocol import ingress as ingress_pb
from livekit.protocol import models as models_pb
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QDialog, QLabel, QLineEdit, QWidget
from pytestqt.qtbot import QtBot

from ingress_studio.api.client import IngressClient
from ingress_studio.api.errors import ApiError
from ingress_studio.display.validation_messages import explain
from ingress_studio.ui.encoding_options_editor import EncodingMode, audio_preset_label, video_preset_label
from ingress_studio.ui.ingress_dialog import LIVE_WARNING, SAVING, IngressDialog
from ingress_studio.ui.ingress_form_fields import ALWAYS_TRANSCODED, ENCODING_NEEDS_TRANSCODING, WHIP_TRANSCODING_HINT
from support.sandbox_process import SandboxServer
from ui.conftest import Scenario, eventually

pytestmark = pytest.mark.gui

RTMP = ingress_pb.IngressInput.RTMP_INPUT
WHIP = ingress_pb.IngressInput.WHIP_INPUT
URL = ingress_pb.IngressInput.URL_INPUT
VideoPreset = ingress_pb.IngressVideoEncodingPreset
AudioPreset = ingress_pb.IngressAudioEncodingPreset
Quality = models_pb.VideoQuality


@pytest.fixture
def host(qtbot: QtBot) -> QWidget:
    """The window the dialogs open over, as in the app (the last window closing would stop the loop)."""
    window = QWidget()
    qtbot.addWidget(window)
    window.show()
    return window


def choose(combo: QComboBox, value: int) -> None:
    index = combo.findData(int(value))
    assert index >= 0, f"{value} not offered"
    combo.setCurrentIndex(index)


def fill_basics(dialog: IngressDialog, name: str, room: str = "studio", identity: str = "") -> None:
    dialog.name_edit.setText(name)
    dialog.room_edit.setText(room)
    dialog.identity_edit.setText(identity or name)


async def save(dialog: IngressDialog) -> ingress_pb.IngressInfo:
    """Click Save and wait for `saved`; the dialog must then be closed as accepted."""
    emitted: list[ingress_pb.IngressInfo] = []
    dialog.saved.connect(emitted.append)
    dialog.save_button.click()
    assert not dialog.field_error() and dialog.error_label.text() in ("", SAVING), shown_sentence(dialog)
    await eventually(lambda: bool(emitted) or shown_sentence(dialog) not in ("", SAVING), what="save")
    assert emitted, f"save failed: {shown_sentence(dialog)}"
    assert dialog.result_info == emitted[0]
    assert dialog.result() == QDialog.DialogCode.Accepted and not dialog.isVisible()
    return emitted[0]


async def stored(client: IngressClient, ingress_id: str) -> ingress_pb.IngressInfo:
    [info] = await client.list(ingress_id=ingress_id)
    return info


def show(qtbot: QtBot, dialog: IngressDialog) -> IngressDialog:
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def test_preset_labels_are_human() -> None:
    assert video_preset_label("H264_1080P_30FPS_3_LAYERS_HIGH_MOTION") == "1080p 30 fps, 3 layers (high motion)"
    assert video_preset_label("H264_720P_30FPS_1_LAYER") == "720p 30 fps, 1 layer"
    assert audio_preset_label("OPUS_MONO_64KBS") == "Opus mono, 64 kbps"
    assert audio_preset_label("OPUS_STEREO_96KBPS") == "Opus stereo, 96 kbps"


def test_create_rtmp_with_every_field(
    host: QWidget, qtbot: QtBot, run_on_qt_loop: Scenario, sandbox: SandboxServer
) -> None:
    async def scenario() -> None:
        async with IngressClient(sandbox.project()) as client:
            dialog = show(qtbot, IngressDialog.for_create(host, client.create))
            assert dialog.windowTitle() == "New ingress"
            assert dialog.type_combo.currentData() == RTMP and dialog.type_combo.isEnabled()
            assert not dialog.url_edit.isVisible() and not dialog.stream_key_edit.isVisible()
            assert dialog.transcoding_check.isChecked() and not dialog.transcoding_check.isEnabled()
            assert dialog.transcoding_reason_label.text() == ALWAYS_TRANSCODED
            assert not dialog.live_banner.isVisible() and not dialog.error_label.isVisible()

            fill_basics(dialog, "Studio cam", room="rtmp-room", identity="cam-1")
            dialog.participant_name_edit.setText("Camera one")
            dialog.metadata_edit.setPlainText('{"seat": 3}\nsecond line')
            dialog.audio_name_edit.setText("mic")
            choose(dialog.audio_source_combo, models_pb.TrackSource.MICROPHONE)
            choose(dialog.audio_mode_combo, EncodingMode.PRESET)
            choose(dialog.audio_preset_combo, AudioPreset.OPUS_MONO_64KBS)
            assert dialog.audio_preset_combo.currentText() == "Opus mono, 64 kbps"
            dialog.video_name_edit.setText("cam")
            choose(dialog.video_source_combo, models_pb.TrackSource.CAMERA)
            choose(dialog.video_mode_combo, EncodingMode.PRESET)
            choose(dialog.video_preset_combo, VideoPreset.H264_1080P_30FPS_3_LAYERS_HIGH_MOTION)
            assert dialog.video_preset_combo.currentText() == "1080p 30 fps, 3 layers (high motion)"

            emitted: list[ingress_pb.IngressInfo] = []
            dialog.saved.connect(emitted.append)
            dialog.save_button.click()
            # while the request is out: no second click, and it says so
            assert not dialog.save_button.isEnabled() and dialog.save_button.text() == SAVING
            await eventually(lambda: bool(emitted), what="saved")
            info = emitted[0]
            assert dialog.result_info == info and not dialog.isVisible()
            assert info.ingress_id.startswith("IN_") and info.stream_key and info.reusable
            assert info.input_type == RTMP and info.url.startswith("rtmp://")
            listed = await stored(client, info.ingress_id)
            for got in (info, listed):
                assert (got.name, got.room_name, got.participant_identity) == ("Studio cam", "rtmp-room", "cam-1")
                assert got.participant_name == "Camera one"
                assert got.participant_metadata == '{"seat": 3}\nsecond line'
                assert got.audio.name == "mic" and got.audio.source == models_pb.TrackSource.MICROPHONE
                assert got.audio.preset == AudioPreset.OPUS_MONO_64KBS
                assert got.video.name == "cam" and got.video.source == models_pb.TrackSource.CAMERA
                assert got.video.preset == VideoPreset.H264_1080P_30FPS_3_LAYERS_HIGH_MOTION
                assert got.enable_transcoding and got.enabled

    run_on_qt_loop(scenario())


def test_create_whip_without_then_with_transcoding(
    host: QWidget, qtbot: QtBot, run_on_qt_loop: Scenario, sandbox: SandboxServer
) -> None:
    async def scenario() -> None:
        async with IngressClient(sandbox.project()) as client:
            dialog = show(qtbot, IngressDialog.for_create(host, client.create, input_type=WHIP))
            assert dialog.type_combo.currentData() == WHIP
            # WHIP: transcoding is a choice, off by default, and encoding does not apply while it is off
            assert dialog.transcoding_check.isEnabled() and not dialog.transcoding_check.isChecked()
            assert dialog.transcoding_reason_label.text() == WHIP_TRANSCODING_HINT
            assert dialog.encoding_reason_label.isVisible()
            assert dialog.encoding_reason_label.text() == ENCODING_NEEDS_TRANSCODING
            assert not dialog.video_mode_combo.isEnabled() and not dialog.audio_mode_combo.isEnabled()
            assert dialog.video_name_edit.isEnabled()  # track name and source still apply
            # a preset chosen with transcoding on, then transcoding turned off: kept, greyed out, not sent
            dialog.transcoding_check.setChecked(True)
            assert dialog.video_mode_combo.isEnabled() and not dialog.encoding_reason_label.isVisible()
            choose(dialog.video_mode_combo, EncodingMode.PRESET)
            choose(dialog.video_preset_combo, VideoPreset.H264_720P_30FPS_1_LAYER)
            dialog.transcoding_check.setChecked(False)
            assert dialog.video_mode_combo.currentData() == EncodingMode.PRESET
            fill_basics(dialog, "whip-plain")
            dialog.video_name_edit.setText("screen")
            choose(dialog.video_source_combo, models_pb.TrackSource.SCREEN_SHARE)
            request = dialog.build_create_request()
            assert request.HasField("enable_transcoding") and not request.enable_transcoding
            assert request.video.WhichOneof("encoding_options") is None
            assert dialog.validate_now() == ""
            info = await save(dialog)
            assert info.input_type == WHIP and info.url.startswith("http") and info.stream_key
            assert not info.enable_transcoding
            assert info.video.name == "screen" and info.video.source == models_pb.TrackSource.SCREEN_SHARE
            assert info.video.WhichOneof("encoding_options") is None

            # Switching type away and back keeps WHIP's own transcoding choice.
            dialog = show(qtbot, IngressDialog.for_create(host, client.create, input_type=WHIP))
            dialog.transcoding_check.setChecked(True)
            choose(dialog.type_combo, RTMP)
            assert dialog.transcoding_check.isChecked() and not dialog.transcoding_check.isEnabled()
            choose(dialog.type_combo, WHIP)
            assert dialog.transcoding_check.isChecked() and dialog.transcoding_check.isEnabled()
            fill_basics(dialog, "whip-transcoded")
            choose(dialog.audio_mode_combo, EncodingMode.CUSTOM)
            choose(dialog.audio_codec_combo, models_pb.AudioCodec.OPUS)
            dialog.audio_bitrate_spin.setValue(80)
            dialog.audio_dtx_check.setChecked(False)
            choose(dialog.audio_channels_combo, 1)
            choose(dialog.video_mode_combo, EncodingMode.CUSTOM)
            choose(dialog.video_codec_combo, models_pb.VideoCodec.VP8)
            dialog.video_frame_rate_spin.setValue(25)
            dialog.video_group.add_layer(Quality.LOW, 640, 360, 400)
            dialog.video_group.add_layer(Quality.HIGH, 1280, 720, 1800)
            info = await save(dialog)
            listed = await stored(client, info.ingress_id)
            for got in (info, listed):
                assert got.enable_transcoding
                audio = got.audio.options
                assert (audio.audio_codec, audio.bitrate, audio.disable_dtx, audio.channels) == (
                    models_pb.AudioCodec.OPUS,
                    80_000,
                    True,
                    1,
                )
                video = got.video.options
                assert video.video_codec == models_pb.VideoCodec.VP8 and video.frame_rate == 25
                assert [(x.quality, x.width, x.height, x.bitrate) for x in video.layers] == [
                    (Quality.LOW, 640, 360, 400_000),
                    (Quality.HIGH, 1280, 720, 1_800_000),
                ]

    run_on_qt_loop(scenario())


def test_create_url(host: QWidget, qtbot: QtBot, run_on_qt_loop: Scenario, sandbox: SandboxServer) -> None:
    async def scenario() -> None:
        async with IngressClient(sandbox.project()) as client:
            dialog = show(qtbot, IngressDialog.for_create(host, client.create))
            choose(dialog.type_combo, URL)
            assert dialog.url_edit.isVisible() and not dialog.url_edit.isReadOnly()
            assert dialog.transcoding_check.isChecked() and not dialog.transcoding_check.isEnabled()
            assert dialog.transcoding_reason_label.text() == ALWAYS_TRANSCODED
            dialog.url_edit.setText("  https://x.test/clip.mp4 ")
            fill_basics(dialog, "pulled", room="url-room")
            info = await save(dialog)
            assert info.input_type == URL and info.url == "https://x.test/clip.mp4"
            assert not info.reusable and not info.stream_key
            listed = await stored(client, info.ingress_id)
            assert (listed.name, listed.room_name, listed.url) == ("pulled", "url-room", "https://x.test/clip.mp4")

    run_on_qt_loop(scenario())


def shown_sentence(dialog: IngressDialog) -> str:
    return dialog.field_error() or (dialog.error_label.text() if dialog.error_label.isVisible() else "")


def shown_tooltip(dialog: IngressDialog) -> str:
    labels = [label for label in dialog.findChildren(QLabel) if label.isVisible() and label.text()]
    return " ".join(label.toolTip() for label in labels if label.text() == shown_sentence(dialog))


def test_server_messages_shown_inline_before_sending(host: QWidget, qtbot: QtBot) -> None:
    sent: list[ingress_pb.CreateIngressRequest] = []

    async def submit(request: ingress_pb.CreateIngressRequest) -> ingress_pb.IngressInfo:
        sent.append(request)
        raise AssertionError("an invalid form must not be sent")

    dialog = show(qtbot, IngressDialog.for_create(host, submit))
    assert not dialog.error_label.isVisible()  # nothing said before the user does anything

    def shows(expected: str) -> None:
        """validate_now gives the server's words; the form shows a person's sentence, the words in a tooltip."""
        assert dialog.validate_now() == expected
        assert shown_sentence(dialog) == (explain(expected).sentence if expected else "")
        if expected:
            assert shown_sentence(dialog) != expected, "the server's raw words are shown"
            assert expected in shown_tooltip(dialog)

    choose(dialog.type_combo, URL)
    shows("invalid ingress: missing URL parameter")
    assert dialog.invalid_widget is dialog.url_edit
    dialog.url_edit.setText("ftp://x.test/a.mp4")
    shows("invalid ingress: invalid url scheme ftp")
    dialog.url_edit.setText("https://x.test/a.mp4")
    shows("invalid ingress: no room name")
    assert dialog.invalid_widget is dialog.room_edit
    dialog.room_edit.setText("r")
    shows("invalid ingress: no participant identity")
    assert dialog.invalid_widget is dialog.identity_edit
    dialog.identity_edit.setText("u")
    dialog.enabled_check.setChecked(False)
    shows("invalid ingress: disabled non reusable ingress")
    dialog.enabled_check.setChecked(True)
    shows("")
    assert not dialog.error_label.isVisible() and dialog.invalid_widget is None

    # Saving an invalid form shows the message, moves the focus there, sends nothing, and Save stays usable.
    dialog.identity_edit.clear()
    dialog.save_button.click()
    assert dialog.field_error() == "Enter a participant identity: the ingress joins the room as this participant."
    assert not dialog.error_label.isVisible()  # said at the field, not twice
    assert dialog.save_button.isEnabled() and dialog.isVisible() and not sent
    assert dialog.identity_edit.hasFocus() or not dialog.isActiveWindow()

    # Typing revalidates by itself after a short pause.
    dialog.identity_edit.setFocus()
    qtbot.keyClicks(dialog.identity_edit, "cam")
    qtbot.waitUntil(lambda: not dialog.field_error())
    assert dialog.identity_edit.text() == "cam"

    # Video layers, as the server checks them.
    choose(dialog.type_combo, RTMP)
    choose(dialog.video_mode_combo, EncodingMode.CUSTOM)
    low = dialog.video_group.add_layer(Quality.LOW, 641, 360)
    shows("invalid ingress: layer width must be even")
    assert dialog.invalid_widget is dialog.video_group
    dialog.video_group.width_spin(low).setValue(640)
    dialog.video_group.height_spin(low).setValue(361)
    shows("invalid ingress: layer height must be even")
    dialog.video_group.height_spin(low).setValue(0)
    shows("invalid video parameters: invalid output media dimensions")
    dialog.video_group.height_spin(low).setValue(360)
    shows("")
    high = dialog.video_group.add_layer()
    assert dialog.video_group.quality_combo(high).currentData() == Quality.MEDIUM  # next unused quality
    choose(dialog.video_group.quality_combo(high), Quality.LOW)
    shows("invalid video parameters: more than one layer with the same quality level")
    choose(dialog.video_group.quality_combo(high), Quality.HIGH)
    dialog.video_group.width_spin(high).setValue(1280)
    dialog.video_group.height_spin(high).setValue(180)
    shows("invalid video parameters: video layers do not have increasing height with increasing quality")
    dialog.video_group.height_spin(high).setValue(720)
    shows("")
    dialog.video_group.add_layer()
    assert dialog.video_group.layer_count() == 3 and not dialog.add_layer_button.isEnabled()  # one per quality
    dialog.video_group.remove_button(0).click()
    assert dialog.video_group.layer_count() == 2 and dialog.add_layer_button.isEnabled()
    assert [layer.quality for layer in dialog.video_group.layers()] == [Quality.HIGH, Quality.MEDIUM]
    shows("")
    # The form offers only what the server accepts for audio: 1 or 2 channels, Default or Opus.
    assert [dialog.audio_channels_combo.itemData(i) for i in range(dialog.audio_channels_combo.count())] == [0, 1, 2]
    assert not sent


def test_a_field_the_server_refuses_is_shown_at_that_field(
    host: QWidget, qtbot: QtBot, run_on_qt_loop: Scenario
) -> None:
    """A server with a rule the form does not know yet: its refusal still lands at the field it names.
    (The form mirrors every rule a real server has, so no real server refuses a form it let through:
    this submit stands in for a newer one.)"""

    async def submit(_request: ingress_pb.CreateIngressRequest) -> ingress_pb.IngressInfo:
        words = "invalid ingress: no participant identity"
        raise ApiError(f"The server refused the request: {words}.", code="invalid_argument", server_words=words)

    async def scenario() -> None:
        dialog = show(qtbot, IngressDialog.for_create(host, submit))
        fill_basics(dialog, "cam")
        dialog.save_button.click()
        await eventually(lambda: bool(dialog.field_error()), what="the refusal")
        assert dialog.field_error() == explain("invalid ingress: no participant identity").sentence
        assert dialog.invalid_widget is dialog.identity_edit and dialog.isVisible()

    run_on_qt_loop(scenario())


def test_server_error_stays_in_the_dialog(
    host: QWidget, qtbot: QtBot, run_on_qt_loop: Scenario, sandbox: SandboxServer
) -> None:
    async def scenario() -> None:
        async with IngressClient(sandbox.project(secret="not-the-secret")) as client:
            dialog = show(qtbot, IngressDialog.for_create(host, client.create))
            fill_basics(dialog, "refused", room="nope", identity="who")
            dialog.metadata_edit.setPlainText("kept")
            choose(dialog.video_mode_combo, EncodingMode.PRESET)
            dialog.save_button.click()
            assert dialog.save_button.text() == SAVING and not dialog.save_button.isEnabled()
            await eventually(lambda: dialog.save_button.isEnabled(), what="the failure")
        expected = (
            f"The server at {sandbox.url} rejected the API key or secret (401 Unauthorized). "
            "Check the project's API key and secret."
        )
        assert dialog.error_label.text() == expected and dialog.error_label.isVisible() == bool(expected)
        assert dialog.isVisible() and dialog.result_info is None and dialog.save_button.text() == "Save"
        assert (dialog.name_edit.text(), dialog.room_edit.text(), dialog.identity_edit.text()) == (
            "refused",
            "nope",
            "who",
        )
        assert dialog.metadata_edit.toPlainText() == "kept"
        assert dialog.video_mode_combo.currentData() == EncodingMode.PRESET
        assert dialog.name_edit.isEnabled() and dialog.video_mode_combo.isEnabled()

    run_on_qt_loop(scenario())


def test_edit_shows_fixed_fields_read_only_and_warns_when_live(
    host: QWidget, qtbot: QtBot, run_on_qt_loop: Scenario, sandbox: SandboxServer
) -> None:
    async def scenario() -> None:
        async with IngressClient(sandbox.project()) as client:
            info = await client.create(
                ingress_pb.CreateIngressRequest(
                    input_type=RTMP, name="on air", room_name="live-room", participant_identity="host"
                )
            )
            live = show(qtbot, IngressDialog.for_edit(host, info, client.update, live=True))
            assert live.windowTitle() == "Edit “on air”"
            assert live.live_banner.isVisible() and live.live_banner.text() == LIVE_WARNING
            assert not live.type_combo.isEnabled() and live.type_combo.currentData() == RTMP
            assert live.url_edit.isVisible() and live.url_edit.isReadOnly() and live.url_edit.text() == info.url
            assert live.stream_key_edit.isVisible() and live.stream_key_edit.isReadOnly()
            assert live.stream_key_edit.text() == info.stream_key
            assert live.stream_key_edit.echoMode() == QLineEdit.EchoMode.Password  # masked until shown
            live.show_key_button.click()
            assert live.stream_key_edit.echoMode() == QLineEdit.EchoMode.Normal
            assert live.transcoding_check.isChecked() and not live.transcoding_check.isEnabled()
            assert live.transcoding_reason_label.text() == ALWAYS_TRANSCODED
            assert (live.name_edit.text(), live.room_edit.text(), live.identity_edit.text()) == (
                "on air",
                "live-room",
                "host",
            )
            assert live.validate_now() == "" and not live.error_label.isVisible()
            live.reject()
            quiet = show(qtbot, IngressDialog.for_edit(host, info, client.update, live=False))
            assert not quiet.live_banner.isVisible()

    run_on_qt_loop(scenario())


def recording(
    submit: Callable[[ingress_pb.UpdateIngressRequest], Awaitable[ingress_pb.IngressInfo]],
    requests: list[ingress_pb.UpdateIngressRequest],
) -> Callable[[ingress_pb.UpdateIngressRequest], Awaitable[ingress_pb.IngressInfo]]:
    async def wrapped(request: ingress_pb.UpdateIngressRequest) -> ingress_pb.IngressInfo:
        copy = ingress_pb.UpdateIngressRequest()
        copy.CopyFrom(request)
        requests.append(copy)
        return await submit(request)

    return wrapped


def test_edit_round_trip_sends_only_changes(
    host: QWidget, qtbot: QtBot, run_on_qt_loop: Scenario, sandbox: SandboxServer
) -> None:
    async def scenario() -> None:
        async with IngressClient(sandbox.project()) as client:
            request = ingress_pb.CreateIngressRequest(
                input_type=RTMP, name="before", room_name="edit-room", participant_identity="ed"
            )
            request.audio.preset = AudioPreset.OPUS_MONO_64KBS
            info = await client.create(request)
            requests: list[ingress_pb.UpdateIngressRequest] = []
            dialog = show(qtbot, IngressDialog.for_edit(host, info, recording(client.update, requests), live=False))
            assert dialog.audio_mode_combo.currentData() == EncodingMode.PRESET
            assert dialog.audio_preset_combo.currentData() == AudioPreset.OPUS_MONO_64KBS
            dialog.name_edit.setText("after")
            dialog.room_edit.clear()  # the API cannot clear it: say so, and do not send it
            assert dialog.clear_hint_label.isVisible() and "Room" in dialog.clear_hint_label.text()
            assert "cannot clear" in dialog.clear_hint_label.text()
            choose(dialog.video_mode_combo, EncodingMode.CUSTOM)
            choose(dialog.video_codec_combo, models_pb.VideoCodec.H264_BASELINE)
            dialog.video_group.add_layer(Quality.MEDIUM, 960, 540, 1200)
            updated = await save(dialog)
            [sent] = requests
            assert sent.ingress_id == info.ingress_id and sent.name == "after" and sent.room_name == ""
            assert not sent.HasField("audio")  # unchanged options are not sent
            assert not sent.HasField("enabled") and not sent.HasField("enable_transcoding")
            assert sent.HasField("video")
            listed = await stored(client, info.ingress_id)
            for got in (updated, listed):
                assert (got.name, got.room_name, got.stream_key) == ("after", "edit-room", info.stream_key)
                assert got.audio.preset == AudioPreset.OPUS_MONO_64KBS
                assert got.video.options.video_codec == models_pb.VideoCodec.H264_BASELINE
                assert [(x.quality, x.width, x.height) for x in got.video.options.layers] == [
                    (Quality.MEDIUM, 960, 540)
                ]

            # Back to the server's default encoding and disabled: options cleared by sending them empty.
            requests.clear()
            dialog = show(qtbot, IngressDialog.for_edit(host, listed, recording(client.update, requests), live=False))
            assert dialog.video_group.layer_count() == 1
            choose(dialog.video_mode_combo, EncodingMode.SERVER_DEFAULT)
            dialog.enabled_check.setChecked(False)
            updated = await save(dialog)
            [sent] = requests
            assert sent.HasField("video") and sent.video.WhichOneof("encoding_options") is None
            assert sent.HasField("enabled") and not sent.enabled and not sent.name
            assert updated.video.WhichOneof("encoding_options") is None and not updated.enabled

    run_on_qt_loop(scenario())


def test_edit_whip_transcoding_on_with_preset_then_off(
    host: QWidget, qtbot: QtBot, run_on_qt_loop: Scenario, sandbox: SandboxServer
) -> None:
    async def scenario() -> None:
        async with IngressClient(sandbox.project()) as client:
            info = await client.create(
                ingress_pb.CreateIngressRequest(
                    input_type=WHIP, name="whip-edit", room_name="w", participant_identity="w"
                )
            )
            assert info.bypass_transcoding and not info.enable_transcoding
            dialog = show(qtbot, IngressDialog.for_edit(host, info, client.update, live=False))
            assert dialog.transcoding_check.isEnabled() and not dialog.transcoding_check.isChecked()
            dialog.transcoding_check.setChecked(True)
            choose(dialog.video_mode_combo, EncodingMode.PRESET)
            choose(dialog.video_preset_combo, VideoPreset.H264_540P_25FPS_2_LAYERS)
            assert dialog.validate_now() == ""
            on = await save(dialog)
            assert on.enable_transcoding and on.video.preset == VideoPreset.H264_540P_25FPS_2_LAYERS

            dialog = show(qtbot, IngressDialog.for_edit(host, on, client.update, live=False))
            assert dialog.video_mode_combo.currentData() == EncodingMode.PRESET
            dialog.transcoding_check.setChecked(False)
            assert not dialog.video_mode_combo.isEnabled()
            request = dialog.build_update_request()
            assert request.HasField("video") and request.video.WhichOneof("encoding_options") is None
            off = await save(dialog)
            assert not off.enable_transcoding and off.video.WhichOneof("encoding_options") is None
            assert (await stored(client, info.ingress_id)).enable_transcoding is False

    run_on_qt_loop(scenario())


def test_duplicate_prefills_every_field(
    host: QWidget, qtbot: QtBot, run_on_qt_loop: Scenario, sandbox: SandboxServer
) -> None:
    async def scenario() -> None:
        async with IngressClient(sandbox.project()) as client:
            request = ingress_pb.CreateIngressRequest(
                input_type=WHIP,
                name="original",
                room_name="dup-room",
                participant_identity="dup",
                participant_name="Dup",
                participant_metadata="meta",
                enable_transcoding=True,
                enabled=False,
            )
            request.audio.name = "voice"
            request.audio.options.audio_codec = models_pb.AudioCodec.OPUS
            request.audio.options.channels = 2
            request.video.source = models_pb.TrackSource.SCREEN_SHARE
            request.video.options.layers.add(quality=Quality.LOW, width=320, height=180, bitrate=300_000)
            request.video.options.layers.add(quality=Quality.HIGH, width=1920, height=1080, bitrate=4_000_000)
            original = await client.create(request)
            dialog = show(qtbot, IngressDialog.for_create(host, client.create, initial=original))
            assert dialog.windowTitle() == "New ingress" and dialog.type_combo.isEnabled()
            assert dialog.name_edit.text() == "original (copy)"
            assert dialog.type_combo.currentData() == WHIP and dialog.transcoding_check.isChecked()
            assert (dialog.room_edit.text(), dialog.identity_edit.text(), dialog.participant_name_edit.text()) == (
                "dup-room",
                "dup",
                "Dup",
            )
            assert dialog.metadata_edit.toPlainText() == "meta" and not dialog.enabled_check.isChecked()
            assert dialog.audio_mode_combo.currentData() == EncodingMode.CUSTOM
            assert dialog.audio_channels_combo.currentData() == 2
            assert dialog.video_source_combo.currentData() == models_pb.TrackSource.SCREEN_SHARE
            assert dialog.video_group.layers() == list(original.video.options.layers)
            copy = await save(dialog)
            assert copy.ingress_id != original.ingress_id and copy.stream_key != original.stream_key
            assert copy.name == "original (copy)"
            for field in ("room_name", "participant_identity", "participant_name", "participant_metadata"):
                assert getattr(copy, field) == getattr(original, field)
            assert copy.audio == original.audio and copy.video == original.video
            assert copy.enable_transcoding and not copy.enabled

    run_on_qt_loop(scenario())


def test_keyboard_saves(host: QWidget, qtbot: QtBot, run_on_qt_loop: Scenario) -> None:
    requests: list[ingress_pb.CreateIngressRequest] = []

    async def submit(request: ingress_pb.CreateIngressRequest) -> ingress_pb.IngressInfo:
        requests.append(request)
        return ingress_pb.IngressInfo(ingress_id="IN_keyboard", name=request.name)

    async def scenario() -> None:
        for key, modifier, target in (
            (Qt.Key.Key_Return, Qt.KeyboardModifier.NoModifier, "name_edit"),
            (Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier, "metadata_edit"),
        ):
            dialog = show(qtbot, IngressDialog.for_create(host, submit))
            dialog.activateWindow()
            qtbot.waitUntil(dialog.isActiveWindow)
            fill_basics(dialog, target)
            widget = getattr(dialog, target)
            widget.setFocus()
            qtbot.keyClick(widget, key, modifier)
            await eventually(lambda d=dialog: d.result_info is not None, what=f"save from {target}")
            assert requests[-1].name == target
        assert dialog.metadata_edit.toPlainText() == ""  # Ctrl+Enter saved instead of adding a line

    run_on_qt_loop(scenario())
