#!/usr/bin/env bash
# Put Tutor in the applications menu for this user (or under --prefix).
#
# From a bundle (dist/Tutor/install.sh, beside the program):
#   ./install.sh                 copies the bundle to ~/.local/lib/tutor, links
#                                ~/.local/bin/tutor, adds the menu entry, icon, metainfo
# From a checkout, after `pipx install .` (or pip): only the desktop files, for the
# `tutor` command already on PATH:
#   packaging/linux/install.sh --desktop-only
# Either way:
#   --prefix DIR                 instead of ~/.local (e.g. /usr/local, run as root)
#   --uninstall                  remove what this script installed under the prefix
set -euo pipefail

app_id="io.github.tutor.Tutor"
prefix="${XDG_DATA_HOME:+$(dirname "$XDG_DATA_HOME")}"
prefix="${prefix:-$HOME/.local}"
mode=install
desktop_only=0
while [ $# -gt 0 ]; do
  case "$1" in
    --prefix) prefix="$2"; shift 2 ;;
    --uninstall) mode=uninstall; shift ;;
    --desktop-only) desktop_only=1; shift ;;
    -h|--help) sed -n '2,14p' "$0"; exit 0 ;;
    *) echo "install.sh: unknown option $1" >&2; exit 2 ;;
  esac
done

here="$(cd "$(dirname "$0")" && pwd)"
share="$prefix/share"
libdir="$prefix/lib/tutor"
bindir="$prefix/bin"

# Where the files to install are: the bundle's share/ tree, or the checkout's sources.
if [ -d "$here/share/applications" ]; then
  desktop_file="$here/share/applications/$app_id.desktop"
  metainfo="$here/share/metainfo/$app_id.metainfo.xml"
  hicolor="$here/share/icons/hicolor"
else
  desktop_only=1
  desktop_file="$here/$app_id.desktop"
  metainfo="$here/$app_id.metainfo.xml"
  hicolor="$here/../../resources/icons/hicolor"
fi

refresh_caches() {
  # Menus and icon themes notice new files by themselves on most desktops; these make
  # it immediate where the tools exist.
  command -v update-desktop-database >/dev/null 2>&1 &&
    update-desktop-database -q "$share/applications" 2>/dev/null || true
  command -v gtk-update-icon-cache >/dev/null 2>&1 &&
    gtk-update-icon-cache -q -t "$share/icons/hicolor" 2>/dev/null || true
}

if [ "$mode" = uninstall ]; then
  rm -f "$share/applications/$app_id.desktop" "$share/metainfo/$app_id.metainfo.xml"
  rm -f "$share"/icons/hicolor/*/apps/"$app_id".png "$share/icons/hicolor/scalable/apps/$app_id.svg"
  if [ -L "$bindir/tutor" ] && [ "$(readlink "$bindir/tutor")" = "$libdir/tutor" ]; then
    rm -f "$bindir/tutor"
  fi
  rm -rf "$libdir"
  refresh_caches
  echo "Tutor removed from $prefix (your conversations and settings are kept)."
  exit 0
fi

if [ "$desktop_only" = 1 ]; then
  program="$(command -v tutor || true)"
  if [ -z "$program" ]; then
    echo "install.sh: no 'tutor' on PATH: install Tutor first (pipx install .)" >&2
    exit 1
  fi
else
  # Copy the bundle (this folder) whole; a previous copy is replaced.
  if [ "$here" != "$libdir" ]; then
    rm -rf "$libdir"
    mkdir -p "$(dirname "$libdir")"
    cp -a "$here" "$libdir"
  fi
  mkdir -p "$bindir"
  ln -sfn "$libdir/tutor" "$bindir/tutor"
  program="$libdir/tutor"
fi

mkdir -p "$share/applications" "$share/metainfo"
# Exec and TryExec name the installed program, so the menu works without PATH.
sed -e "s|^Exec=.*|Exec=$program|" -e "s|^TryExec=.*|TryExec=$program|" \
  "$desktop_file" >"$share/applications/$app_id.desktop"
cp "$metainfo" "$share/metainfo/"
for icon in "$hicolor"/*/apps/"$app_id".*; do
  size="$(basename "$(dirname "$(dirname "$icon")")")"
  mkdir -p "$share/icons/hicolor/$size/apps"
  cp "$icon" "$share/icons/hicolor/$size/apps/"
done
refresh_caches
echo "Tutor is in the applications menu ($share/applications/$app_id.desktop)."
echo "Program: $program"
