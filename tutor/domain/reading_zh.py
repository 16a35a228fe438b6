"""Pinyin for Chinese text, word by word (see reading_aids.py for the choice).

jieba cuts the text into words; pypinyin reads each word as a phrase, so a character
with several readings takes the one it has in that word (银行 yínháng, but 行 xíng in
行不行). Syllables of one word are written together, as pinyin orthography does
(yínháng); each character's syllable is kept too, to stand over its character.
Characters outside the Han blocks (Latin letters, digits, punctuation) get no reading.
"""

from __future__ import annotations

import logging
import re

from tutor.domain.readings import Reader, Reading

_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002ffff〇]+")


def pinyin_reader() -> Reader:
    """Loads jieba's dictionary (about a second the first time) and pypinyin's."""
    import jieba
    from pypinyin import Style, pinyin

    jieba.setLogLevel(logging.WARNING)  # it announces its dictionary on stderr otherwise
    tokenizer = jieba.Tokenizer()
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
