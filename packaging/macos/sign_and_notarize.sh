#!/usr/bin/env bash
# Signs an .app (every binary inside first, then the bundle) or a .dmg with a Developer ID, with the
# hardened runtime and a secure timestamp; then notarizes it with Apple and staples the ticket.
#   packaging/macos/sign_and_notarize.sh "dist/Ingress Studio.app"
#   packaging/macos/sign_and_notarize.sh dist/Ingress-Studio-0.1.0-arm64.dmg
#
# Driven by the environment; each step is skipped, saying so, when its variables are unset:
#   MACOS_SIGN_IDENTITY   "Developer ID Application: Name (TEAMID)" in the keychain   → signing
#   NOTARYTOOL_PROFILE    a profile saved with `xcrun notarytool store-credentials`   → notarizing
#   or APPLE_ID, APPLE_TEAM_ID and APPLE_APP_PASSWORD (an app-specific password)     → notarizing
# Notarizing needs a signature, and stapling a notarization.
#
# entitlements.plist beside this script goes on the main executable only (Apple: libraries take their
# host's): camera and microphone (the engine captures them through FFmpeg's avfoundation input), and
# unsigned executable memory, which ctypes and cffi closures need (livekit's FFI callback, pylibsrtp and
# cryptography's cffi bindings) under the hardened runtime. Library validation stays on: every library in
# the bundle is signed here with the same Team ID, so disable-library-validation is not needed.
set -euo pipefail

say() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
entitlements="$here/entitlements.plist"

if [ $# -ne 1 ]; then
  echo "usage: $0 APP_BUNDLE|DISK_IMAGE.dmg" >&2
  exit 2
fi
target=${1%/}
case "$target" in
  *.app) kind=app ;;
  *.dmg) kind=dmg ;;
  *)
    echo "$target is neither an .app nor a .dmg." >&2
    exit 2
    ;;
esac
if [ ! -e "$target" ]; then
  echo "$target does not exist." >&2
  exit 2
fi
if [ "$(uname -s)" != Darwin ]; then
  echo "codesign, notarytool and stapler are macOS's: run this on a Mac." >&2
  exit 2
fi

sign() { # sign FILE [extra codesign options…]
  local file=$1
  shift
  codesign --force --timestamp --options runtime --sign "$MACOS_SIGN_IDENTITY" "$@" "$file"
}

is_mach_o() {
  file -b "$1" | grep -q "Mach-O"
}

sign_app() {
  local app=$1 main file
  main="$app/Contents/MacOS/$(/usr/libexec/PlistBuddy -c 'Print :CFBundleExecutable' "$app/Contents/Info.plist")"
  say "Signing the binaries inside $app, innermost first"
  # Deepest paths first, so that a framework's contents are signed before the framework itself.
  while IFS= read -r file; do
    if [ "$file" != "$main" ] && is_mach_o "$file"; then
      sign "$file"
    fi
  done < <(find "$app/Contents" -type f ! -path "*/_CodeSignature/*" | awk '{ print gsub("/", "/"), $0 }' |
    sort -rn | cut -d' ' -f2-)
  while IFS= read -r file; do
    sign "$file"
  done < <(find "$app/Contents" -type d -name "*.framework" | awk '{ print gsub("/", "/"), $0 }' |
    sort -rn | cut -d' ' -f2-)
  say "Signing the main executable and the bundle, with $(basename "$entitlements")"
  sign "$main" --entitlements "$entitlements"
  sign "$app" --entitlements "$entitlements"
  codesign --verify --deep --strict --verbose=2 "$app"
}

if [ -z "${MACOS_SIGN_IDENTITY:-}" ]; then
  say "MACOS_SIGN_IDENTITY is not set: not signing, notarizing or stapling $target."
  say "It keeps PyInstaller's ad-hoc signature: it runs here, and Gatekeeper refuses it on other Macs."
  exit 0
fi
if [ "$kind" = app ]; then
  sign_app "$target"
else
  say "Signing $target"
  sign "$target"
fi

notary_auth=()
if [ -n "${NOTARYTOOL_PROFILE:-}" ]; then
  notary_auth=(--keychain-profile "$NOTARYTOOL_PROFILE")
elif [ -n "${APPLE_ID:-}" ] && [ -n "${APPLE_TEAM_ID:-}" ] && [ -n "${APPLE_APP_PASSWORD:-}" ]; then
  notary_auth=(--apple-id "$APPLE_ID" --team-id "$APPLE_TEAM_ID" --password "$APPLE_APP_PASSWORD")
else
  say "Neither NOTARYTOOL_PROFILE nor APPLE_ID, APPLE_TEAM_ID and APPLE_APP_PASSWORD are set:"
  say "$target is signed, not notarized (Gatekeeper warns on other Macs); nothing to staple."
  exit 0
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
upload=$target
if [ "$kind" = app ]; then
  upload="$work/$(basename "$target" .app).zip"
  ditto -c -k --keepParent "$target" "$upload" # notarytool takes a zip, a dmg or a pkg, not a folder
fi
say "Notarizing $target (this waits for Apple's answer, often a few minutes)"
xcrun notarytool submit "$upload" "${notary_auth[@]}" --wait --output-format json >"$work/result.json"
status=$(plutil -extract status raw -o - "$work/result.json")
if [ "$status" != Accepted ]; then
  submission=$(plutil -extract id raw -o - "$work/result.json")
  echo "Notarization ended \"$status\". Apple's log of it:" >&2
  xcrun notarytool log "$submission" "${notary_auth[@]}" >&2 || true
  exit 1
fi
say "Stapling the ticket to $target"
xcrun stapler staple "$target"
xcrun stapler validate "$target"
if [ "$kind" = app ]; then
  spctl --assess --type execute --verbose=2 "$target"
fi
say "$target is signed, notarized and stapled."
