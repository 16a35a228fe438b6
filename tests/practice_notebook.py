"""A mistakes notebook with known contents, written through Tutor's own stores (as the
coach would have left it), for the "Practise my mistakes" tests and screenshots."""

from __future__ import annotations

from collections.abc import Sequence

from tutor.domain.conversation import Role
from tutor.domain.corrections import Category, CoachItem, CoachPath, CoachVerdict, build_marks
from tutor.domain.levels import Level
from tutor.domain.profile import LearnerProfile
from tutor.domain.scenarios import FREE_CONVERSATION
from tutor.store.corrections import CorrectionStore
from tutor.store.sessions import SessionStore

# (what the learner wrote, the wrong fragment, the right one, its category)
PAST_TENSE: tuple[tuple[str, str, str, Category], ...] = (
    ("Ayer yo va al parque.", "va", "fui", Category.GRAMMAR),
    ("El sábado como paella.", "como", "comí", Category.GRAMMAR),
    ("Anoche yo va al cine con Ana.", "va", "fui", Category.GRAMMAR),
    ("La película es muy buena.", "es", "fue", Category.GRAMMAR),
    ("El domingo tengo una fiesta.", "tengo", "tuve", Category.GRAMMAR),
    ("Me gusta la musica.", "musica", "música", Category.SPELLING),
    ("Es una cancion bonita.", "cancion", "canción", Category.SPELLING),
    ("Compré un libro en la librería de ropa.", "librería de ropa", "tienda", Category.VOCABULARY),
)


def write_mistakes(
    sessions: SessionStore,
    corrections: CorrectionStore,
    mistakes: Sequence[tuple[str, str, str, Category]] = PAST_TENSE,
    *,
    language: str = "es",
) -> int:
    """One past session whose learner messages the coach marked; returns its id."""
    session = sessions.create_session(
        LearnerProfile(language, Level.A2, "en"),
        FREE_CONVERSATION,
        base_url="http://127.0.0.1:1/v1",
        model="earlier",
        system_message="s",
    )
    for text, wrong, right, category in mistakes:
        message = sessions.add_message(session.id, Role.USER, text, checking_with="coach")
        verdict = CoachVerdict(
            text.replace(wrong, right, 1),
            (CoachItem(wrong, right, f"'{right}', not '{wrong}'.", category),),
        )
        corrections.save(
            message.id,
            verdict,
            build_marks(text, verdict),
            model="coach",
            path=CoachPath.JSON_OBJECT,
            usage=None,
        )
    sessions.end_session(session.id)
    return session.id
