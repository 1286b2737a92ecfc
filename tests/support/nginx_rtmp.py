"""A real RTMP server: Debian's nginx with libnginx-mod-rtmp, recording every publish to FLV files."""

from __future__ import annotations

import shutil
import socket
import subprocess
import time
from pathlib import Path

MODULE = Path("/usr/lib/nginx/modules/ngx_rtmp_module.so")

CONFIG = """
load_module {module};
daemon off;
master_process off;
pid {root}/nginx.pid;
error_log {root}/error.log info;
events {{ worker_connections 128; }}
rtmp {{
    server {{
        listen 127.0.0.1:{port};
        chunk_size 4096;
        application x {{
            live on;
            record all;
            record_path {root}/recordings;
            record_unique on;
        }}
    }}
}}
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def available() -> bool:
    return MODULE.exists() and shutil.which("nginx") is not None


class NginxRtmp:
    def __init__(self, root: Path) -> None:
        self.root = root
        self.port = free_port()
        (root / "recordings").mkdir(parents=True, exist_ok=True)
        (root / "nginx.conf").write_text(CONFIG.format(module=MODULE, root=root, port=self.port))
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"rtmp://127.0.0.1:{self.port}/x"

    def start(self) -> NginxRtmp:
        self.process = subprocess.Popen(
            ["nginx", "-c", str(self.root / "nginx.conf"), "-p", str(self.root)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.2):
                    return self
            except OSError:
                time.sleep(0.05)
        raise RuntimeError(f"nginx did not start: {(self.root / 'error.log').read_text()}")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(10)
        self.process = None

    def recordings(self, key: str) -> list[Path]:
        """This key's recorded publishes, oldest first (one file per connection)."""
        return sorted((self.root / "recordings").glob(f"{key}-*.flv"), key=lambda p: p.stat().st_mtime)
