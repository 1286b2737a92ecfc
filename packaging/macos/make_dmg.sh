#!/usr/bin/env bash
# Packs the .app into a compressed disk image with an Applications link to drag it onto.
#   packaging/macos/make_dmg.sh "dist/Ingress Studio.app" dist/Ingress-Studio-0.1.0-arm64.dmg
# Sign and notarize the .app first (sign_and_notarize.sh), then, if you like, the .dmg too.
set -euo pipefail

say() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }

if [ $# -ne 2 ]; then
  echo "usage: $0 APP_BUNDLE OUTPUT.dmg" >&2
  exit 2
fi
app=$1
dmg=$2
if [ ! -d "$app/Contents/MacOS" ]; then
  echo "$app is not an app bundle (no Contents/MacOS inside)." >&2
  exit 2
fi
if ! command -v hdiutil >/dev/null 2>&1; then
  echo "hdiutil is macOS's: make the .dmg on a Mac." >&2
  exit 2
fi

volume=$(basename "$app" .app)
staging=$(mktemp -d)
trap 'rm -rf "$staging"' EXIT
# ditto keeps the bundle's symlinks, permissions and extended attributes (the signature lives in them).
ditto "$app" "$staging/$(basename "$app")"
ln -s /Applications "$staging/Applications"
mkdir -p "$(dirname "$dmg")"
say "Making $dmg"
hdiutil create -volname "$volume" -srcfolder "$staging" -fs HFS+ -format UDZO -ov "$dmg" >/dev/null
hdiutil verify "$dmg" >/dev/null
say "Made $dmg ($(du -h "$dmg" | cut -f1))"
