"""Reading aids: the one-time cost of loading each language's libraries, the cost of
reading a 60-word reply (pinyin, furigana, romanization), the cost of painting a screen
of Chinese replies with their pinyin, and that start-up loads none of the libraries.

Run: .venv/bin/python -m benchmarks.reading_aids
`benchmarks.run --only reading_aids` calls `run()`. The readings are computed off the
GUI thread once per reply; the paint runs on the GUI thread at every repaint of the
conversation, so it is the figure that must stay small. Loading the libraries on a pool
thread still slows the GUI thread, which shares Python's lock with it: the load figure
reports the longest pause meanwhile (with jieba's own 350,000-word dictionary it was up
to 0.8 s; with wordfreq's 39,000 words, about 0.1 s).
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import threading
import time

from benchmarks.common import Config, Figure, ms, offscreen, summary

LIBRARIES = ("jieba", "pypinyin", "MeCab", "ipadic", "korean_romanizer")

SENTENCES = {
    "zh": "我们周末一起去银行旁边的茶馆吧。那里的绿茶很好喝，还有很多好吃的点心。"
    "你平时喜欢喝什么？",
    "ja": "昨日は友達と一緒に京都へ行きました。金閣寺は本当にきれいでしたよ。"
    "あなたは週末に何をしましたか？",
    "ko": "저도 김치찌개를 정말 좋아해요. 이번 주말에 같이 식당에 갈까요? "
    "학교 앞에 맛있는 곳이 있어요.",
}
WORDS_PER_SENTENCE = {"zh": 20, "ja": 20, "ko": 11}
"""Words of each sentence as jieba, MeCab and spaces count them."""


def reply_of_60_words(language: str) -> str:
    sentence = SENTENCES[language]
    times = -(-60 // WORDS_PER_SENTENCE[language])
    return (" " if language == "ko" else "").join([sentence] * times)


def run(config: Config) -> list[Figure]:
    offscreen()
    figures = [_startup_figure()]
    from tutor.domain.reading_aids import ReadingAnalyser

    analyser = ReadingAnalyser()
    repeats = 20 if config.quick else 200
    for language in ("zh", "ja", "ko"):
        load, pause = _load_beside_the_gui(analyser, language)
        text = reply_of_60_words(language)
        analyser.readings(text, language)  # warm
        times = []
        for _ in range(repeats):
            started = time.perf_counter()
            analyser.readings(text, language)
            times.append(time.perf_counter() - started)
        median = ms(statistics.median(times))
        figures.append(
            Figure(
                f"reading_aids.load_{language}_ms",
                f"Reading aids: {language} libraries loaded (once, pool thread)",
                ms(load),
                "ms",
                None,
                measured=f"{ms(load):.0f} ms (longest GUI pause meanwhile {ms(pause):.0f} ms)",
                details={"gui_pause_ms": round(ms(pause), 1)},
            )
        )
        figures.append(
            Figure(
                f"reading_aids.reply_{language}_ms",
                f"Reading aids: a 60-word {language} reply read (pool thread)",
                median,
                "ms",
                10.0,
                measured=f"{median:.2f} ms median ({len(text)} characters)",
                details=summary([ms(t) for t in times]),
            )
        )
    figures += _paint_figures(analyser, 5 if config.quick else 30)
    return figures


def _load_beside_the_gui(analyser: object, language: str) -> tuple[float, float]:
    """Load a language's libraries on another thread, as the overlay does, while this
    one turns an event loop: how long the load took, and the longest the loop waited
    for a turn meanwhile (the libraries are Python: they hold the interpreter's lock)."""
    from PySide6.QtWidgets import QApplication

    from tutor.domain.reading_aids import ReadingAnalyser

    assert isinstance(analyser, ReadingAnalyser)
    app = QApplication.instance() or QApplication([])
    loaded = threading.Event()
    took: list[float] = []

    def load() -> None:
        started = time.perf_counter()
        analyser.load(language)
        took.append(time.perf_counter() - started)
        loaded.set()

    threading.Thread(target=load).start()
    longest, last = 0.0, time.perf_counter()
    while not loaded.is_set():
        app.processEvents()
        time.sleep(0.001)  # a turn of the loop when idle
        now = time.perf_counter()
        longest, last = max(longest, now - last - 0.001), now
    return took[0], longest


def _startup_figure() -> Figure:
    """The window's modules (the overlay and its controls among them) import none of
    the libraries: they load when a session with an aid is read, after the first paint."""
    probe = (
        "import sys, tutor.app, tutor.ui.shell.main_window, tutor.ui.shell.conversation_pane;"
        f"print(','.join(m for m in {LIBRARIES!r} if m in sys.modules))"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    loaded = done.stdout.strip()
    return Figure(
        "reading_aids.startup_libraries",
        "Reading aids: libraries the window loads at start-up",
        0.0 if not loaded else 1.0,
        "",
        None,
        measured=loaded or "none",
        passed_override=not loaded,
        target_label="none",
    )


def _paint_figures(analyser: object, repeats: int) -> list[Figure]:
    """A full repaint of the conversation, 150 Chinese replies drawn, with and without
    their pinyin painted over them."""
    from datetime import UTC, datetime

    from PySide6.QtWidgets import QApplication

    from benchmarks.common import wait_until
    from tutor.domain.conversation import ChatMessage, Role
    from tutor.domain.reading_aids import ReadingAnalyser
    from tutor.ui.chat.chat_view import ChatView
    from tutor.ui.chat.reading_overlay import ReadingOverlay
    from tutor.ui.shell.tasks import TaskRunner

    assert isinstance(analyser, ReadingAnalyser)
    app = QApplication.instance() or QApplication([])
    view = ChatView()
    view.resize(800, 700)
    view.show()
    overlay = ReadingOverlay(view, TaskRunner(), analyser)
    overlay.set_language("zh")
    when = datetime.now(UTC)
    messages = [ChatMessage(i + 1, 1, Role.ASSISTANT, SENTENCES["zh"], when) for i in range(150)]
    view.show_messages(messages)
    app.processEvents()

    def repaint_ms() -> float:
        times = []
        for _ in range(repeats):
            started = time.perf_counter()
            view.viewport().repaint()
            times.append(time.perf_counter() - started)
        return ms(statistics.median(times))

    without = repaint_ms()
    overlay.set_shown(True)
    wait_until(lambda: all(overlay.readings_of(m.id) for m in messages[-5:]), timeout=30)
    app.processEvents()
    with_pinyin = repaint_ms()
    painted = len(overlay.painted)

    # The conversation drawn afresh (as when it opens): room is made again for all 150
    # replies, a batch at a time; the longest the GUI thread is held by one turn.
    view.show_messages(messages)
    longest = 0.0
    started = time.perf_counter()
    while not all(overlay.readings_of(m.id) for m in messages):
        turn = time.perf_counter()
        app.processEvents()
        longest = max(longest, time.perf_counter() - turn)
        if time.perf_counter() - started > 30:
            raise TimeoutError("the readings did not come back")
    view.close()
    return [
        Figure(
            "reading_aids.paint_ms",
            "Reading aids: a screen of pinyin repainted (GUI thread)",
            with_pinyin,
            "ms",
            16.0,
            measured=f"{with_pinyin:.2f} ms ({without:.2f} ms without; {painted} syllables)",
        ),
        Figure(
            "reading_aids.room_turn_ms",
            "Reading aids: longest GUI pause, room for 150 replies",
            ms(longest),
            "ms",
            100.0,
            measured=f"{ms(longest):.0f} ms (all in {ms(time.perf_counter() - started):.0f} ms)",
        ),
    ]


def main() -> None:
    from pathlib import Path

    for figure in run(Config(quick=False, data=Path(), work=Path())):
        print(f"{figure.title}: {figure.measured}")


if __name__ == "__main__":
    main()
