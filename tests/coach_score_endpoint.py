"""The test server as a coach being measured (tutor coach-score, Settings → Corrections
→ Measure this model): scripted corrections of learner sentences.

:class:`CoachScoreScript` answers a coach request whose learner text it knows with the
corrected text scripted for it, a sentence it is told to garble with an answer that is
not JSON, and any other sentence with "no mistakes" (the text as it is). Install it as
``server.default_coach_reply``.

:data:`ITALIAN_CORRECTIONS` corrects five of the first 50 sentences of the shipped
Italian sample (resources/coach_corpora/it_merlin_sample.tsv) and over-corrects two.
What MultiGED's labels make of them, counted by hand (a starred token is labelled
incorrect, a marked one is what Tutor's diff marks):

====  ============================================  =====================  ==  ==
 #    learner tokens (labels)                       marked                 TP  FP
====  ============================================  =====================  ==  ==
 1    Ho la passione ,  ho …                        ,                      0   1
 3    … lavoro , in* questa* mese …                 questa                 1   0
 4    Quanto* fini* lavori* a* sabato ?             Quanto, fini, a        3   0
 5    … dire ,* … é* … e da* tanta sodisfazione*    é, da, sodisfazione    3   0
      del* lavoro .
 7    Sono veramente contento per te .              veramente              0   1
 8    APPUNTAMENTI* SABATO* SERA* ?                 all three              3   0
====  ============================================  =====================  ==  ==

In #4 the diff takes "Quanto fini" → "Quando finiscono i" as one change, so the
missing article "i" is marked with "fini", not on "lavori" where MultiGED labels a
missing word: "lavori" counts as missed (docs/coach-score.md, "What the alignment
cannot see"). The first 50 sentences hold 80 labelled tokens, so 10 true positives,
2 false positives and 70 false negatives: precision 10/12 = 83.3%, recall 10/80 =
12.5%, F0.5 = 1.25 × P × R / (0.25 × P + R) = 39.1%.
"""

from __future__ import annotations

import json
from collections.abc import Collection, Mapping
from typing import Any

from tests.openai_server import ScriptedReply, coach_reply

ITALIAN_CORRECTIONS: dict[str, str] = {
    "Ho la passione, ho il motivo per migliorare continuamente il mio livello.": (
        "Ho la passione e ho il motivo per migliorare continuamente il mio livello."
    ),
    "Quando deve cominciare il lavoro, in questa mese o il prossimo?": (
        "Quando deve cominciare il lavoro, in questo mese o il prossimo?"
    ),
    "Quanto fini lavori a sabato?": "Quando finiscono i lavori sabato?",
    "Ho sentito dire, che la Loro società é molto piacevole per i lavoratori e da tanta "
    "sodisfazione del lavoro.": (
        "Ho sentito dire, che la Loro società è molto piacevole per i lavoratori e dà tanta "
        "soddisfazione del lavoro."
    ),
    "Sono veramente contento per te.": "Sono davvero contento per te.",
    "APPUNTAMENTI SABATO SERA?": "Appuntamenti sabato sera?",
}
ITALIAN_FIGURES = {"precision": "83.3%", "recall": "12.5%", "f05": "39.1%"}
"""What the first 50 Italian sentences score with ITALIAN_CORRECTIONS (see above)."""


class CoachScoreScript:
    """A coach reply function: ``corrections`` (learner text → corrected text) answered
    as JSON verdicts, ``garbled`` sentences answered with text that is not JSON."""

    def __init__(
        self, corrections: Mapping[str, str], garbled: Collection[str] = frozenset()
    ) -> None:
        self.corrections = dict(corrections)
        self.garbled = set(garbled)
        self.asked: list[str] = []

    def __call__(self, body: dict[str, Any]) -> ScriptedReply:
        wrote = learner_wrote(body)
        self.asked.append(wrote)
        if wrote in self.garbled:
            return ScriptedReply(text="Sorry, I cannot help with that.")
        return coach_reply(self.corrections.get(wrote, wrote))


def learner_wrote(body: dict[str, Any]) -> str:
    """The learner text of a coach request: ``learner_wrote`` in the JSON of the last
    user message (after any instructions folded into it)."""
    users = [m for m in body.get("messages", []) if m.get("role") == "user"]
    if not users:
        return ""
    content = users[-1].get("content", "")
    if not isinstance(content, str):
        return ""
    try:
        payload = json.loads(content.rsplit("\n\n", 1)[-1])
    except ValueError:
        return ""
    wrote = payload.get("learner_wrote") if isinstance(payload, dict) else None
    return wrote if isinstance(wrote, str) else ""
