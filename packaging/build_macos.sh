#!/usr/bin/env bash
# macOS's part of packaging/build.sh, after PyInstaller made the .app: sign it, notarize and staple it
# (each step skipped, saying so, without its credentials: macos/sign_and_notarize.sh), then pack it into
# dist/ingress-studio-VERSION-macos-ARCH.dmg and sign, notarize and staple that too.
#   bash packaging/build_macos.sh ["dist/Ingress Studio.app"]
# The architecture is the build machine's (PyInstaller freezes for the Python it runs on): arm64 on
# macos-14, x86_64 on an Intel runner.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
app=${1:-"dist/Ingress Studio.app"}
if [ ! -d "$app" ]; then
  echo "No app bundle at $app: freeze it first (packaging/build.sh)." >&2
  exit 2
fi
python=${PYTHON:-python3}
version=$("$python" -c 'import tomllib; print(tomllib.load(open("pyproject.toml", "rb"))["project"]["version"])')
arch=$(lipo -archs "$app/Contents/MacOS/$(/usr/libexec/PlistBuddy -c 'Print :CFBundleExecutable' "$app/Contents/Info.plist")" | tr ' ' '-')
dmg="dist/ingress-studio-$version-macos-$arch.dmg"

bash packaging/macos/sign_and_notarize.sh "$app"
bash packaging/macos/make_dmg.sh "$app" "$dmg"
bash packaging/macos/sign_and_notarize.sh "$dmg"
