"""What we send: the engine's preview picture, the audio meters and the file's progress, offscreen; and once
against a real engine child pushing to nginx-rtmp."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QPoint, QRectF, Qt
from PySide6.QtGui import QColor, QImage, QPainter
from pytestqt.qtbot import QtBot

from ingress_studio.children.engine_commands import PushTarget, StartPush, StopPush
from ingress_studio.children.engine_events import EngineHello, Levels, Preview, PushEnded
from ingress_studio.controllers.audio_meter import DECAY_DB_PER_S, FRESH_S, HOLD_S
from ingress_studio.controllers.meter_scale import FLOOR_DB, Zone
from ingress_studio.controllers.playback_position import PlaybackPosition
from ingress_studio.ui.engine_process import EngineProcess
from ingress_studio.ui.level_meter import BRIGHT, CLIP_OFF, CLIP_ON, DIM, PEAK, LevelMeterView
from ingress_studio.ui.send_preview import AUDIO_ONLY, NOT_LIVE, WAITING, SendPreview
from support.nginx_rtmp import NginxRtmp, available
from ui.conftest import Scenario, eventually


def jpeg(width: int, height: int, colour: str = "#3060c0") -> bytes:
    """A real JPEG made by Qt: a coloured field with a white band, so it is not one flat colour."""
    image = QImage(width, height, QImage.Format.Format_RGB32)
    image.fill(QColor(colour))
    painter = QPainter(image)
    painter.fillRect(QRectF(0, height / 3, width, height / 3), QColor("white"))
    painter.end()
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    assert image.save(buffer, "JPEG", 90)
    return bytes(data.data())


def preview(width: int, height: int, colour: str = "#3060c0") -> Preview:
    return Preview(t=1.0, width=width, height=height, jpeg=jpeg(width, height, colour))


@pytest.fixture
def view(qtbot: QtBot) -> SendPreview:
    shown = SendPreview()
    qtbot.addWidget(shown)
    shown.resize(420, 360)  # the dock's size in a 1280x800 window
    shown.show()
    qtbot.waitExposed(shown)
    return shown


class FakeClock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def meter(qtbot: QtBot, clock: FakeClock) -> LevelMeterView:
    shown = LevelMeterView(clock=clock)
    qtbot.addWidget(shown)
    shown.resize(400, shown.sizeHint().height())
    shown.show()
    qtbot.waitExposed(shown)
    return shown


def painted(meter: LevelMeterView, point: QPoint) -> QColor:
    return meter.grab().toImage().pixelColor(point)


@pytest.mark.parametrize(("width", "height"), [(640, 360), (320, 240), (360, 640)])
def test_a_picture_is_shown_with_its_aspect_kept(qtbot: QtBot, view: SendPreview, width: int, height: int) -> None:
    view.show_preview(preview(width, height))
    qtbot.waitUntil(lambda: view.pictures_shown == 1)
    shown = view.picture.pixmap()
    assert shown.width() / shown.height() == pytest.approx(width / height, rel=0.02)
    assert shown.width() <= view.picture.width() and shown.height() <= view.picture.height() + 1  # never cut off
    assert max(shown.width() / view.picture.width(), shown.height() / view.picture.height()) > 0.98  # but fills it
    assert view.picture.text() == ""


def test_a_burst_of_pictures_decodes_only_the_newest(qtbot: QtBot, view: SendPreview) -> None:
    for size in ((320, 240), (640, 360), (160, 90)):
        view.show_preview(preview(*size))  # all before the event loop turns: the window was busy
    qtbot.waitUntil(lambda: view.pictures_shown == 1)
    qtbot.wait(50)
    original = view.picture.original
    assert view.pictures_shown == 1 and view.pictures_dropped == 2
    assert original is not None and (original.width(), original.height()) == (160, 90)


def test_a_hidden_view_decodes_nothing_until_it_is_shown(qtbot: QtBot, view: SendPreview) -> None:
    view.hide()
    view.show_preview(preview(640, 360, "#c03030"))
    view.show_preview(preview(640, 360, "#30c030"))
    qtbot.wait(50)
    assert view.pictures_shown == 0
    view.show()
    qtbot.waitUntil(lambda: view.pictures_shown == 1)
    original = view.picture.original
    assert original is not None and original.toImage().pixelColor(5, 5).green() > 150  # the newest one


@pytest.mark.qt_log_ignore("Corrupt JPEG data", "JPEG datastream contains no image")  # Qt's JPEG reader says so
def test_an_unreadable_picture_is_skipped_quietly(qtbot: QtBot, view: SendPreview) -> None:
    view.show_preview(Preview(t=0.0, width=640, height=360, jpeg=b"\xff\xd8 not really a JPEG"))
    qtbot.wait(50)
    assert view.pictures_shown == 0 and view.picture.text() == NOT_LIVE


def test_levels_show_per_channel_in_their_zones(view: SendPreview) -> None:
    view.show_levels(Levels(peak_db=(-6.0, -30.0), rms_db=(-12.0, -40.0)))
    meter = view.meter
    left, right = meter.readings
    assert (left.peak_db, left.rms_db, left.hold_db, left.zone) == (-6.0, -12.0, -6.0, Zone.RED)
    assert (right.peak_db, right.rms_db, right.zone) == (-30.0, -40.0, Zone.GREEN)
    image = meter.grab().toImage()
    expected = {
        (0, -30.0): BRIGHT[Zone.GREEN],  # under the RMS: solid
        (0, -15.0): BRIGHT[Zone.AMBER],
        (0, -10.5): PEAK[Zone.AMBER],  # between the RMS and the peak: lighter
        (0, -7.5): PEAK[Zone.RED],
        (0, -3.0): DIM[Zone.RED],  # above the peak: the zone's dim track
        (1, -50.0): BRIGHT[Zone.GREEN],
        (1, -35.0): PEAK[Zone.GREEN],
        (1, -25.0): DIM[Zone.GREEN],
        (1, -15.0): DIM[Zone.AMBER],
    }
    for (channel, db), colour in expected.items():
        assert image.pixelColor(meter.point_at(channel, db)) == colour, (channel, db)
    hold = QPoint(round(meter.x_at(-6.0)) - 1, meter.point_at(0, -6.0).y())
    assert image.pixelColor(hold) == BRIGHT[Zone.RED]  # the held peak's line


def test_a_mono_source_shows_one_meter(view: SendPreview) -> None:
    view.show_levels(Levels(peak_db=(-10.0,), rms_db=(-16.0,)))
    assert len(view.meter.readings) == 1 and view.meter.sizeHint().height() < LevelMeterView().sizeHint().height()


def test_clipping_stays_lit_until_a_click_puts_it_out(qtbot: QtBot, meter: LevelMeterView, clock: FakeClock) -> None:
    meter.show_levels((-0.3, -10.0), (-6.0, -16.0))
    light = meter.clip_light_rect(0).center().toPoint()
    assert [reading.clipping for reading in meter.readings] == [True, False]
    assert painted(meter, light) == CLIP_ON and painted(meter, meter.clip_light_rect(1).center().toPoint()) == CLIP_OFF
    clock.now += 1.0
    meter.show_levels((-20.0, -20.0), (-26.0, -26.0))  # quieter now: still lit
    assert meter.readings[0].clipping
    qtbot.mouseClick(meter, Qt.MouseButton.LeftButton)
    assert not meter.readings[0].clipping and painted(meter, light) == CLIP_OFF


def test_clipping_goes_out_by_itself_after_three_seconds(qtbot: QtBot, meter: LevelMeterView, clock: FakeClock) -> None:
    meter.show_levels((0.0,), (-3.0,))
    clock.now += 2.9
    qtbot.wait(100)  # a few of the meter's ticks
    assert meter.readings[0].clipping
    clock.now += 0.2
    qtbot.waitUntil(lambda: not meter.readings[0].clipping)


def test_the_peak_is_held_then_falls_when_levels_stop(qtbot: QtBot, meter: LevelMeterView, clock: FakeClock) -> None:
    meter.show_levels((-10.0, -10.0), (-20.0, -20.0))
    clock.now += HOLD_S - 0.2
    qtbot.waitUntil(lambda: meter.readings[0].peak_db < -10.0)
    falling = meter.readings[0]
    assert falling.hold_db == -10.0  # held
    assert falling.peak_db == pytest.approx(-10.0 - DECAY_DB_PER_S * (HOLD_S - 0.2 - FRESH_S))
    clock.now += 0.7
    qtbot.waitUntil(lambda: meter.readings[0].hold_db < -10.0)
    assert meter.readings[0].hold_db == pytest.approx(-10.0 - DECAY_DB_PER_S * 0.5)
    shown = meter.grab().toImage()
    assert shown.pixelColor(meter.point_at(0, -30.0)) == DIM[Zone.GREEN]  # the bar fell below -30 dBFS


def test_the_meter_timer_runs_only_while_something_moves(qtbot: QtBot, meter: LevelMeterView, clock: FakeClock) -> None:
    assert not meter.timer.isActive()  # idle from the start
    meter.show_levels((-90.0, -90.0), (-90.0, -90.0))
    assert not meter.timer.isActive()  # silence: nothing to move
    meter.show_levels((-3.0, -3.0), (-9.0, -9.0))
    assert meter.timer.isActive()
    meter.hide()
    assert not meter.timer.isActive()  # nobody looks
    meter.show()
    assert meter.timer.isActive()
    clock.now += 10.0
    qtbot.waitUntil(lambda: not meter.timer.isActive())
    assert all(reading.peak_db == reading.hold_db == FLOOR_DB for reading in meter.readings)


def test_clear_stops_the_meter_and_says_we_are_not_live(qtbot: QtBot, view: SendPreview) -> None:
    view.show_preview(preview(640, 360))
    qtbot.waitUntil(lambda: view.pictures_shown == 1)
    view.show_levels(Levels(peak_db=(-3.0, -3.0), rms_db=(-9.0, -9.0)))
    view.show_position(PlaybackPosition(0, 1, "clip.mp4", 1.0, 10.0, 9.0))
    view.clear()
    assert view.picture.pixmap().isNull() and view.picture.text() == NOT_LIVE
    assert not view.meter.timer.isActive() and view.meter.model.settled
    assert not view.progress.isVisible() and not view.position_words.isVisible()


def test_starting_says_a_picture_is_coming(qtbot: QtBot, view: SendPreview) -> None:
    view.starting()
    assert view.picture.text() == WAITING
    view.show_preview(preview(640, 360))
    qtbot.waitUntil(lambda: view.pictures_shown == 1)
    view.starting()  # a restart keeps the last picture until the next one
    assert not view.picture.pixmap().isNull()
    view.starting(has_video=False)
    assert view.picture.pixmap().isNull() and view.picture.text() == AUDIO_ONLY


def test_a_file_shows_its_progress_and_a_live_source_none(view: SendPreview) -> None:
    view.show_position(PlaybackPosition(1, 3, "/videos/clip.mp4", 83.4, 296.0, 430.2))
    assert view.progress.isVisible() and view.position_words.isVisible()
    assert view.progress.value() == round(1000 * 83.4 / 296.0)
    assert view.position_words.text() == "clip.mp4 (2 of 3) · 01:23 / 04:56 · 07:10 left in the playlist"
    assert view.position_words.toolTip() == "/videos/clip.mp4"
    view.show_position(PlaybackPosition(0, 1, "camera:/dev/video0", 5.0, None, None))
    assert not view.progress.isVisible() and not view.position_words.isVisible()
    view.show_position(PlaybackPosition(0, 1, "talk.mkv", 0.0, 60.0, 60.0))
    assert view.position_words.text() == "talk.mkv · 00:00 / 01:00 · 01:00 left" and view.progress.value() == 0
    view.show_position(None)
    assert not view.progress.isVisible()


@pytest.mark.skipif(not available(), reason="needs nginx with libnginx-mod-rtmp")
def test_a_real_push_shows_its_pictures_and_levels(
    qtbot: QtBot, view: SendPreview, run_on_qt_loop: Scenario, tmp_path: Path
) -> None:
    nginx = NginxRtmp(tmp_path / "nginx").start()
    engine = EngineProcess()
    hellos: list[EngineHello] = []
    ended: list[PushEnded] = []
    engine.hello.connect(hellos.append)
    engine.ended.connect(ended.append)
    engine.preview.connect(view.show_preview)
    engine.levels.connect(view.show_levels)

    async def scenario() -> None:
        engine.start()
        await eventually(lambda: bool(hellos), what="hello")
        view.starting()
        engine.send(StartPush(("test:",), (PushTarget("rtmp", nginx.url, "preview"),)))
        await eventually(lambda: view.pictures_shown >= 3, what="preview pictures")
        await eventually(lambda: view.meter.readings[0].peak_db > FLOOR_DB, what="audio levels")
        engine.send(StopPush())
        await eventually(lambda: bool(ended), what="ended")

    try:
        run_on_qt_loop(scenario())
    finally:
        engine.stop()
        nginx.stop()
    original = view.picture.original
    assert original is not None and original.width() <= 640
    assert original.width() / original.height() == pytest.approx(16 / 9, rel=0.02)  # the 1280x720 test pattern
    image = original.toImage()
    colours = {
        image.pixelColor(x * image.width() // 8, y * image.height() // 6).rgb() for x in range(8) for y in range(6)
    }
    assert len(colours) > 8  # a picture, not a blank field
    view.clear()
    assert not view.meter.timer.isActive()
