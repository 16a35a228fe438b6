"""Skipping a test for a missing system package, except where it cannot be missing.

The voice tests need Debian packages that scripts/bootstrap installs (speech-dispatcher,
its espeak-ng module, PulseAudio). A developer without them sees a skip that names the
package; CI (CI=true) on a Debian-like system ran scripts/bootstrap first, so there a
missing package is a failure: a package dropped from bootstrap is noticed.
"""

from __future__ import annotations

import os
import shutil

import pytest


def skip_unless_installed(reason: str | None) -> None:
    """Do nothing for None; otherwise skip with `reason`, or fail on CI on Debian."""
    if reason is None:
        return
    if os.environ.get("CI") and shutil.which("dpkg-query"):
        pytest.fail(f"{reason}, on CI after scripts/bootstrap")
    pytest.skip(reason)
