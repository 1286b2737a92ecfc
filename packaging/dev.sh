#!/usr/bin/env bash
# shellcheck disable=SC2086  # the package lists are split into words on purpose
# Sets up a fresh machine for Ingress Studio, then runs the app (`run`) or all the checks (`test`: ruff, mypy,
# import-linter, pytest).
# Idempotent: Debian packages only when missing (as root), a venv only when pyproject.toml changed.
# Two venvs, so nothing test-only is on the app's path: .venv-run (the app) and .venv (the app + test tools).
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT=$PWD
ACTION=${1:-}
shift || true

# shellcheck source=packaging/common.sh
source packaging/common.sh

# A virtual screen, for running the window on a machine without a display.
RUN_DEBS="xvfb xauth"
# A real RTMP server for the push tests, the ffmpeg CLI the benchmark compares against, a real
# encrypting keyring (GNOME Keyring's Secret Service on a private D-Bus) for the secret-storage tests;
# for tests/platform_packaging, shellcheck (the macOS and Windows scripts cannot run here) and the
# validators of the Linux desktop files, with the MIME database their file types are checked against.
TEST_DEBS="nginx libnginx-mod-rtmp ffmpeg xvfb dbus-daemon gnome-keyring shellcheck
 desktop-file-utils appstream shared-mime-info dpkg-dev binutils"

case "$ACTION" in
  run)
    install_debs $QT_DEBS
    if [ "$(uname -s)" = Linux ] && [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ]; then
      install_debs $RUN_DEBS
    fi
    setup_venv "${INGRESS_STUDIO_VENV:-$ROOT/.venv-run}" ""
    if [ "$(uname -s)" = Linux ] && [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ]; then
      say "No display found: running on a virtual screen (Xvfb). Set DISPLAY to see the window."
      exec xvfb-run -a -s "-screen 0 1280x800x24" "$VENV_BIN/ingress-studio" "$@"
    fi
    exec "$VENV_BIN/ingress-studio" "$@"
    ;;
  test)
    install_debs $QT_DEBS $TEST_DEBS
    setup_venv "${INGRESS_STUDIO_TEST_VENV:-$ROOT/.venv}" "[test]"
    export QT_QPA_PLATFORM=offscreen
    say "ruff"
    "$VENV_BIN/ruff" check app tests
    "$VENV_BIN/ruff" format --check app tests
    say "mypy"
    "$VENV_BIN/mypy"
    say "import-linter"
    "$VENV_BIN/lint-imports"
    say "pytest"
    exec "$VENV_BIN/python" -m pytest "$@"
    ;;
  *)
    echo "usage: packaging/dev.sh run [app arguments] | test [pytest arguments]" >&2
    exit 2
    ;;
esac
