#!/usr/bin/env bash
# Build Tutor as a one-folder bundle with PyInstaller: dist/Tutor/ (Linux).
#
#   packaging/build.sh            build, then run the smoke check on the result
#   packaging/build.sh --no-check build only
#
# The build uses its own virtual environment (build/bundle-venv) with a regular install
# of Tutor from this checkout: PyInstaller follows real files, not the editable install
# in .venv. Qt's system libraries must be present (scripts/bootstrap installs them).
set -euo pipefail
cd "$(dirname "$0")/.."

check=1
[ "${1:-}" = "--no-check" ] && check=0

python="${PYTHON:-python3}"
venv=build/bundle-venv
started=$(date +%s)

if [ ! -x "$venv/bin/python" ]; then
  "$python" -c 'import sys; sys.exit(sys.version_info < (3, 11))' || {
    echo "build: Tutor needs Python 3.11 or newer ($python is $("$python" --version 2>&1))." >&2
    exit 1
  }
  "$python" -m venv "$venv"
  "$venv/bin/python" -m pip install -q --upgrade pip
fi
echo "build: installing Tutor and PyInstaller into $venv"
"$venv/bin/python" -m pip install -q ".[bundle]"
# The same version number would count as installed: always take this checkout's code.
"$venv/bin/python" -m pip install -q --no-deps --force-reinstall .

echo "build: running PyInstaller"
"$venv/bin/pyinstaller" --noconfirm --clean --log-level WARN \
  --distpath dist --workpath build/pyinstaller packaging/tutor.spec

finished=$(date +%s)
echo "build: dist/Tutor/ is $(du -sh dist/Tutor | cut -f1) ($(find dist/Tutor -type f | wc -l) files)," \
  "built in $((finished - started)) s"

if [ "$check" = 1 ]; then
  packaging/smoke_check.sh dist/Tutor
fi
