"""Revised Romanization of Korean, word by word (see reading_aids.py).

korean-romanizer writes each syllable block and links a final consonant to a following
vowel (한국어 hangugeo), but leaves out the sound changes the Revised Romanization
writes: nasalization (합니다 hamnida, 국물 gungmul), ㄹ read as ㄴ after another consonant
(독립 dongnip), ㄴ and ㄹ together as ll (신라 Silla, 설날 seollal) and palatalization (같이
gachi). These are applied here first, by spelling the word as it is pronounced, within
one word (the system romanizes each word on its own).
"""

from __future__ import annotations

import re

from tutor.domain.readings import Reader, Reading

_WORD = re.compile(r"[\uac00-\ud7a3]+")
_FIRST, _SYLLABLES_PER_INITIAL, _FINALS = 0xAC00, 588, 28

# Initial consonants (choseong) by index.
_N, _R, _M, _NG, _J, _CH = 2, 5, 6, 11, 12, 14
_I = 20  # the vowel ㅣ (jungseong index)
# Final consonants (jongseong) by index, 0 = none.
_F_N, _F_D, _F_L, _F_LT, _F_M, _F_NG, _F_T = 4, 7, 8, 13, 16, 21, 25
_VELAR_FINALS = frozenset({1, 2, 3, 9, 24})  # ㄱ ㄲ ㄳ ㄺ ㅋ -> ㅇ before ㄴ ㅁ
_DENTAL_FINALS = frozenset({7, 19, 20, 22, 23, 25, 27})  # ㄷ ㅅ ㅆ ㅈ ㅊ ㅌ ㅎ -> ㄴ
_LABIAL_FINALS = frozenset({17, 18, 26, 14})  # ㅂ ㅄ ㅍ ㄿ -> ㅁ


def romanization_reader() -> Reader:
    from korean_romanizer.romanizer import Romanizer

    def read(text: str) -> list[Reading]:
        return [
            Reading(m.start(), m.end(), _romanized(Romanizer, m.group()))
            for m in _WORD.finditer(text)
        ]

    return read


def _romanized(romanizer: type, word: str) -> str:
    # ㄹ ending a syllable is l, beginning one r; the two together are ll (실라 silla).
    return str(romanizer(as_pronounced(word)).romanize()).replace("lr", "ll")


def as_pronounced(word: str) -> str:
    """A word of Hangul syllables spelled as the sound changes between its syllables
    make it sound, for a romanizer that writes the spelling."""
    parts = [_split(c) for c in word]
    for i in range(len(parts) - 1):
        (_ai, _am, final), (initial, medial, after) = parts[i], parts[i + 1]
        if initial == _R and final not in (0, _F_N, _F_L):
            initial = _N  # 독립 -> 독닙, 대통령 -> 대통녕
        if final == _F_N and initial == _R:
            final = _F_L  # 신라 -> 실라
        elif final == _F_L and initial == _N:
            initial = _R  # 설날 -> 설랄
        if initial in (_N, _M):
            if final in _VELAR_FINALS:
                final = _F_NG  # 국물 -> 궁물
            elif final in _DENTAL_FINALS:
                final = _F_N  # 있는 -> 인는
            elif final in _LABIAL_FINALS:
                final = _F_M  # 합니다 -> 함니다
        if initial == _NG and medial == _I and final in (_F_D, _F_T, _F_LT):
            initial = _J if final == _F_D else _CH  # 같이 -> 가치, 굳이 -> 구지
            final = _F_L if final == _F_LT else 0
        parts[i] = (parts[i][0], parts[i][1], final)
        parts[i + 1] = (initial, medial, after)
    return "".join(_join(*part) for part in parts)


def _split(syllable: str) -> tuple[int, int, int]:
    code = ord(syllable) - _FIRST
    return (
        code // _SYLLABLES_PER_INITIAL,
        (code % _SYLLABLES_PER_INITIAL) // _FINALS,
        code % _FINALS,
    )


def _join(initial: int, medial: int, final: int) -> str:
    return chr(_FIRST + initial * _SYLLABLES_PER_INITIAL + medial * _FINALS + final)
