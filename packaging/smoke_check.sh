#!/usr/bin/env bash
# Smoke check of a built bundle: it prints its version, lists the built-in scenarios (its
# resources are inside), carries Qt's speech and multimedia plugins (the voice check in
# packaging/tutor_main.py), and starts its window offscreen, paints it and quits.
# Usage: packaging/smoke_check.sh [dist/Tutor]    (tests/test_bundle.py does the same)
set -euo pipefail
bundle="${1:-dist/Tutor}"
program="$bundle/tutor"
data="$(mktemp -d)"
trap 'rm -rf "$data"' EXIT

"$program" --version
count=$("$program" --data-dir "$data" scenarios | grep -c .)
echo "smoke: $count scenarios listed"
[ "$count" -ge 44 ] || { echo "smoke: expected at least 44 scenarios" >&2; exit 1; }
voice=$(TUTOR_BUNDLE_CHECK=voice QT_QPA_PLATFORM=offscreen timeout 60 "$program") || {
  echo "$voice"; echo "smoke: the voice check failed (speech or multimedia plugins missing)" >&2
  exit 1
}
echo "$voice"
grep -q "^voice check: text-to-speech engines: .*mock" <<<"$voice"
grep -q "^voice check: decodes: .*Wave" <<<"$voice"
echo "smoke: the speech and multimedia plugins are in the bundle"
QT_QPA_PLATFORM=offscreen timeout 60 "$program" --data-dir "$data" --measure-startup
echo "smoke: the window painted and Tutor quit"
