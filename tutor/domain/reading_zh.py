"""Pinyin for Chinese text, word by word (see reading_aids.py for the choice).

jieba cuts the text into words (with wordfreq's word list: _word_list); pypinyin reads
each word as a phrase, so a character with several readings takes the one it has in
that word (银行 yínháng, but 行 xíng in 行不行). Syllables of one word are written
together, as pinyin orthography does (yínháng); each character's syllable is kept too,
to stand over its character.
Characters outside the Han blocks (Latin letters, digits, punctuation) get no reading.
"""

from __future__ import annotations

import importlib.util
import logging
import re
from pathlib import Path

from tutor.domain.readings import Reader, Reading

_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002ffff〇]+")


def pinyin_reader() -> Reader:
    """Loads a jieba dictionary and pypinyin's (about half a second)."""
    import jieba
    from pypinyin import Style, pinyin

    jieba.setLogLevel(logging.WARNING)  # it announces its dictionary on stderr otherwise
    words = _word_list()
    tokenizer = jieba.Tokenizer(dictionary=str(words)) if words else jieba.Tokenizer()
    tokenizer.initialize()

    def read(text: str) -> list[Reading]:
        found: list[Reading] = []
        for run in _HAN.finditer(text):
            for word, start, end in tokenizer.tokenize(run.group(), HMM=False):
                syllables = [c[0] for c in pinyin(word, style=Style.TONE, errors="ignore") if c]
                if syllables:
                    offset = run.start()
                    parts = tuple(syllables) if len(syllables) == len(word) else ()
                    reading = "".join(syllables)
                    found.append(Reading(offset + start, offset + end, reading, parts))
        return found

    return read


def _word_list() -> Path | None:
    """wordfreq's word list for jieba, where wordfreq is installed (Tutor's level meter
    needs it): its 39,000 common words cut a reply as the meter cuts it, and load in
    0.1 s where jieba's own 350,000 take 1 s (a second in which the window, whose
    thread shares Python's lock with the loading one, stalled for up to 0.8 s). The
    readings do not depend on it: pypinyin reads each word, and a word it does not
    list is read a character at a time."""
    spec = importlib.util.find_spec("wordfreq")
    if spec is None or spec.origin is None:
        return None
    found = Path(spec.origin).parent / "data" / "jieba_zh.txt"
    return found if found.is_file() else None
