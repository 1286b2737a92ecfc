#!/usr/bin/env bash
# Sets up a fresh machine for Ingress Studio, then runs the app (`run`) or all the checks (`test`: ruff, mypy,
# import-linter, pytest).
# Idempotent: Debian packages only when missing (as root), a venv only when pyproject.toml changed.
# Two venvs, so nothing test-only is on the app's path: .venv-run (the app) and .venv (the app + test tools).
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT=$PWD
ACTION=${1:-}
shift || true

say() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }

# Qt's xcb and offscreen platform plugins need these shared libraries.
QT_DEBS="libegl1 libgl1 libopengl0 libxkbcommon0 libxkbcommon-x11-0 libfontconfig1 libfreetype6 libdbus-1-3
 libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-image0 libxcb-render-util0 libxcb-shape0 libxcb-randr0
 libxcb-xinerama0 libxcb-xkb1 libxcb-xfixes0 libglib2.0-0 fonts-dejavu-core"
# A virtual screen, for running the window on a machine without a display.
RUN_DEBS="xvfb xauth"
# A real RTMP server for the push tests, the ffmpeg CLI the benchmark compares against, a real
# encrypting keyring (GNOME Keyring's Secret Service on a private D-Bus) for the secret-storage tests;
# for tests/platform_packaging, shellcheck (the macOS and Windows scripts cannot run here) and the
# validators of the Linux desktop files, with the MIME database their file types are checked against.
TEST_DEBS="nginx libnginx-mod-rtmp ffmpeg xvfb dbus-daemon gnome-keyring shellcheck
 desktop-file-utils appstream shared-mime-info"

pick_python() {
  for candidate in python3.11 python3.12 python3.13 python3; do
    if command -v "$candidate" >/dev/null 2>&1 &&
      "$candidate" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)' 2>/dev/null; then
      echo "$candidate"
      return
    fi
  done
  echo "Ingress Studio needs Python 3.11 or newer (python3.11 … python3.13 on PATH)." >&2
  exit 1
}

missing_debs() {
  command -v dpkg-query >/dev/null 2>&1 || return 0
  for pkg in "$@"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "ok installed" || printf '%s ' "$pkg"
  done
}

install_debs() {
  local missing
  missing=$(missing_debs "$@")
  [ -z "$missing" ] && return 0
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    say "Installing Debian packages: $missing"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -q >/dev/null
    # shellcheck disable=SC2086
    apt-get install -y -q --no-install-recommends $missing >/dev/null
  else
    say "Missing system packages (install them with: sudo apt-get install $missing)"
  fi
}

# setup_venv DIR EXTRAS: DIR holds the project installed with EXTRAS ("" or "[test]").
setup_venv() {
  local python stamp want
  VENV=$1
  local extras=$2
  python=$(pick_python)
  if ! "$python" -c 'import venv, ensurepip' >/dev/null 2>&1; then
    install_debs python3-venv
  fi
  if [ ! -x "$VENV/bin/python" ]; then
    say "Creating a virtual environment in $VENV"
    "$python" -m venv "$VENV"
  fi
  want=$( (cat pyproject.toml; echo "$extras") | sha256sum | cut -d' ' -f1)
  stamp="$VENV/.ingress-studio-installed"
  if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
    say "Installing Ingress Studio and its dependencies into $VENV"
    "$VENV/bin/python" -m pip install -q --disable-pip-version-check --upgrade pip 2>&1 | grep -v "^WARNING: Location" || true
    "$VENV/bin/python" -m pip install -q --disable-pip-version-check -e ".$extras" 2>&1 | grep -v "^WARNING: Location" || true
    "$VENV/bin/python" -c "import ingress_studio, PySide6, livekit.api, qasync" # fail loudly if pip failed
    echo "$want" >"$stamp"
  fi
}

case "$ACTION" in
  run)
    install_debs $QT_DEBS
    if [ "$(uname -s)" = Linux ] && [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ]; then
      install_debs $RUN_DEBS
    fi
    setup_venv "${INGRESS_STUDIO_VENV:-$ROOT/.venv-run}" ""
    if [ "$(uname -s)" = Linux ] && [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ]; then
      say "No display found: running on a virtual screen (Xvfb). Set DISPLAY to see the window."
      exec xvfb-run -a -s "-screen 0 1280x800x24" "$VENV/bin/ingress-studio" "$@"
    fi
    exec "$VENV/bin/ingress-studio" "$@"
    ;;
  test)
    install_debs $QT_DEBS $TEST_DEBS
    setup_venv "${INGRESS_STUDIO_TEST_VENV:-$ROOT/.venv}" "[test]"
    export QT_QPA_PLATFORM=offscreen
    say "ruff"
    "$VENV/bin/ruff" check app tests
    "$VENV/bin/ruff" format --check app tests
    say "mypy"
    "$VENV/bin/mypy"
    say "import-linter"
    "$VENV/bin/lint-imports"
    say "pytest"
    exec "$VENV/bin/python" -m pytest "$@"
    ;;
  *)
    echo "usage: packaging/dev.sh run [app arguments] | test [pytest arguments]" >&2
    exit 2
    ;;
esac
