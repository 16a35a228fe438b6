"""A streamed reply cut into sentences as it arrives, so the first one can be spoken
before the rest has come.

`SentenceFeeder` takes the reply's pieces and hands back each sentence once it is sure
the sentence is complete, with its offsets in the whole text; what may still grow is
held until more comes or the stream ends (`finish`). The sentences tile the text: the
first starts at 0, each starts where the one before ended, and after `finish` the last
ends at the text's end. White space after a sentence belongs to it (`Sentence.spoken`
gives the offsets without it, for highlighting).

Where a sentence ends:
- after `.` `!` `?` `…` `؟` (and any closing quotes or brackets) followed by white
  space: Latin, Cyrillic, Greek and Arabic script write a space between sentences;
- after `。` `！` `？` `｡` `．` with or without a space: Chinese and Japanese write none;
- at a line break (a list item, a paragraph);
- not after an abbreviation ("Sr.", "p. ej.", "e.g.", "z.B.", "etc." before a lower-case
  word), a single letter (an initial), a number ("am 3. Mai"), nor inside a decimal
  ("3.5", no space) or before a lower-case word ("Bueno... pero");
- a sentence left longer than LONG_SENTENCE characters with no end in sight is cut at
  its last clause mark (`,` `;` `:` `،` `、` `，`), so a model that writes in commas is
  still heard before it has finished. The Arabic comma is such a mark, never an end.

To be sure, the feeder waits for the first character after the space (or after the
wide stop): one more streamed piece, a few milliseconds.

Pure and cheap: each piece is scanned from where the last undecided mark was, so a
reply costs about its length once.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

LONG_SENTENCE = 240
"""Characters after which a sentence with no end yet is cut at a clause mark."""
SHORTEST_CLAUSE = 40
"""A cut at a clause mark leaves at least this much on its left."""

_CLOSERS = "\"'”’»)\\]}」』】〕》〉）"
_CANDIDATE = re.compile(rf"[.!?…؟。！？｡．‼⁇⁈⁉]+[{_CLOSERS}]*|\n+")
_WIDE_STOPS = frozenset("。！？｡．")
_FIRM_STOPS = frozenset("!?؟！？‼⁇⁈⁉")
_CLAUSE_MARK = re.compile(r"[,;:،؛]\s|[、，；：]")
_LAST_WORD = re.compile(r"(\S+)$")
ABBREVIATIONS = frozenset(
    {
        # English
        "mr", "mrs", "ms", "dr", "prof", "st", "jr", "sr", "vs", "etc", "e.g", "i.e",
        "approx", "fig", "a.m", "p.m",
        # Spanish and Portuguese
        "sra", "srta", "dra", "ud", "uds", "vd", "vds", "pág", "núm", "ej", "aprox",
        "av", "avda", "sto", "sta", "dña", "pp", "cía",
        # French
        "mme", "mlle", "env", "cf",
        # German
        "z.b", "bzw", "usw", "ca", "hr", "fr", "nr", "str", "d.h", "u.a",
    }
)  # fmt: skip
"""Words written with a full stop that do not end a sentence (lower case, no last dot).
"etc." and "usw." often do end one: a capital after them is taken as a new sentence
only when they are not in this list, so a sentence after them is heard with the one
before; a pause lost, nothing said wrong."""


@dataclass(frozen=True)
class Sentence:
    start: int
    end: int
    text: str
    """text[start:end] of the whole reply, white space after it included."""

    @property
    def is_blank(self) -> bool:
        return not self.text.strip()

    @property
    def spoken(self) -> tuple[int, int]:
        """(start, end) without the white space around it: what a highlight covers."""
        leading = len(self.text) - len(self.text.lstrip())
        trailing = len(self.text) - len(self.text.rstrip())
        return self.start + leading, max(self.start + leading, self.end - trailing)


class SentenceFeeder:
    """Pieces of a streamed text in, complete sentences out (see the module's docstring)."""

    def __init__(self) -> None:
        self._text = ""
        self._start = 0
        """Where the next sentence starts: everything before it was handed out."""
        self._scan = 0
        """Where the search for a sentence's end resumes."""
        self._finished = False

    @property
    def text(self) -> str:
        return self._text

    @property
    def held(self) -> str:
        """What has come but is not yet a complete sentence."""
        return self._text[self._start :]

    def feed(self, piece: str) -> list[Sentence]:
        """Add the next piece; the sentences it completed, in order (often none)."""
        if self._finished:
            raise RuntimeError("the stream has ended")
        if not piece:
            return []
        self._text += piece
        return self._sentences(final=False)

    def feed_text(self, text_so_far: str) -> list[Sentence]:
        """The whole text so far instead of a piece; it must extend what came before."""
        if not text_so_far.startswith(self._text):
            raise ValueError("the text does not extend what came before")  # i18n: ignore: a bug
        return self.feed(text_so_far[len(self._text) :])

    def finish(self) -> list[Sentence]:
        """The stream ended: the sentences left, the held rest the last of them (blank
        when only white space was left)."""
        if self._finished:
            return []
        self._finished = True
        found = self._sentences(final=True)
        if self._start < len(self._text):
            found.append(self._take(len(self._text)))
        return found

    def _sentences(self, *, final: bool) -> list[Sentence]:
        text = self._text
        found: list[Sentence] = []
        position = self._scan
        while (mark := _CANDIDATE.search(text, position)) is not None:
            after = mark.end()
            following = after
            while following < len(text) and text[following].isspace():
                following += 1
            if following == len(text) and not final:
                self._scan = mark.start()  # undecided: decide when more has come
                break
            position = after
            if self._ends_sentence(mark, following) and text[self._start : mark.start()].strip():
                found.append(self._take(following))
                position = following
        else:
            self._scan = len(text)
        if not final and len(text) - self._start > LONG_SENTENCE:
            cut = self._clause_cut()
            if cut is not None:
                found.append(self._take(cut))
                self._scan = max(self._scan, cut)
        return found

    def _take(self, end: int) -> Sentence:
        sentence = Sentence(self._start, end, self._text[self._start : end])
        self._start = end
        return sentence

    def _ends_sentence(self, mark: re.Match[str], following: int) -> bool:
        text = self._text
        marks = mark.group().rstrip(_CLOSERS)
        if marks.startswith("\n"):
            return True
        if marks[-1] in _WIDE_STOPS:
            return True
        if following == mark.end() and following < len(text):
            return False  # no space after it: "3.5", "a.m.", "Hola.¿"
        if _FIRM_STOPS.intersection(marks):
            return True
        # A full stop or an ellipsis: not before a lower-case word or a number, and
        # not after an abbreviation, an initial or a number.
        if following < len(text):
            next_char = text[following]
            if next_char.islower() or next_char.isdigit():
                return False
        word = _LAST_WORD.search(text, self._start, mark.start())
        if word is None or marks.startswith(("...", "…")):
            return True
        token = word.group(1).lstrip("\"'“‘«([{¿¡").lower()
        if not token:
            return True
        if token in ABBREVIATIONS or token.isdigit():
            return False
        return not (len(token) == 1 and token.isalpha())

    def _clause_cut(self) -> int | None:
        """Where to cut a long sentence with no end yet: after its last clause mark."""
        text = self._text
        cut = None
        for mark in _CLAUSE_MARK.finditer(text, self._start + SHORTEST_CLAUSE):
            cut = mark.end()
        if cut is None or not text[cut:].strip():
            return None  # the mark ends what has come: wait, a real end may follow
        return cut


def split_sentences(text: str) -> list[Sentence]:
    """The sentences of a whole text (a message already written)."""
    feeder = SentenceFeeder()
    return feeder.feed(text) + feeder.finish()
