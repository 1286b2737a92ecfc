# shellcheck shell=bash
# Shared by packaging/dev.sh and packaging/build.sh (sourced, from the repository's root): messages, Debian
# packages installed when missing (as root; otherwise the command to run is said), and the project's venvs.

say() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }

# Qt's xcb and offscreen platform plugins need these shared libraries.
# shellcheck disable=SC2034  # used by the scripts that source this
QT_DEBS="libegl1 libgl1 libopengl0 libxkbcommon0 libxkbcommon-x11-0 libfontconfig1 libfreetype6 libdbus-1-3
 libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-image0 libxcb-render-util0 libxcb-shape0 libxcb-randr0
 libxcb-xinerama0 libxcb-xkb1 libxcb-xfixes0 libglib2.0-0 fonts-dejavu-core"
pick_python() {
  for candidate in python3.11 python3.12 python3.13 python3 python; do
    if command -v "$candidate" >/dev/null 2>&1 &&
      "$candidate" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)' 2>/dev/null; then
      echo "$candidate"
      return
    fi
  done
  echo "Ingress Studio needs Python 3.11 or newer (python3.11 … python3.13, or python on Windows, on PATH)." >&2
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

# setup_venv DIR EXTRAS [REQUIREMENTS]: DIR holds the project installed (editable) with EXTRAS ("" or
# "[test]"), and what the REQUIREMENTS file lists; VENV is set to DIR and VENV_BIN to its scripts' folder
# (bin, or Scripts on Windows).
setup_venv() {
  local python stamp want
  VENV=$1
  local extras=$2
  local requirements=${3:-}
  python=$(pick_python)
  if ! "$python" -c 'import venv, ensurepip' >/dev/null 2>&1; then
    install_debs python3-venv
  fi
  if [ ! -d "$VENV/bin" ] && [ ! -d "$VENV/Scripts" ]; then
    say "Creating a virtual environment in $VENV"
    "$python" -m venv "$VENV"
  fi
  VENV_BIN="$VENV/bin"
  [ -d "$VENV/bin" ] || VENV_BIN="$VENV/Scripts"
  want=$( (cat pyproject.toml; echo "$extras"; [ -z "$requirements" ] || cat "$requirements") | sha256sum | cut -d' ' -f1)
  stamp="$VENV/.ingress-studio-installed"
  if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
    say "Installing Ingress Studio and its dependencies into $VENV"
    "$VENV_BIN/python" -m pip install -q --disable-pip-version-check --upgrade pip 2>&1 | grep -v "^WARNING: Location" || true
    "$VENV_BIN/python" -m pip install -q --disable-pip-version-check -e ".$extras" ${requirements:+-r "$requirements"} 2>&1 |
      grep -v "^WARNING: Location" || true
    "$VENV_BIN/python" -c "import ingress_studio, PySide6, livekit.api, qasync" # fail loudly if pip failed
    echo "$want" >"$stamp"
  fi
}

