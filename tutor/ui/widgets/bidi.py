"""Direction marks for labels that put the learner's text (in any script) beside Tutor's.

A label takes its direction from its first strong letter, and Qt lays its lines out as
one paragraph: an Arabic preview under English lines took the English order, its "؟" on
the wrong side, and Qt measured the row shorter than it drew it, so the preview was cut
off. LRM keeps Tutor's own text left to right (RLM right to left, in an interface that
reads so: interface_mark); an isolate gives the learner's text its own direction without
changing the order of anything around it.
"""

from __future__ import annotations

from tutor.i18n.translate import reads_right_to_left

LRM = "\u200e"  # left-to-right mark: Tutor's text reads left to right
RLM = "\u200f"  # right-to-left mark: ... or right to left (an Arabic interface)
FSI, PDI = "\u2068", "\u2069"  # first strong isolate ... pop directional isolate
LRI = "\u2066"  # left-to-right isolate (ended by PDI): a run laid out left to right


def interface_mark() -> str:
    """The mark that gives a label the interface language's direction (RLM in Arabic),
    whatever script the text after it starts with."""
    return RLM if reads_right_to_left() else LRM


def isolate(text: str) -> str:
    """`text` in its own direction (its first strong letter's) inside a label."""
    return f"{FSI}{text}{PDI}"
