"""The app's bytecode compiled beforehand, as an installed app has it, for benchmarks that start the app.

pip compiles modules at install and a frozen bundle carries bytecode, but a machine that sets
PYTHONDONTWRITEBYTECODE (this one does) would make every benchmarked start compile the app's sources again
(~0.3 s of CPU): charged to the app, and to no reference it is compared with.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

APP = Path(__file__).resolve().parents[2] / "app"


def environment_with_bytecode(pycache: Path, base: dict[str, str] | None = None) -> dict[str, str]:
    """Compile the app's modules into `pycache`; `base` (default: this environment) made to read them."""
    env = {key: value for key, value in (base or dict(os.environ)).items() if key != "PYTHONDONTWRITEBYTECODE"}
    env["PYTHONPYCACHEPREFIX"] = str(pycache)
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(APP)], env=env, check=True)
    return env
