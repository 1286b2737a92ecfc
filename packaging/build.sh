#!/usr/bin/env bash
# shellcheck disable=SC2086  # the package lists are split into words on purpose
# Builds the installers of the OS it runs on into dist/, from a checkout with nothing installed by hand:
#   Linux:   dist/ingress-studio-VERSION-linux-ARCH.tar.gz and dist/ingress-studio_VERSION_ARCH.deb
#   macOS:   dist/Ingress Studio.app and dist/ingress-studio-VERSION-macos-ARCH.dmg (packaging/build_macos.sh)
#   Windows: dist/ingress-studio-VERSION-windows-x64.zip and …-setup.exe (packaging/build_windows.sh, Git Bash)
# and dist/THIRD-PARTY-NOTICES.txt; then runs the frozen app's self-test on what it built.
#   bash packaging/build.sh [--no-self-test]
# Its own venv (build/venv: the app, PyInstaller and its hooks, pinned in packaging/build-requirements.txt),
# so nothing of the development venvs rides along. Several minutes: not part of the test command.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT=$PWD
# shellcheck source=packaging/common.sh
source packaging/common.sh

self_test=1
for arg in "$@"; do
  case "$arg" in
    --no-self-test) self_test=0 ;;
    *)
      echo "usage: packaging/build.sh [--no-self-test]" >&2
      exit 2
      ;;
  esac
done

# What the Linux build needs besides Qt's libraries (the self-test opens no window, but the frozen app's
# Qt plugins are resolved against them): dpkg-shlibdeps for the .deb's Depends, and the validators of the
# desktop files.
LINUX_BUILD_DEBS="binutils dpkg-dev desktop-file-utils appstream xz-utils"

started=$SECONDS
system=$(uname -s)
case "$system" in
  Linux) install_debs $QT_DEBS $LINUX_BUILD_DEBS ;;
esac

setup_venv "$ROOT/build/venv" "" packaging/build-requirements.txt
python="$VENV_BIN/python"
export PYTHON=$python # for build_macos.sh and build_windows.sh
version=$("$python" -c 'import ingress_studio; print(ingress_studio.__version__)')

say "Icons from resources/ingress-studio.svg"
QT_QPA_PLATFORM=offscreen "$python" packaging/make_icons.py --out build/icons

say "Freezing Ingress Studio $version with PyInstaller"
rm -rf dist/ingress-studio "dist/Ingress Studio.app"
"$python" -m PyInstaller --noconfirm --clean --log-level WARN --distpath dist --workpath build/pyinstaller \
  packaging/ingress-studio.spec

case "$system" in
  Darwin)
    bundle="dist/Ingress Studio.app"
    data_dir="$bundle/Contents/Resources"
    executable="$bundle/Contents/MacOS/ingress-studio"
    ;;
  MINGW* | MSYS* | CYGWIN*)
    bundle=dist/ingress-studio
    data_dir=$bundle/_internal
    executable=$bundle/ingress-studio.exe
    ;;
  *)
    bundle=dist/ingress-studio
    data_dir=$bundle/_internal
    executable=$bundle/ingress-studio
    ;;
esac

say "Third-party notices"
"$python" packaging/collect_notices.py --strict --bundle dist/ingress-studio --out "$data_dir/THIRD-PARTY-NOTICES.txt"
cp "$data_dir/THIRD-PARTY-NOTICES.txt" dist/THIRD-PARTY-NOTICES.txt

case "$system" in
  Linux) bash packaging/linux/make_packages.sh "$bundle" ;;
  Darwin) bash packaging/build_macos.sh "$bundle" ;;
  MINGW* | MSYS* | CYGWIN*) bash packaging/build_windows.sh "$bundle" ;;
  *) say "No installer for $system: only the folder $bundle" ;;
esac
frozen_seconds=$((SECONDS - started))

if [ "$self_test" = 1 ]; then
  say "The frozen app's self-test, with a bare environment"
  # What a user's session may not have: no venv, no PYTHONPATH, no display; only a home and the system PATH.
  home=$(mktemp -d)
  trap 'rm -rf "$home"' EXIT
  case "$system" in
    MINGW* | MSYS* | CYGWIN*) "$executable" self-test ;;
    *) env -i HOME="$home" PATH=/usr/bin:/bin "$executable" self-test ;;
  esac
fi

say "Built in $((frozen_seconds / 60)) min $((frozen_seconds % 60)) s (self-test included: $((SECONDS - started)) s):"
du -sh "$bundle" dist/*.tar.gz dist/*.deb dist/*.dmg dist/*.zip dist/*-setup.exe 2>/dev/null || true
