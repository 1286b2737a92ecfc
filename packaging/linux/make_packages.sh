#!/usr/bin/env bash
# Linux's part of packaging/build.sh, after PyInstaller made the one-folder app:
#   dist/ingress-studio-VERSION-linux-ARCH.tar.gz  the folder, with the desktop files under share/
#   dist/ingress-studio_VERSION_DEBARCH.deb         /opt/ingress-studio, /usr/bin/ingress-studio, the desktop
#                                                    entry, AppStream metainfo, icons, and Depends worked out
#                                                    by dpkg-shlibdeps from what the bundle does not carry
#   bash packaging/linux/make_packages.sh [dist/ingress-studio]
# Needs build/icons (packaging/make_icons.py) and PYTHON (build.sh's venv python).
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/../.."
# shellcheck source=packaging/common.sh
source packaging/common.sh
bundle=${1:-dist/ingress-studio}
if [ ! -x "$bundle/ingress-studio" ]; then
  echo "No $bundle/ingress-studio: freeze the app first (packaging/build.sh)." >&2
  exit 2
fi
if [ ! -d build/icons/hicolor ]; then
  echo "No build/icons: make them first (packaging/make_icons.py --out build/icons)." >&2
  exit 2
fi
python=${PYTHON:-python3}
version=$("$python" -c 'import tomllib; print(tomllib.load(open("pyproject.toml", "rb"))["project"]["version"])')
app_id=io.ingressstudio.IngressStudio
deb_arch=$(dpkg --print-architecture)
# Who answers for the package: set DEB_MAINTAINER for a release ("Name <address>"); .invalid says unset.
maintainer=${DEB_MAINTAINER:-Ingress Studio developers <maintainer@ingress-studio.invalid>}

# The desktop integration, laid out as under /usr: share/applications, share/metainfo, share/icons…
stage_share() {
  local share=$1
  install -D -m 644 "resources/linux/$app_id.desktop" "$share/applications/$app_id.desktop"
  install -D -m 644 "resources/linux/$app_id.metainfo.xml" "$share/metainfo/$app_id.metainfo.xml"
  mkdir -p "$share/icons"
  cp -r build/icons/hicolor "$share/icons/"
  install -D -m 644 docs/main-window.png "$share/ingress-studio/screenshots/main-window.png"
  install -D -m 644 docs/create-dialog.png "$share/ingress-studio/screenshots/create-dialog.png"
}

say "The .tar.gz"
tar_root=build/linux/tar/ingress-studio-$version
rm -rf build/linux/tar
mkdir -p "$tar_root"
cp -a "$bundle/." "$tar_root/"
stage_share "$tar_root/share"
tarball=dist/ingress-studio-$version-linux-$(uname -m).tar.gz
tar -C build/linux/tar -czf "$tarball" --owner=0 --group=0 "ingress-studio-$version"

say "The .deb"
root=$PWD/build/linux/deb
rm -rf "$root"
mkdir -p "$root/opt" "$root/usr/bin" "$root/DEBIAN"
cp -a "$bundle" "$root/opt/ingress-studio"
ln -s /opt/ingress-studio/ingress-studio "$root/usr/bin/ingress-studio"
stage_share "$root/usr/share"
install -D -m 644 "$bundle/_internal/THIRD-PARTY-NOTICES.txt" "$root/usr/share/doc/ingress-studio/copyright"
# dpkg-deb wants no group- or world-writable files and directories.
chmod -R u+rwX,go+rX,go-w "$root"

# Depends: the packages of the shared libraries the bundle needs and does not carry (libc, X11/xcb, GL,
# fontconfig…), with the versions their symbols need.
depends=$("$python" packaging/linux/deb_depends.py "$root/opt/ingress-studio")

installed_kb=$(du -sk --exclude=DEBIAN "$root" | cut -f1)
cat >"$root/DEBIAN/control" <<EOF
Package: ingress-studio
Version: $version
Architecture: $deb_arch
Maintainer: $maintainer
Installed-Size: $installed_kb
Depends: $depends
Section: video
Priority: optional
Description: desktop studio for LiveKit ingresses
 Manage LiveKit's RTMP, WHIP and URL ingresses, push a camera, a screen, a
 file or a test pattern to them, watch what the room sees, and run an offline
 sandbox that stands in for a LiveKit server.
EOF

deb=dist/ingress-studio_${version}_$deb_arch.deb
dpkg-deb --root-owner-group -Zxz --build "$root" "$deb" >/dev/null
say "$tarball and $deb"
