"""Direction marks for labels that put the learner's text (in any script) beside Tutor's.

A label takes its direction from its first strong letter, and Qt lays its lines out as
one paragraph: an Arabic preview under English lines took the English order, its "؟" on
the wrong side, and Qt measured the row shorter than it drew it, so the preview was cut
off. LRM keeps Tutor's own text left to right; an isolate gives the learner's text its
own direction without changing the order of anything around it.
"""

from __future__ import annotations

LRM = "\u200e"  # left-to-right mark: Tutor's text reads left to right
FSI, PDI = "\u2068", "\u2069"  # first strong isolate ... pop directional isolate


def isolate(text: str) -> str:
    """`text` in its own direction (its first strong letter's) inside a label."""
    return f"{FSI}{text}{PDI}"
