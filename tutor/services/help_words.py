"""Help on what the partner says, as use cases: translate a message, look up a word or
phrase in it, keep a looked-up word as a vocabulary card.

Each answer is asked once and kept with its session (HelpAnswerStore: kind
"translation", or "lookup" with the looked-up words as the question), so showing it
again, also after Tutor was closed, costs no request; its tokens count in the session's
report. Asking runs on a pool thread (`ask_translation`, `ask_lookup`: the keyring, the
network and the lemmatizer's lists, never a widget or the database); keeping what came
back is the GUI thread's. A failure is said in words (`failure_words`) and changes
nothing: no message, no correction, no answer is written.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from tutor.domain.conversation import ChatMessage, Role
from tutor.domain.corrections import CoachPath
from tutor.domain.profile import LearnerProfile
from tutor.domain.review import ReviewCard, vocabulary_card
from tutor.domain.session import PracticeSession
from tutor.domain.word_help import (
    LOOKUP_KIND,
    TRANSLATION_KIND,
    Lookup,
    Translation,
    as_json,
    kept_lookup,
    kept_translation,
)
from tutor.domain.word_spans import LookupTarget, NotInTextError, lookup_target
from tutor.i18n.translate import _
from tutor.llm.client import ServerConfig
from tutor.llm.errors import explain
from tutor.llm.factory import ClientFactory
from tutor.llm.help_words import HelpResult, look_up, translate
from tutor.services.changes import Change, ChangeHub
from tutor.services.server import current_client
from tutor.store.corrections import CorrectionStore
from tutor.store.help_answers import HelpAnswerStore
from tutor.store.review_cards import ReviewStore
from tutor.store.sessions import SessionStore


class HelpContext(Protocol):
    """What asking needs of the application (the interface's context has all of it)."""

    @property
    def clients(self) -> ClientFactory: ...
    @property
    def corrections(self) -> CorrectionStore: ...
    def server_address(self) -> tuple[str, str] | None: ...
    def coach_model(self) -> str | None: ...
    def server_config(self) -> ServerConfig | None: ...


class HelpStores(Protocol):
    """Where answers and vocabulary cards are kept, and where a new card is said."""

    @property
    def sessions(self) -> SessionStore: ...
    @property
    def help_answers(self) -> HelpAnswerStore: ...
    @property
    def corrections(self) -> CorrectionStore: ...
    @property
    def review(self) -> ReviewStore: ...
    @property
    def changes(self) -> ChangeHub: ...


@dataclass(frozen=True)
class HelpRequest:
    """One request, made on the GUI thread and run on a pool thread."""

    session_id: int
    message_id: int
    profile: LearnerProfile
    text: str
    """The partner's message (translate) or the looked-up words' sentence (look up)."""
    model: str
    base_url: str
    first_path: CoachPath
    target: LookupTarget | None = None


# ------------------------------------------------------------------ kept answers


def kept_translation_of(store: HelpAnswerStore, message: ChatMessage) -> Translation | None:
    """The translation of the message's text as shown (its own words, or a simpler
    wording of them), if it was asked before: no request needed."""
    for question in ("", message.text):
        found = store.answer(message.session_id, message.id, TRANSLATION_KIND, question)
        kept = kept_translation(found.answer) if found is not None else None
        if kept is not None and kept.translates(message.text):
            return kept
    return None


def kept_translations(
    store: HelpAnswerStore, session_id: int
) -> dict[tuple[int, str], Translation]:
    """Every kept translation of a session by (message id, the text it translates), to
    show again on opening it."""
    kept: dict[tuple[int, str], Translation] = {}
    for found in store.answers(session_id, TRANSLATION_KIND):
        translation = kept_translation(found.answer)
        if translation is not None and found.message_id is not None:
            kept[found.message_id, translation.of] = translation
    return kept


def kept_lookup_of(store: HelpAnswerStore, message: ChatMessage, word: str) -> Lookup | None:
    found = store.answer(message.session_id, message.id, LOOKUP_KIND, word)
    return kept_lookup(found.answer) if found is not None else None


# ------------------------------------------------------------------ asking


def target_in(message: ChatMessage, start: int, end: int, word: str | None = None) -> LookupTarget:
    """The words at [start, end) of a partner message with their sentence; NotInTextError
    (in words) when the message does not hold them there, or is not the partner's."""
    if message.role is not Role.ASSISTANT:
        raise NotInTextError(_("Only the partner's messages can be looked up."))
    return lookup_target(message.text, start, end, word)


def shown_target(message: ChatMessage | None, start: int, end: int, word: str) -> LookupTarget:
    """The words the learner chose at [start, end) of a message as the conversation
    shows it (its own words, or a simpler wording of them); NotInTextError (in words)
    when the message is gone, or no longer holds those words there."""
    if message is None:
        raise NotInTextError(_("This message is no longer there."))
    return target_in(message, start, end, word)


def help_request(
    context: HelpContext,
    session: PracticeSession,
    message: ChatMessage,
    target: LookupTarget | None = None,
) -> HelpRequest | None:
    """The request for a translation of `message` (or, with `target`, a look-up in it),
    on the coach's model; None with no server set up."""
    address = context.server_address()
    model = context.coach_model()
    if address is None or model is None:
        return None
    base_url = address[0]
    return HelpRequest(
        session_id=session.id,
        message_id=message.id,
        profile=session.profile,
        text=message.text if target is None else target.sentence,
        model=model,
        base_url=base_url,
        first_path=context.corrections.coach_path(base_url, model) or CoachPath.JSON_SCHEMA,
        target=target,
    )


def ask_translation(context: HelpContext, request: HelpRequest) -> HelpResult[Translation]:
    """Runs on a pool thread: reads the keyring and asks. LlmError when it fails."""
    client = current_client(context)
    return translate(client, request.model, request.profile, request.text, request.first_path)


def ask_lookup(context: HelpContext, request: HelpRequest) -> HelpResult[Lookup]:
    """Runs on a pool thread: reads the keyring, asks, and finds the dictionary form
    (loading the lemmatizer's list takes a second the first time). LlmError when it fails."""
    assert request.target is not None
    client = current_client(context)
    return look_up(client, request.model, request.profile, request.target, request.first_path)


def failure_words(error: Exception, request: HelpRequest) -> str:
    """Why a request failed, in words the learner can act on."""
    return explain(error, request.base_url, request.model).message


# ------------------------------------------------------------------ keeping


def keep_translation(
    stores: HelpStores, request: HelpRequest, result: HelpResult[Translation]
) -> Translation:
    """Keep the translation with its message (and its tokens for the report): of the
    message's own words, or under the words translated when they were another wording
    (a simpler one), so that neither replaces the other."""
    try:
        own = stores.sessions.message(request.message_id).text == request.text
    except KeyError:
        own = True
    question = "" if own else request.text
    _keep(stores, request, TRANSLATION_KIND, question, as_json(result.answer), result)
    return result.answer


def keep_lookup(stores: HelpStores, request: HelpRequest, result: HelpResult[Lookup]) -> Lookup:
    """Keep the look-up with its message, under the looked-up words."""
    assert request.target is not None
    _keep(stores, request, LOOKUP_KIND, request.target.word, as_json(result.answer), result)
    return result.answer


def _keep(
    stores: HelpStores,
    request: HelpRequest,
    kind: str,
    question: str,
    answer: str,
    result: HelpResult[Translation] | HelpResult[Lookup],
) -> None:
    with stores.corrections.transaction():
        stores.help_answers.save(
            request.session_id,
            request.message_id,
            kind,
            answer,
            question=question,
            model=result.model,
            usage=result.usage,
        )
        stores.corrections.remember_coach_path(request.base_url, result.model, result.path)


def add_to_review(
    stores: HelpStores,
    session: PracticeSession,
    message_id: int,
    target: LookupTarget,
    lookup: Lookup,
) -> ReviewCard:
    """Keep a looked-up word as a vocabulary card: its sentence with the word marked on
    the front, its meaning and dictionary form behind. Adding it again updates it."""
    card = vocabulary_card(session.target_language, target, lookup, message_id)
    kept = stores.review.add_vocabulary(card)
    stores.changes.publish(Change.CARDS, session.id)
    return kept
