"""A reply that repeats itself is noticed within a few repeats, kept up to the first
one; what partners really write (in Spanish, English, Japanese, Chinese and more,
emphatic repeats, laughter, lists, drills) is never taken for a loop, at any point of
its streaming."""

from __future__ import annotations

import pytest

from tests.openai_server import split_tokens
from tutor.domain.repetition import (
    CHECK_EVERY_CHARS,
    RepetitionWatch,
    find_loop,
    occurrences_needed,
)

# What a conversation partner writes, repeats and all: none of it is a loop.
REAL_REPLIES = [
    # Spanish
    "¡Sí, sí, sí! ¡Claro que sí! Me encanta la idea. ¿Cuándo quieres ir?",
    "Jajajajajajaja, ¡qué gracioso! Nunca me había pasado algo así. ¿Y qué hiciste después?",
    "JAJAJAJAJAJAJAJAJAJAJA no puedo más 😂😂😂😂😂 ¡Eres un genio!",
    "¡Felicidades, felicidades, felicidades! ¡Qué buena noticia! ¿Cómo lo vas a celebrar?",
    "No, no, no, no, no. Eso no se dice así. Se dice «me gusta», no «me gusto».",
    "Muy, muy, muy bien. Tu frase es perfecta. Ahora intenta con el pasado: ayer yo…",
    "¡Gol, gol, gol, gol, gol! ¿Viste el partido de anoche? ¡Fue increíble!",
    "Repite conmigo: «Me gustaría un café». «Me gustaría un café». «Me gustaría un café». "
    "¡Muy bien! Ahora tú.",
    "Para la receta necesitas:\n- 2 huevos\n- 1 taza de harina\n- 1 taza de leche\n"
    "- 1 cucharada de azúcar\n- 1 pizca de sal\n¿Tienes todo?",
    "| Pronombre | Ser | Estar |\n|---|---|---|\n| yo | soy | estoy |\n| tú | eres | estás |\n"
    "| él | es | está |\n| nosotros | somos | estamos |",
    "Vale, vale, vale… Entonces, ¿tú prefieres la playa o la montaña? Yo, la montaña.",
    "El lunes trabajo, el martes trabajo, el miércoles trabajo, el jueves trabajo y el "
    "viernes, por fin, descanso. ¿Y tú?",
    "Los pollitos dicen pío, pío, pío, cuando tienen hambre, cuando tienen frío.",
    "Mmmmmmmmm… déjame pensar. ¡Ya sé! Podemos ir al cine.",
    "¿Qué? ¿¿¿En serio??? ¡¡¡No me lo puedo creer!!!",
    "Pues... pues... pues no sé qué decirte. ¡Qué sorpresa!",
    # English
    "Ha ha ha ha ha ha! That's hilarious. What did your sister say?",
    "Hahahahahahahahahahaha okay, okay, okay. You win. Let's talk about something else.",
    "Well, well, well. Look who finally finished their homework! How long did it take?",
    "Happy birthday! Happy birthday! Happy birthday! I hope it's a great day. Any plans?",
    "Row, row, row your boat, gently down the stream. Merrily, merrily, merrily, merrily, "
    "life is but a dream.",
    "Yes, yes, yes, I know. But practice makes perfect, right?",
    "Step 1: Preheat the oven. Step 2: Mix the flour and sugar. Step 3: Add the eggs. "
    "Step 4: Bake for 30 minutes. Step 5: Enjoy!",
    "Sooooooooo good!!!!!! I loooooove that place. Have you tried the tacos?",
    "-----\nToday's words:\n1. apple\n2. banana\n3. cherry\n-----",
    "Knock, knock. Who's there? Lettuce. Lettuce who? Lettuce in, it's cold out here!",
    "I said: 'Good morning.' You said: 'Good morning.' We both said: 'Good morning.' Nice!",
    # Japanese (no spaces)
    "はいはいはい、わかりました！じゃあ、明日の三時に駅で会いましょう。",
    "そうそうそう、それです！日本語がとても上手になりましたね。",
    "ははははは、面白いですね！他に何かありますか？",
    "wwwwwwwwwwwwwww それは笑えますね。",
    "「おはようございます」「おはようございます」「おはようございます」。朝の挨拶を三回練習しましたね。",
    "月曜日は仕事、火曜日も仕事、水曜日も仕事、木曜日も仕事、金曜日も仕事です。大変ですね。",
    "えーーーーーっ！本当ですか？すごいですね！！！！",
    "……そうですか。それは残念でしたね。……でも、また次がありますよ。",
    # Chinese (no spaces)
    "哈哈哈哈哈哈哈哈，太好笑了！你后来怎么办？",
    "对对对，你说得对！我们明天一起去吧。",
    "谢谢谢谢！你真好！我很喜欢这个礼物。",
    "好好好，我知道了。那我们几点见面？",
    "一二三四五六七八九十，你数得很好！现在我们学习十以上的数字。",
    "我爱你，我爱你，我爱你，这是一首很有名的歌。你听过吗？",
    "嗯嗯嗯……让我想想。我觉得你可以试试说“我想去图书馆”。",
    # Korean, Arabic, French, German
    "ㅋㅋㅋㅋㅋㅋㅋㅋㅋ 정말 웃겨요! 그래서 어떻게 됐어요?",
    "네네네, 알겠어요. 내일 만나요!",
    "هههههههه، هذا مضحك جداً! ماذا حدث بعد ذلك؟",
    "Oui, oui, oui ! Bien sûr. On se voit demain à midi ?",
    "Ja, ja, ja, ich weiß. Aber Übung macht den Meister!",
]


def streamed_prefixes(text: str):
    """Every length the reply has while it streams, character by character."""
    for end in range(1, len(text) + 1):
        yield text[:end]


@pytest.mark.parametrize("reply", REAL_REPLIES, ids=range(len(REAL_REPLIES)))
def test_real_replies_are_never_taken_for_a_loop(reply):
    for prefix in streamed_prefixes(reply):
        assert find_loop(prefix) is None, prefix
    watch = RepetitionWatch()
    assert all(watch.add(piece) is None for piece in split_tokens(reply))


def test_real_replies_sent_twice_are_not_a_loop_either():
    """A model that says its whole reply twice is odd, but not yet a loop."""
    for reply in REAL_REPLIES:
        twice = reply + " " + reply
        assert all(find_loop(prefix) is None for prefix in streamed_prefixes(twice))


def stream_until_loop(opening: str, unit: str, repeats: int = 200, piece_chars: int = 3):
    """Feed `opening` then `unit` x `repeats` in small pieces; the loop and how many
    occurrences of the unit had been streamed when it was noticed."""
    text = opening + unit * repeats
    watch = RepetitionWatch()
    for start in range(0, len(text), piece_chars):
        loop = watch.add(text[start : start + piece_chars])
        if loop is not None:
            streamed = start + piece_chars - len(opening)
            return loop, text[: loop.kept].rstrip(), streamed / len(unit)
    raise AssertionError("the loop was never noticed")


@pytest.mark.parametrize(
    ("opening", "unit", "kept"),
    [
        ("", "You're welcome. ", "You're welcome."),
        ("De nada. ", "You're welcome! ", "De nada. You're welcome!"),
        ("¡Claro! ", "Me alegro de que te guste. ", "¡Claro! Me alegro de que te guste."),
        ("Bueno, ", "y luego fuimos al mercado y ", "Bueno, y luego fuimos al mercado y"),
        ("", "Gracias.\n\n", "Gracias."),
        ("どういたしまして。", "どういたしまして。", "どういたしまして。"),
        ("", "不客气，很高兴能帮到你。", "不客气，很高兴能帮到你。"),
        ("好的！", "我们明天见", "好的！我们明天见"),
        ("Jajaja ", "ja", "Jajaja jajaja"),
        ("That's funny! ", "ha ", "That's funny! ha ha ha"),
        ("Hola.", "\n", "Hola."),
    ],
)
def test_a_loop_is_noticed_soon_and_kept_up_to_the_first_occurrence(opening, unit, kept):
    loop, kept_text, streamed = stream_until_loop(opening, unit)
    assert kept_text == kept
    needed = occurrences_needed(unit)
    assert needed <= loop.occurrences
    # Looked for every 16 characters: noticed within the 16 (and a piece) after that.
    assert streamed <= needed + (CHECK_EVERY_CHARS + 3) / len(unit)


@pytest.mark.parametrize(
    "unit",
    [
        "You're welcome. ",
        "¡De nada! Que tengas un buen día. ",
        "Me alegro mucho de que te guste ",  # a phrase without punctuation
        "どういたしまして。",
        "不客气，很高兴能帮到你。",
        "Of course! I'd be happy to help you practise your Spanish today. " * 3,
    ],
)
def test_a_sentence_that_loops_is_stopped_by_its_fifth_occurrence(unit):
    _loop, _kept, streamed = stream_until_loop("", unit)
    assert streamed <= 5


def test_a_paragraph_that_loops_is_noticed_at_its_fourth_occurrence():
    paragraph = (
        "Madrid es la capital de España. Tiene muchos museos, como el Prado y el Reina "
        "Sofía, y un parque muy grande que se llama el Retiro. "
    )
    loop, kept, streamed = stream_until_loop("¡Buena pregunta! ", paragraph, repeats=10)
    assert kept == "¡Buena pregunta! " + paragraph.rstrip()
    assert 4 <= streamed < 4.2
    # It began at the paragraph (or a character before, where the two happen to agree).
    assert len("¡Buena pregunta! ") - 2 <= loop.start <= len("¡Buena pregunta! ")


def test_what_is_kept_ends_where_a_sentence_ends_even_when_the_loop_began_mid_sentence():
    # The repeats match back into "nada." ("…a. " / "…e. "): the cut still ends the sentence.
    _loop, kept, _ = stream_until_loop("De nada. ", "You're welcome. ")
    assert kept == "De nada. You're welcome."


def test_a_reply_of_nothing_but_a_loop_of_blank_lines_keeps_nothing():
    _loop, kept, _ = stream_until_loop("", "\n")
    assert kept == ""


def test_the_watch_reports_positions_in_the_whole_reply_after_a_long_opening():
    opening = " ".join(f"palabra{i}" for i in range(2000)) + ". "  # longer than the tail kept
    loop, kept, _ = stream_until_loop(opening, "Hasta luego. ", piece_chars=5)
    assert kept == opening + "Hasta luego."
    assert len(opening) - 2 <= loop.start <= len(opening)
    assert loop.dropped == loop.length - loop.kept > 0


def test_a_text_that_varies_is_not_a_loop():
    counting = "".join(f"Número {i}. " for i in range(200))
    assert all(find_loop(prefix) is None for prefix in streamed_prefixes(counting))
