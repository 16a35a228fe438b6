"""`tutor doctor`: versions, paths, the keyring backend and whether the server answers.

Placeholder: being written (issue 7).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, TextIO

if TYPE_CHECKING:
    from tutor.app import Options


def report(options: Options, out: TextIO) -> int:
    print("tutor doctor: not written yet", file=out)
    return 0
