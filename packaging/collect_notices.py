"""Write the third-party notices the bundle carries (Help → Licences shows the same text).

Run with the Python of the venv the bundle is frozen from, with the app installed there:

    python packaging/collect_notices.py --out build/THIRD-PARTY-NOTICES.txt [--bundle dist/ingress-studio] [--strict]

`--bundle` (a PyInstaller one-folder build) also lists the libraries PyInstaller put beside the wheels'.
`--strict` fails when a native library's licence is not identified or a requirement is not installed: a
new wheel that brings a library nobody has looked at stops the build, instead of shipping unlisted.
The file goes into the bundle's data folder (sys._MEIPASS) as THIRD-PARTY-NOTICES.txt, where the window
looks for it.
"""

from __future__ import annotations

import argparse
import importlib.metadata
import sys
from pathlib import Path

from ingress_studio.third_party.bundled_notices import NOTICES_FILE
from ingress_studio.third_party.notices_document import gather_notices


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, required=True, help=f"the file to write (the bundle wants {NOTICES_FILE})")
    parser.add_argument("--bundle", type=Path, help="a frozen one-folder build whose extra libraries to list too")
    parser.add_argument("--strict", action="store_true", help="fail on an unidentified library or a missing one")
    args = parser.parse_args(argv)
    if args.bundle is not None and not args.bundle.is_dir():
        parser.error(f"--bundle {args.bundle} is not a folder")
    try:
        notices = gather_notices(args.bundle)
    except importlib.metadata.PackageNotFoundError:
        print("ingress-studio is not installed in this Python: run this with the build venv's python.", file=sys.stderr)
        return 2
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(notices.text, encoding="utf-8")
    size_kb = len(notices.text.encode()) // 1024
    print(f"Wrote {args.out} ({size_kb} KB). GPL parts: {', '.join(notices.gpl_components) or 'none'}.")
    problems = []
    if notices.unidentified:
        problems.append(f"native libraries of unknown licence: {', '.join(notices.unidentified)}")
    if notices.missing:
        problems.append(f"required but not installed: {', '.join(notices.missing)}")
    for problem in problems:
        print(f"{'Error' if args.strict else 'Warning'}: {problem}.", file=sys.stderr)
    return 1 if problems and args.strict else 0


if __name__ == "__main__":
    sys.exit(main())
