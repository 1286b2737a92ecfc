"""Takes the README's screenshots under Xvfb: the main window with several ingresses, one publishing from
a real ffmpeg stream into the sandbox and one live from the window itself (a dropped file, Start) with What the
room sees beside What we send, and the create dialog.

    .venv/bin/python packaging/screenshots.py [--out docs]

Needs Xvfb and ffmpeg (Debian: xvfb, ffmpeg). Writes docs/main-window.png and docs/create-dialog.png.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from support.live_state import ffmpeg_publish  # noqa: E402
from support.media_files import make_media  # noqa: E402
from support.sandbox_process import SandboxServer  # noqa: E402
from support.xvfb import Xvfb  # noqa: E402

SIZE = (1280, 800)


async def populate(server: SandboxServer, clip: Path, served_url: str) -> subprocess.Popen[str]:
    from livekit.protocol import ingress as ingress_pb

    from ingress_studio.api.client import IngressClient

    def request(kind: int, name: str, room: str, identity: str) -> ingress_pb.CreateIngressRequest:
        created = ingress_pb.CreateIngressRequest(input_type=kind, name=name, room_name=room)  # type: ignore[arg-type]
        created.participant_identity = identity
        return created

    async with IngressClient(server.project()) as client:
        await client.create(request(ingress_pb.RTMP_INPUT, "Main camera", "studio", "camera"))
        slides = await client.create(request(ingress_pb.RTMP_INPUT, "Slides (OBS)", "studio", "slides"))
        await client.create(request(ingress_pb.WHIP_INPUT, "Guest (WHIP)", "green-room", "guest"))
        disabled = request(ingress_pb.RTMP_INPUT, "Backup encoder", "studio", "backup")
        disabled.enabled = False
        await client.create(disabled)
        intro = request(ingress_pb.URL_INPUT, "Intro video", "studio", "intro")
        intro.url = f"{served_url}/intro.mkv"
        await client.create(intro)
        missing = request(ingress_pb.URL_INPUT, "Sponsor clip", "studio", "sponsor")
        missing.url = f"{served_url}/missing.mp4"
        await client.create(missing)
    publisher = ffmpeg_publish(clip, f"{slides.url}/{slides.stream_key}", loop=True)
    return publisher


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", type=Path, default=ROOT / "docs")
    parser.add_argument("--size", default="1280x800", help="screen and window size, WxH (default 1280x800)")
    args = parser.parse_args()
    global SIZE
    width, height = (int(part) for part in args.size.lower().split("x"))
    SIZE = (width, height)
    args.out.mkdir(parents=True, exist_ok=True)
    xvfb = Xvfb(*SIZE).start()
    os.environ["DISPLAY"] = xvfb.display
    os.environ["QT_QPA_PLATFORM"] = "xcb"
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        os.environ["HOME"] = str(root / "home")  # no real settings or keyring are touched
        os.environ["XDG_CONFIG_HOME"] = str(root / "config")
        clip = make_media(root / "clip.mp4", 12.0, size=(1280, 720), fps=30)
        server = SandboxServer(root / "sandbox").start()
        import http.server
        import threading

        served = root / "served"
        served.mkdir()
        make_media(served / "intro.mkv", 2.0, size=(640, 360), fps=25)
        httpd = http.server.ThreadingHTTPServer(
            ("127.0.0.1", 0),
            lambda *a: http.server.SimpleHTTPRequestHandler(*a, directory=str(served)),  # type: ignore[misc]
        )
        threading.Thread(target=httpd.serve_forever, daemon=True).start()
        served_url = f"http://127.0.0.1:{httpd.server_address[1]}"
        publisher = None
        try:
            publisher = asyncio.run(populate(server, clip, served_url))
            shoot(server, args.out, root / "screenshots.ini", clip)
        finally:
            if publisher is not None:
                publisher.kill()
            httpd.shutdown()
            server.stop()
            xvfb.stop()


def shoot(server: SandboxServer, out: Path, settings_file: Path, clip: Path) -> None:
    import qasync
    from livekit.protocol import ingress as ingress_pb
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication

    from ingress_studio.ui.app import create_application
    from ingress_studio.ui.main_window import MainWindow
    from ingress_studio.ui.preferences import Preferences
    from ingress_studio.ui.project_picker import ProjectPicker

    app = create_application([])
    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    settings = QSettings(str(settings_file), QSettings.Format.IniFormat)
    window = MainWindow(Preferences(settings))
    picker = ProjectPicker(sandbox_url=server.url)
    window.set_project_picker(picker)
    picker.project_chosen.connect(window.connect_project)
    window.connection_state.connect(picker.set_status)
    window.resize(*SIZE)
    window.move(0, 0)
    window.show()

    def grab(widget: object, path: Path) -> None:
        screen = QApplication.primaryScreen()
        geometry = widget.frameGeometry()  # type: ignore[attr-defined]
        picture = screen.grabWindow(0, geometry.x(), geometry.y(), geometry.width(), geometry.height())
        picture.save(str(path), "PNG")
        print(f"wrote {path} ({path.stat().st_size // 1024} KB)")

    async def scenario() -> None:
        sandbox = picker.current_project()
        assert sandbox is not None
        window.connect_project(sandbox)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            await asyncio.sleep(0.5)
            infos = [window.model.info(window.model.view_at(r).ingress_id) for r in range(window.model.rowCount())]
            statuses = {info.name: info.state.status for info in infos if info is not None}
            if (
                statuses.get("Slides (OBS)") == ingress_pb.IngressState.Status.ENDPOINT_PUBLISHING
                and statuses.get("Intro video") == ingress_pb.IngressState.Status.ENDPOINT_COMPLETE
            ):
                break
        camera = next(
            window.model.view_at(r).ingress_id
            for r in range(window.model.rowCount())
            if window.model.view_at(r).name == "Main camera"
        )
        window.select_ingress(camera)
        window.live.take_files([clip, clip])  # as if dropped: a two-item playlist
        window.live.panel.source.loop.setChecked(True)
        window.live.panel.start()
        deadline = time.monotonic() + 40
        while time.monotonic() < deadline:
            await asyncio.sleep(0.5)
            live = window.model.info(camera)
            if live is not None and live.state.status == ingress_pb.IngressState.Status.ENDPOINT_PUBLISHING:
                break
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and window.live.room_view.picture.pictures_shown < 10:
            await asyncio.sleep(0.5)  # the hidden viewer joined the room and pictures arrive
        await asyncio.sleep(4)  # a few refreshes: the measured frame rate and bitrate settle
        grab(window, out / "main-window.png")
        dialog = window.new_ingress(ingress_pb.RTMP_INPUT)
        assert dialog is not None
        await asyncio.sleep(0.5)
        dialog.move(120, 40)
        await asyncio.sleep(0.5)
        grab(dialog, out / "create-dialog.png")
        dialog.reject()
        await window.shutdown()

    with loop:
        loop.run_until_complete(scenario())


if __name__ == "__main__":
    main()
