#!/usr/bin/env bash
# Windows's part of packaging/build.sh (run by Git Bash), after PyInstaller made the one-folder app:
# dist/ingress-studio-VERSION-windows-x64.zip of the folder, and the Inno Setup installer
# dist/ingress-studio-VERSION-windows-x64-setup.exe (windows/ingress-studio.iss).
#   bash packaging/build_windows.sh [dist/ingress-studio]
# The spec makes the exe's version resource itself (windows/version_info.py write_version_file).
# ISCC is looked for on PATH, then where Inno Setup 6 installs; without it the installer is skipped,
# saying so (CI installs it with Chocolatey).
set -euo pipefail

say() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }

cd "$(dirname "${BASH_SOURCE[0]}")/.."
folder=${1:-dist/ingress-studio}
if [ ! -f "$folder/ingress-studio.exe" ]; then
  echo "No $folder/ingress-studio.exe: freeze the app first (packaging/build.sh)." >&2
  exit 2
fi
python=${PYTHON:-python}
version=$("$python" -c 'import tomllib; print(tomllib.load(open("pyproject.toml", "rb"))["project"]["version"])')

zip="dist/ingress-studio-$version-windows-x64.zip"
say "Zipping $folder into $zip"
"$python" - "$folder" "$zip" <<'PY'
import shutil, sys
from pathlib import Path
folder, zip_path = Path(sys.argv[1]), Path(sys.argv[2])
shutil.make_archive(str(zip_path.with_suffix("")), "zip", root_dir=folder.parent, base_dir=folder.name)
PY

iscc=$(command -v iscc || command -v ISCC || true)
for candidate in "/c/Program Files (x86)/Inno Setup 6/ISCC.exe" "/c/Program Files/Inno Setup 6/ISCC.exe"; do
  if [ -z "$iscc" ] && [ -x "$candidate" ]; then
    iscc=$candidate
  fi
done
if [ -z "$iscc" ]; then
  say "Inno Setup's ISCC is not installed: no installer (choco install innosetup, or jrsoftware.org)."
  exit 0
fi
# ISCC is a Windows program: it wants Windows paths, and /D defines; MSYS must not rewrite the "/D…".
source_dir=$(cygpath -w "$PWD/$folder")
output_dir=$(cygpath -w "$PWD/dist")
say "Building the installer with $iscc"
MSYS2_ARG_CONV_EXCL="*" "$iscc" /Q "/DAppVersion=$version" "/DSourceDir=$source_dir" "/DOutputDir=$output_dir" \
  "$(cygpath -w "$PWD/packaging/windows/ingress-studio.iss")"
say "Made dist/ingress-studio-$version-windows-x64-setup.exe"
