"""Synthetic data dirs for the benchmarks: many sessions in many scripts, real schema.

The database is created through `open_database`, so every migration runs and the FTS
triggers index each message as it is inserted, exactly as in the app. Sessions and
corrections go through the stores; only the plain message rows are bulk-inserted with
the same columns `SessionStore.add_message` writes, because a store call per message
(one commit each) would make 100,000 messages take minutes instead of seconds.
"""

from __future__ import annotations

import random
import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from tutor.domain.corrections import CoachPath, CoachVerdict, Mark, build_marks
from tutor.domain.levels import Level
from tutor.domain.profile import LearnerProfile
from tutor.domain.providers import ProviderKind
from tutor.domain.scenarios import FREE_CONVERSATION, Scenario
from tutor.domain.settings import ProviderSettings, Settings
from tutor.store.corrections import CorrectionStore
from tutor.store.database import open_database, transaction
from tutor.store.sessions import SessionStore
from tutor.store.settings_file import SettingsFile

# Nothing listens here: start-up builds the client but never connects, and a benchmark
# that streams points the session at its own local server instead.
UNREACHABLE_SERVER = "http://127.0.0.1:9/v1"
MODEL = "tutor-test-small"


@dataclass(frozen=True)
class Corpus:
    """Lines in one language: what a learner writes (with a mistake, and corrected)
    and what a partner answers."""

    native: str
    learner: tuple[tuple[str, str], ...]
    partner: tuple[str, ...]


CORPORA: dict[str, Corpus] = {
    "es": Corpus(
        "en",
        (
            (
                "Ayer yo fue al parque con mi hermana.",
                "Ayer yo fui al parque con mi hermana.",
            ),
            ("Me gusta mucho los domingos.", "Me gustan mucho los domingos."),
            (
                "Quiero reservar una mesa para dos personas mañana.",
                "Quiero reservar una mesa para dos personas mañana.",
            ),
            ("El tren sale a las ocho y medio.", "El tren sale a las ocho y media."),
        ),
        (
            "¡Qué bien! ¿Y qué hicisteis en el parque? A mí me encanta pasear por el Retiro "
            "cuando hace sol.",
            "Los domingos son perfectos para descansar. ¿Sueles comer con tu familia?",
            "Claro, tenemos una mesa libre a las nueve. ¿A nombre de quién la reservo?",
            "Perfecto, entonces nos vemos en la estación. ¿Quieres que compre los billetes?",
        ),
    ),
    "ja": Corpus(
        "en",
        (
            ("週末は友達と京都を行きました。", "週末は友達と京都に行きました。"),
            ("金閣寺はとてもきれいだでした。", "金閣寺はとてもきれいでした。"),
            ("駅までどうやって行きますか。", "駅までどうやって行きますか。"),
            ("日本の食べ物が大好きです。", "日本の食べ物が大好きです。"),
        ),
        (
            "いいですね！京都ではどこが一番楽しかったですか。私は嵐山の竹林が好きです。",
            "金閣寺は秋に行くと紅葉もきれいですよ。写真をたくさん撮りましたか。",
            "まっすぐ行って、二つ目の信号を右に曲がってください。五分ぐらいです。",
            "何が一番好きですか。私はラーメンとお寿司が好きです。",
        ),
    ),
    "ar": Corpus(
        "en",
        (
            ("قرأت رواية جميل عن مدينة القاهرة.", "قرأت رواية جميلة عن مدينة القاهرة."),
            ("أحب المشي قرب النيل في المساء.", "أحب المشي قرب النيل في المساء."),
            ("هل يمكنك أن تساعدني من فضلك؟", "هل يمكنك أن تساعدني من فضلك؟"),
            ("أين محطة القطار؟", "أين محطة القطار؟"),
        ),
        (
            "رائع! ما اسم الرواية؟ أنا أيضاً أحب القراءة عن تاريخ القاهرة القديمة.",
            "النيل جميل جداً عند الغروب. هل تذهب إلى هناك مع أصدقائك؟",
            "بالطبع، كيف يمكنني مساعدتك اليوم؟",
            "المحطة قريبة من هنا، امشِ مستقيماً ثم انعطف يساراً.",
        ),
    ),
    "en": Corpus(
        "es",
        (
            ("Yesterday I goed to the park.", "Yesterday I went to the park."),
            (
                "Could you tell me the way to the station?",
                "Could you tell me the way to the station?",
            ),
            (
                "I would like a coffee with milk, please.",
                "I would like a coffee with milk, please.",
            ),
            ("What did you do at the weekend?", "What did you do at the weekend?"),
        ),
        (
            "That sounds lovely! Did you go alone, or with friends? The weather was perfect.",
            "Of course: take the second left, then walk straight on for five minutes.",
            "Sure, one coffee with milk. Would you like anything to eat with it?",
            "I went hiking in the hills and read a good book in the evening.",
        ),
    ),
    "ru": Corpus(
        "en",
        (
            ("Вчера я ходил в музей с друзьям.", "Вчера я ходил в музей с друзьями."),
            ("Мне нравится читать книги.", "Мне нравится читать книги."),
        ),
        (
            "Здорово! В какой музей вы ходили? Мне очень нравится Эрмитаж.",
            "А какие книги ты любишь читать? Я сейчас читаю Чехова.",
        ),
    ),
    "ko": Corpus(
        "en",
        (
            ("저는 어제 친구를 만났어요.", "저는 어제 친구를 만났어요."),
            ("한국 음식이 정말 맛있어요.", "한국 음식이 정말 맛있어요."),
        ),
        (
            "좋네요! 친구하고 뭐 했어요? 저는 주말에 영화를 봤어요.",
            "무슨 음식을 제일 좋아해요? 저는 비빔밥을 좋아해요.",
        ),
    ),
}
LANGUAGES = tuple(CORPORA)


@dataclass(frozen=True)
class BuiltData:
    folder: Path
    session_ids: list[int]
    latest_session_id: int
    messages: int


def make_text(rng: random.Random, code: str, learner: bool, index: int) -> str:
    """One message; a number makes most messages distinct, as real ones are."""
    corpus = CORPORA[code]
    if learner:
        wrong, _right = corpus.learner[index % len(corpus.learner)]
        return wrong
    line = corpus.partner[index % len(corpus.partner)]
    return f"{line} {rng.choice(corpus.partner)} ({rng.randint(0, 99_999)})"


def write_settings(folder: Path, base_url: str = UNREACHABLE_SERVER, language: str = "es") -> None:
    """Settings with a server and a learner, so Tutor opens the last session, no welcome."""
    SettingsFile(folder / "settings.json").save(
        Settings(
            provider=ProviderSettings(ProviderKind.CUSTOM, base_url, MODEL),
            learner=LearnerProfile(language, Level.B1, CORPORA[language].native),
        )
    )


def fill_session(
    sessions: SessionStore,
    corrections: CorrectionStore,
    connection: sqlite3.Connection,
    *,
    code: str,
    count: int,
    rng: random.Random,
    corrected: bool,
    when: datetime,
    scenario: Scenario = FREE_CONVERSATION,
    base_url: str = UNREACHABLE_SERVER,
) -> int:
    """A session with `count` messages (partner first, then turns); with `corrected`
    every learner message has a stored correction (a mark where the line has a mistake)."""
    corpus = CORPORA[code]
    session = sessions.create_session(
        LearnerProfile(code, Level.B1, corpus.native),
        scenario,
        base_url=base_url,
        model=MODEL,
        system_message=f"You are a friendly conversation partner ({code}).",
    )
    rows = []
    for index in range(count):
        learner = index % 2 == 1
        stamp = (when + timedelta(seconds=20 * index)).isoformat()
        rows.append(
            (
                session.id,
                "user" if learner else "assistant",
                make_text(rng, code, learner, index // 2),
                stamp,
                None if learner else MODEL,
            )
        )
    with transaction(connection):
        connection.executemany(
            "INSERT INTO messages (session_id, role, text, created_at, state, model)"
            " VALUES (?, ?, ?, ?, 'complete', ?)",
            rows,
        )
        last = (when + timedelta(seconds=20 * max(0, count - 1))).isoformat()
        connection.execute("UPDATE sessions SET updated_at = ? WHERE id = ?", (last, session.id))
    if corrected:
        verdicts = _verdicts(code)
        learner_ids = [
            int(row[0])
            for row in connection.execute(
                "SELECT id FROM messages WHERE session_id = ? AND role = 'user' ORDER BY id",
                (session.id,),
            )
        ]
        for turn, message_id in enumerate(learner_ids):
            verdict, marks = verdicts[turn % len(verdicts)]
            corrections.save(
                message_id, verdict, marks, model=MODEL, path=CoachPath.JSON_SCHEMA, usage=None
            )
    return session.id


_VERDICT_CACHE: dict[str, list[tuple[CoachVerdict, tuple[Mark, ...]]]] = {}


def _verdicts(code: str) -> list[tuple[CoachVerdict, tuple[Mark, ...]]]:
    """The coach's verdict on each learner line, diffed once per line, not per message."""
    if code not in _VERDICT_CACHE:
        found = []
        for wrong, right in CORPORA[code].learner:
            verdict = CoachVerdict(right, ())
            found.append((verdict, build_marks(wrong, verdict)))
        _VERDICT_CACHE[code] = found
    return _VERDICT_CACHE[code]


def build_data_dir(
    folder: Path,
    *,
    sessions: int,
    messages: int,
    corrected_every: int = 4,
    seed: int = 7,
) -> BuiltData:
    """A data dir with `sessions` sessions holding `messages` messages in all, in many
    languages, spread over the past months; every `corrected_every`-th session has a
    correction (and marks) on each learner message. The newest session is Spanish."""
    folder.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    connection = open_database(folder / "tutor.sqlite3")
    store = SessionStore(connection)
    corrections = CorrectionStore(connection)
    per_session = max(1, messages // sessions)
    start = datetime(2025, 6, 1, 9, 0, tzinfo=UTC)
    ids: list[int] = []
    for number in range(sessions):
        # The last session is the newest and Spanish: the one start-up reopens.
        code = "es" if number == sessions - 1 else LANGUAGES[number % len(LANGUAGES)]
        count = per_session if number < sessions - 1 else messages - per_session * number
        ids.append(
            fill_session(
                store,
                corrections,
                connection,
                code=code,
                count=count,
                rng=rng,
                corrected=number % corrected_every == 0 or number == sessions - 1,
                when=start + timedelta(hours=4 * number),
            )
        )
    connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    # No ANALYZE: the app never runs it, so the query planner sees what a learner's has.
    connection.close()
    write_settings(folder)
    return BuiltData(folder, ids, ids[-1], messages)


def add_sessions(folder: Path, *counts: int, seed: int = 3) -> list[int]:
    """Spanish sessions of `counts` messages added to a built data dir, every learner
    message corrected; they are the newest, so the sidebar lists them first."""
    connection = open_database(folder / "tutor.sqlite3")
    sessions, corrections = SessionStore(connection), CorrectionStore(connection)
    rng = random.Random(seed)
    when = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)
    ids = [
        fill_session(
            sessions,
            corrections,
            connection,
            code="es",
            count=n,
            rng=rng,
            corrected=True,
            when=when + timedelta(days=i),
        )
        for i, n in enumerate(counts)
    ]
    connection.close()
    return ids
