"""Learner sentences whose mistakes people labelled token by token, read from the
MultiGED-2023 format, and the text the coach is shown for each.

The format (github.com/spraakbanken/multiged-2023): one token a line, a tab, then "c"
(correct) or "i" (incorrect); a blank line between sentences; double quotes escaped as
`\\"`. Reading is lenient where nothing is lost (trailing spaces, a Windows line end, a
byte-order mark, several blank lines) and strict where a label would be guessed: a
line without a tab or with another label is an error naming its line number.

The corpus is tokenized; the coach is shown a sentence as a learner would type it
(`detokenize`), and each token keeps where it sits in that text, so Tutor's marks
(character offsets) can be laid back onto the tokens (tutor/domain/token_alignment.py).
"""

from __future__ import annotations

import random
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from functools import cached_property

CORRECT, INCORRECT = "c", "i"

# No space before these: they close something or end a clause.
_CLOSING = frozenset(",.;:!?)]}»”%…")
# No space after these: they open something.
_OPENING = frozenset("([{«„¿¡")
# Words cut short with an apostrophe (Italian "un po' di"): a space follows them, unlike
# an elided article ("l'uomo").
_TRUNCATED = frozenset({"po'", "mo'", "be'", "di'", "fa'", "va'", "sta'", "da'"})
_ESCAPED_QUOTE = re.compile(r'\\+"')
_QUOTE_ESCAPED = '\\"'


class Fault(StrEnum):
    """What is wrong, in English for the log and scripts; the interface words it in the
    learner's language (tutor/services/score_sources.py)."""

    NO_TAB = "no tab between the token and its label"  # i18n: ignore (see above)
    NO_TOKEN = "the token is empty"  # i18n: ignore (see above)
    BAD_LABEL = "the label is not 'c' (correct) or 'i' (incorrect)"  # i18n: ignore (see above)
    NO_SENTENCE = "no labelled sentence"  # i18n: ignore (see above)


class CorpusFormatError(ValueError):
    """A line that is not `token<TAB>c|i`: which line (from 1; 0 for the whole file) and
    what is wrong with it, for a message in the interface's language."""

    def __init__(self, source: str, line: int, fault: Fault, found: str = "") -> None:
        self.source, self.line, self.fault, self.found = source, line, fault, found
        where = f"{source}, line {line}" if source else f"line {line}"  # i18n: ignore (log)
        detail = f" (found {found!r})" if found else ""  # i18n: ignore (log)
        super().__init__(f"{where}: {fault.value}{detail}")


Layout = tuple[str, tuple[tuple[int, int], ...]]
"""A sentence's text and each token's (start, end) in it."""


@dataclass(frozen=True)
class LabelledSentence:
    tokens: tuple[str, ...]
    wrong: tuple[bool, ...]
    """One flag a token: True where people labelled it incorrect ("i")."""
    typed: Layout | None = field(default=None, compare=False, repr=False)
    """The text as the learner wrote it, where the corpus keeps it (UA-GEC); None:
    rebuilt from the tokens (MultiGED keeps only tokens)."""

    @cached_property
    def layout(self) -> Layout:
        """The text the coach sees and each token's (start, end) in it."""
        return self.typed if self.typed is not None else detokenize(self.tokens)

    @property
    def text(self) -> str:
        return self.layout[0]

    @property
    def spans(self) -> tuple[tuple[int, int], ...]:
        return self.layout[1]

    @property
    def errors(self) -> int:
        return sum(self.wrong)


SAMPLE_SEED = 19
SAMPLE_SIZE = 200
MIN_TOKENS, MAX_TOKENS = 4, 40


def sample_of(
    sentences: Sequence[LabelledSentence], size: int = SAMPLE_SIZE, seed: int = SAMPLE_SEED
) -> list[LabelledSentence]:
    """The samples' rule (docs/coach-score.md): the sentences of MIN_TOKENS to MAX_TOKENS
    tokens with no "unreadable" token (MERLIN marks what its transcribers could not
    read), then `size` of them drawn with random.Random(seed), in the drawn order, so
    that the first N of a sample are themselves a random sample (`--limit N`)."""
    eligible = [
        s
        for s in sentences
        if MIN_TOKENS <= len(s.tokens) <= MAX_TOKENS
        and not any("unreadable" in token for token in s.tokens)
    ]
    return random.Random(seed).sample(eligible, min(size, len(eligible)))


def read_multiged(lines: Iterable[str], *, source: str = "") -> list[LabelledSentence]:
    """Every sentence of a MultiGED TSV; CorpusFormatError at the first bad line.

    `source` names the file in the error ("it_merlin_dev.tsv, line 12: …").
    """
    return list(iter_multiged(lines, source=source))


def iter_multiged(lines: Iterable[str], *, source: str = "") -> Iterator[LabelledSentence]:
    tokens: list[str] = []
    wrong: list[bool] = []
    for number, raw in enumerate(lines, start=1):
        line = raw.rstrip("\r\n")
        if number == 1:
            line = line.removeprefix("\ufeff")
        if not line.strip():
            if tokens:
                yield LabelledSentence(tuple(tokens), tuple(wrong))
                tokens, wrong = [], []
            continue
        token, tab, label = line.partition("\t")
        label = label.strip()
        if not tab:
            raise CorpusFormatError(source, number, Fault.NO_TAB, _shortened(line))
        if not token.strip():
            raise CorpusFormatError(source, number, Fault.NO_TOKEN)
        if label not in (CORRECT, INCORRECT):
            raise CorpusFormatError(source, number, Fault.BAD_LABEL, _shortened(label))
        tokens.append(_unescaped(token.strip()))
        wrong.append(label == INCORRECT)
    if tokens:
        yield LabelledSentence(tuple(tokens), tuple(wrong))


def write_multiged(sentences: Iterable[LabelledSentence]) -> str:
    """The sentences in the same format (quotes escaped back), for the sample script."""
    blocks = []
    for sentence in sentences:
        rows = [
            token.replace('"', _QUOTE_ESCAPED) + "\t" + (INCORRECT if bad else CORRECT)
            for token, bad in zip(sentence.tokens, sentence.wrong, strict=True)
        ]
        blocks.append("\n".join(rows) + "\n")
    return "\n".join(blocks)


def _elided(token: str) -> bool:
    """True for a word that loses its vowel to the next one ("l'", "dell'", "c'")."""
    return (
        len(token) > 1
        and token.endswith(("'", "’"))
        and token.replace("’", "'").casefold() not in _TRUNCATED
    )


def _shortened(text: str, limit: int = 20) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _unescaped(token: str) -> str:
    # MultiGED escapes a double quote as \" and a few Italian lines twice, as \\\".
    return _ESCAPED_QUOTE.sub('"', token)


def detokenize(tokens: Iterable[str]) -> tuple[str, tuple[tuple[int, int], ...]]:
    """The tokens as a learner would have typed them, and each token's (start, end).

    One space between tokens, except: none before a token that closes (, . ; : ! ? ) ] }
    » ” % …), none after one that opens (( [ { « „ ¿ ¡) or after an elided word ending in
    an apostrophe ("l'", "dell'": "l'uomo"; but "un po' di": a word cut short keeps its
    space). A straight double quote opens and closes in
    turn; “ opens, unless a „ is open (Czech writes „…“), in which case it closes.
    """
    text = ""
    spans: list[tuple[int, int]] = []
    glue_next = True  # no space before the first token
    straight_open = low_open = False
    for token in tokens:
        closes = token[0] in _CLOSING
        opens = token in _OPENING or (token == "“" and not low_open)
        if token == '"':
            closes, opens = straight_open, not straight_open
            straight_open = not straight_open
        elif token == "“" and low_open:
            closes, low_open = True, False
        elif token == "„":
            low_open = True
        if not glue_next and not closes:
            text += " "
        spans.append((len(text), len(text) + len(token)))
        text += token
        glue_next = opens or _elided(token)
    return text, tuple(spans)
