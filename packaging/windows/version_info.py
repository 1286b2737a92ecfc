"""The Windows version resource of ingress-studio.exe, for the spec's EXE(version=…), made from pyproject.toml.

    python packaging/windows/version_info.py --out build/version_info.txt

PyInstaller reads the file as its VSVersionInfo structure: Explorer's Properties → Details shows it, and
Windows' installers and SmartScreen use it to name the program.
"""

from __future__ import annotations

import argparse
import re
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
COMPANY = "Ingress Studio"
PRODUCT = "Ingress Studio"
DESCRIPTION = "Ingress Studio"  # Task Manager shows FileDescription as the program's name
EXE_NAME = "ingress-studio.exe"
COPYRIGHT = "Copyright the Ingress Studio authors. Apache-2.0; the bundle as a whole: GPL-3.0 (see Help → Licences)."


def project_version(pyproject: Path = ROOT / "pyproject.toml") -> str:
    with pyproject.open("rb") as file:
        return str(tomllib.load(file)["project"]["version"])


def numeric_version(version: str) -> tuple[int, int, int, int]:
    """The four numbers a Windows version resource holds: PEP 440's release part, padded ("1.2" → 1.2.0.0;
    "1.2.3rc1" → 1.2.3.0). Raises ValueError for a version that does not start with a number."""
    release = re.match(r"\d+(?:\.\d+)*", version)
    if release is None:
        raise ValueError(f"“{version}” does not start with a version number.")
    parts = [int(part) for part in release.group(0).split(".")][:4]
    if any(part > 0xFFFF for part in parts):
        raise ValueError(f"“{version}” has a part above 65535, which a Windows version cannot hold.")
    major, minor, micro, build = [*parts, 0, 0, 0][:4]
    return major, minor, micro, build


def version_info(version: str) -> str:
    numbers = numeric_version(version)
    dotted = ".".join(map(str, numbers))
    strings = {
        "CompanyName": COMPANY,
        "FileDescription": DESCRIPTION,
        "FileVersion": dotted,
        "InternalName": "ingress-studio",
        "LegalCopyright": COPYRIGHT,
        "OriginalFilename": EXE_NAME,
        "ProductName": PRODUCT,
        "ProductVersion": version,
    }
    table = ",\n".join(f"          StringStruct({key!r}, {value!r})" for key, value in strings.items())
    return f"""# UTF-8
# Made by packaging/windows/version_info.py from pyproject.toml ({version}): do not edit.
VSVersionInfo(
  ffi=FixedFileInfo(
    filevers={numbers},
    prodvers={numbers},
    mask=0x3F,
    flags=0x0,
    OS=0x40004,  # VOS_NT_WINDOWS32
    fileType=0x1,  # VFT_APP
    subtype=0x0,
    date=(0, 0),
  ),
  kids=[
    StringFileInfo([
      StringTable(
        '040904B0',  # U.S. English, Unicode
        [
{table},
        ],
      )
    ]),
    VarFileInfo([VarStruct('Translation', [1033, 1200])]),
  ],
)
"""


def write_version_file(path: Path, version: str | None = None) -> Path:
    """For the spec: EXE(version=str(write_version_file(Path(workpath) / "version_info.txt")))."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(version_info(version or project_version()), encoding="utf-8")
    return path


def main() -> int:
    parser = argparse.ArgumentParser(description="Write the Windows version resource for PyInstaller's EXE().")
    parser.add_argument("--out", type=Path, required=True, metavar="PATH")
    parser.add_argument("--version", help="instead of pyproject.toml's")
    args = parser.parse_args()
    version = args.version or project_version()
    try:
        numeric_version(version)
    except ValueError as exc:
        print(exc, file=sys.stderr)
        return 2
    write_version_file(args.out, version)
    print(f"Wrote {args.out} ({version})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
