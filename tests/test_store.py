"""What Tutor keeps: the SQLite file, the settings file, the key, and the log."""

from __future__ import annotations

import itertools
import json
import logging
import os
import sqlite3
import stat
import time
from datetime import UTC, datetime, timedelta

import pytest
from keyring.errors import KeyringLocked, PasswordSetError

import tutor.store.database as database_module
import tutor.store.sessions as sessions_module
from tests.memory_keyring import NoKeyring
from tutor.domain.conversation import MessageState, Role, TokenUsage
from tutor.domain.levels import Level
from tutor.domain.profile import LearnerProfile
from tutor.domain.providers import ProviderKind
from tutor.domain.scenarios import FREE_CONVERSATION
from tutor.domain.settings import ProviderSettings, Settings
from tutor.logging_setup import SecretRedactor, configure_logging
from tutor.paths import AppPaths
from tutor.store.database import DatabaseError, DatabaseTooNewError, open_database
from tutor.store.migrations import MIGRATIONS
from tutor.store.secrets import SERVICE, KeyLocation, KeyStore
from tutor.store.sessions import SessionStore
from tutor.store.settings_file import SettingsFile

# ---------------------------------------------------------------------- database


def _pragma(connection, name):
    return connection.execute(f"PRAGMA {name}").fetchone()[0]


def test_new_database_gets_schema_private_mode_wal_and_foreign_keys(tmp_path):
    path = tmp_path / "tutor.sqlite3"
    connection = open_database(path)
    try:
        assert _pragma(connection, "user_version") == len(MIGRATIONS)
        assert _pragma(connection, "journal_mode") == "wal"
        assert _pragma(connection, "foreign_keys") == 1
        tables = {
            row[0]
            for row in connection.execute("SELECT name FROM sqlite_master WHERE type='table'")
        }
        assert {"sessions", "messages"} <= tables
    finally:
        connection.close()
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_reopening_a_current_database_changes_nothing(tmp_path):
    path = tmp_path / "tutor.sqlite3"
    first = open_database(path)
    store = SessionStore(first)
    session = store.create_session(
        _profile(), FREE_CONVERSATION, base_url="http://x/v1", model="m", system_message="s"
    )
    store.add_message(session.id, Role.USER, "Hola")
    first.close()

    second = open_database(path)
    try:
        assert _pragma(second, "user_version") == len(MIGRATIONS)
        assert [m.text for m in SessionStore(second).messages(session.id)] == ["Hola"]
    finally:
        second.close()
    assert not list(tmp_path.glob("*.before-v*"))


def _database_at_version(path, version, *, wal):
    connection = sqlite3.connect(path)
    if wal:
        connection.execute("PRAGMA journal_mode=WAL")
    connection.execute("CREATE TABLE future (x TEXT)")
    connection.execute("INSERT INTO future VALUES ('from a newer Tutor')")
    connection.commit()
    connection.execute(f"PRAGMA user_version = {version}")
    connection.commit()
    connection.close()


@pytest.mark.parametrize("wal", [True, False])
def test_database_from_a_newer_tutor_is_refused_and_left_byte_identical(tmp_path, wal):
    path = tmp_path / "tutor.sqlite3"
    _database_at_version(path, len(MIGRATIONS) + 5, wal=wal)
    before = path.read_bytes()
    with pytest.raises(DatabaseTooNewError) as caught:
        open_database(path)
    assert "newer" in str(caught.value)
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["tutor.sqlite3"]


def test_file_of_random_bytes_raises_database_error(tmp_path):
    path = tmp_path / "tutor.sqlite3"
    path.write_bytes(os.urandom(8192))
    before = path.read_bytes()
    with pytest.raises(DatabaseError) as caught:
        open_database(path)
    assert not isinstance(caught.value, sqlite3.Error)
    assert str(caught.value)
    assert path.read_bytes() == before


def test_database_in_a_missing_directory_raises_database_error(tmp_path):
    with pytest.raises(DatabaseError):
        open_database(tmp_path / "missing" / "tutor.sqlite3")


def test_migration_copies_the_file_aside_first_then_runs_the_step(tmp_path, monkeypatch):
    path = tmp_path / "tutor.sqlite3"
    connection = open_database(path)
    store = SessionStore(connection)
    session = store.create_session(
        _profile(), FREE_CONVERSATION, base_url="http://x/v1", model="m", system_message="s"
    )
    store.add_message(session.id, Role.USER, "Antes de migrar")
    connection.close()

    step_2 = ("ALTER TABLE sessions ADD COLUMN note TEXT",)
    monkeypatch.setattr(database_module, "MIGRATIONS", (*MIGRATIONS, step_2))
    migrated = open_database(path)
    newest = len(MIGRATIONS) + 1
    try:
        assert _pragma(migrated, "user_version") == newest
        columns = {row[1] for row in migrated.execute("PRAGMA table_info(sessions)")}
        assert "note" in columns
        assert [m.text for m in SessionStore(migrated).messages(session.id)] == ["Antes de migrar"]
    finally:
        migrated.close()

    backup = tmp_path / f"tutor.sqlite3.before-v{newest}"
    assert backup.exists()
    with sqlite3.connect(backup) as old:
        assert _pragma(old, "user_version") == newest - 1
        assert old.execute("SELECT text FROM messages").fetchall() == [("Antes de migrar",)]
    old.close()


def test_failed_migration_keeps_the_old_version_and_the_copy(tmp_path, monkeypatch):
    path = tmp_path / "tutor.sqlite3"
    connection = open_database(path)
    SessionStore(connection).create_session(
        _profile(), FREE_CONVERSATION, base_url="http://x/v1", model="m", system_message="s"
    )
    connection.close()

    broken = ("ALTER TABLE sessions ADD COLUMN ok TEXT", "THIS IS NOT SQL")
    monkeypatch.setattr(database_module, "MIGRATIONS", (*MIGRATIONS, broken))
    with pytest.raises(DatabaseError):
        open_database(path)
    assert (tmp_path / f"tutor.sqlite3.before-v{len(MIGRATIONS) + 1}").exists()

    monkeypatch.setattr(database_module, "MIGRATIONS", MIGRATIONS)
    reopened = open_database(path)
    try:
        assert _pragma(reopened, "user_version") == len(MIGRATIONS)
        columns = {row[1] for row in reopened.execute("PRAGMA table_info(sessions)")}
        assert "ok" not in columns  # the step's first statement was rolled back
        assert len(SessionStore(reopened).sessions()) == 1
    finally:
        reopened.close()


# ------------------------------------------------------------------ session store


def _profile(target="es", level=Level.A2, native="ko"):
    return LearnerProfile(target, level, native)


@pytest.fixture
def clock(monkeypatch):
    """A clock that moves one second per reading, so 'most recent' never ties."""
    ticks = itertools.count()
    start = datetime(2024, 5, 1, 12, 0, tzinfo=UTC)
    monkeypatch.setattr(sessions_module, "utc_now", lambda: start + timedelta(seconds=next(ticks)))


@pytest.fixture
def db_path(tmp_path):
    return tmp_path / "tutor.sqlite3"


@pytest.fixture
def store(db_path, clock):
    connection = open_database(db_path)
    yield SessionStore(connection)
    connection.close()


def _new_session(store, **overrides):
    values = {
        "base_url": "http://127.0.0.1:11434/v1",
        "model": "llama3.2",
        "system_message": "You are a partner.\nSpeak Spanish.",
    }
    values.update(overrides)
    return store.create_session(_profile(), FREE_CONVERSATION, **values)


def test_create_session_stores_profile_scenario_server_and_system_message(store):
    session = _new_session(store)
    again = store.session(session.id)
    assert again == session
    assert again.profile == _profile()
    assert again.scenario_id == FREE_CONVERSATION.id
    assert again.scenario_title == FREE_CONVERSATION.title
    assert again.base_url == "http://127.0.0.1:11434/v1"
    assert again.model == "llama3.2"
    assert again.system_message == "You are a partner.\nSpeak Spanish."
    assert again.message_count == 0
    assert again.preview == ""
    assert "Spanish" in again.title and "A2" in again.title


def test_unknown_session_and_message_raise_key_error(store):
    with pytest.raises(KeyError):
        store.session(999)
    with pytest.raises(KeyError):
        store.message(999)


def test_added_message_is_committed_at_once(store, db_path):
    session = _new_session(store)
    message = store.add_message(session.id, Role.USER, "Hola, me llamo Ana.")
    other = sqlite3.connect(db_path)
    try:
        rows = other.execute("SELECT id, role, text, state FROM messages").fetchall()
    finally:
        other.close()
    assert rows == [(message.id, "user", "Hola, me llamo Ana.", "complete")]


def test_messages_come_back_in_order_with_role_text_state_and_model(store):
    session = _new_session(store)
    store.add_message(session.id, Role.ASSISTANT, "¡Hola!", model="llama3.2")
    store.add_message(session.id, Role.USER, "Hola")
    store.add_message(session.id, Role.ASSISTANT, "", state=MessageState.STREAMING, model="m2")
    messages = store.messages(session.id)
    assert [(m.role, m.text, m.state, m.model) for m in messages] == [
        (Role.ASSISTANT, "¡Hola!", MessageState.COMPLETE, "llama3.2"),
        (Role.USER, "Hola", MessageState.COMPLETE, None),
        (Role.ASSISTANT, "", MessageState.STREAMING, "m2"),
    ]
    assert [m.id for m in messages] == sorted(m.id for m in messages)
    assert all(m.session_id == session.id for m in messages)


def test_finish_message_stores_reason_usage_and_error(store):
    session = _new_session(store)
    reply = store.add_message(session.id, Role.ASSISTANT, "", state=MessageState.STREAMING)
    done = store.finish_message(
        reply.id,
        text="Muy bien.",
        state=MessageState.COMPLETE,
        finish_reason="stop",
        usage=TokenUsage(120, 7),
    )
    assert done.text == "Muy bien."
    assert done.state is MessageState.COMPLETE
    assert done.finish_reason == "stop"
    assert done.usage == TokenUsage(120, 7)
    assert done.error is None

    failed = store.add_message(session.id, Role.ASSISTANT, "", state=MessageState.STREAMING)
    store.finish_message(
        failed.id, text="", state=MessageState.FAILED, error="Nothing answers at the server."
    )
    again = store.message(failed.id)
    assert again.state is MessageState.FAILED
    assert again.error == "Nothing answers at the server."
    assert again.usage is None
    assert again.finish_reason is None


def test_save_partial_text_only_touches_streaming_messages(store):
    session = _new_session(store)
    streaming = store.add_message(session.id, Role.ASSISTANT, "", state=MessageState.STREAMING)
    store.save_partial_text(streaming.id, "Hola, ¿qué")
    assert store.message(streaming.id).text == "Hola, ¿qué"

    store.finish_message(streaming.id, text="Hola, ¿qué tal?", state=MessageState.COMPLETE)
    store.save_partial_text(streaming.id, "Hola, ¿qué")  # a late save after the finish
    assert store.message(streaming.id).text == "Hola, ¿qué tal?"

    user = store.add_message(session.id, Role.USER, "Bien")
    store.save_partial_text(user.id, "changed")
    assert store.message(user.id).text == "Bien"


def test_mark_interrupted_replies(store):
    session = _new_session(store)
    complete = store.add_message(session.id, Role.ASSISTANT, "¡Hola!")
    first = store.add_message(session.id, Role.ASSISTANT, "Medio", state=MessageState.STREAMING)
    second = store.add_message(session.id, Role.ASSISTANT, "", state=MessageState.STREAMING)
    assert store.mark_interrupted_replies() == 2
    for message_id in (first.id, second.id):
        message = store.message(message_id)
        assert message.state is MessageState.CUT_OFF
        assert message.error
    assert store.message(first.id).text == "Medio"
    assert store.message(complete.id).state is MessageState.COMPLETE
    assert store.message(complete.id).error is None
    assert store.mark_interrupted_replies() == 0


def test_sessions_most_recently_used_first_with_count_and_preview(store):
    older = _new_session(store, model="first")
    newer = _new_session(store, model="second")
    assert [s.id for s in store.sessions()] == [newer.id, older.id]
    assert store.latest_session() == store.session(newer.id)

    store.add_message(older.id, Role.ASSISTANT, "¡Hola! ¿Cómo estás?")
    store.add_message(older.id, Role.USER, "Estoy bien, gracias. " * 20)
    store.add_message(older.id, Role.USER, "Second user message")
    listed = store.sessions()
    assert [s.id for s in listed] == [older.id, newer.id]
    top = listed[0]
    assert top.message_count == 3
    assert top.preview
    assert ("Estoy bien, gracias. " * 20).startswith(top.preview)
    assert len(top.preview) <= 200
    assert listed[1].message_count == 0
    assert listed[1].preview == ""


def test_delete_message(store):
    session = _new_session(store)
    keep = store.add_message(session.id, Role.USER, "Hola")
    gone = store.add_message(session.id, Role.ASSISTANT, "", state=MessageState.FAILED)
    store.delete_message(gone.id)
    assert [m.id for m in store.messages(session.id)] == [keep.id]
    with pytest.raises(KeyError):
        store.message(gone.id)
    assert store.session(session.id).message_count == 1


@pytest.mark.parametrize(
    "text",
    [
        "مَرْحَبًا، كَيْفَ حَالُكَ؟",
        "今日はいい天気ですね。散歩に行きましょう！",
        "Ça va 😀👍🏽 très bien",
        "Family: 👩\u200d👩\u200d👧\u200d👦 and a zero\u200dwidth joiner",
        "שָׁלוֹם\u200f and \u202eRTL override",
        "line one\nline two\r\n\ttabbed",
    ],
)
def test_unicode_round_trip(store, db_path, text):
    session = _new_session(store, system_message=text)
    message = store.add_message(session.id, Role.USER, text)
    assert store.message(message.id).text == text
    assert store.session(session.id).system_message == text
    assert store.session(session.id).preview == text[:120]
    # And from a fresh connection: what is on disk, not what is cached.
    reopened = open_database(db_path)
    try:
        assert SessionStore(reopened).messages(session.id)[0].text == text
    finally:
        reopened.close()


# -------------------------------------------------------------------- settings file


def _settings():
    return Settings(
        provider=ProviderSettings(ProviderKind.LM_STUDIO, "http://localhost:1234/v1", "qwen"),
        learner=LearnerProfile("fr", Level.B2, "ar"),
        context_budget_tokens=4000,
    )


def test_missing_settings_file_gives_defaults_without_a_problem(tmp_path):
    loaded = SettingsFile(tmp_path / "settings.json").load()
    assert loaded.settings == Settings()
    assert loaded.problem is None
    assert list(tmp_path.iterdir()) == []


def test_settings_save_then_load(tmp_path):
    path = tmp_path / "config" / "settings.json"
    SettingsFile(path).save(_settings())
    loaded = SettingsFile(path).load()
    assert loaded.problem is None
    assert loaded.settings == _settings()
    assert json.loads(path.read_text(encoding="utf-8"))["version"] >= 1
    assert sorted(p.name for p in path.parent.iterdir()) == ["settings.json"]


def test_save_replaces_an_existing_file_and_leaves_no_temporary(tmp_path):
    path = tmp_path / "settings.json"
    settings_file = SettingsFile(path)
    settings_file.save(Settings())
    settings_file.save(_settings())
    assert settings_file.load().settings == _settings()
    assert [p.name for p in tmp_path.iterdir()] == ["settings.json"]


def test_failed_save_leaves_the_old_file_whole(tmp_path, monkeypatch):
    path = tmp_path / "settings.json"
    settings_file = SettingsFile(path)
    settings_file.save(_settings())
    before = path.read_bytes()

    def crash(*_args, **_kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(json, "dump", crash)
    with pytest.raises(OSError):
        settings_file.save(Settings())
    assert path.read_bytes() == before


BAD_FILES = {
    "corrupt json": b'{"version": 1, "provider": ',
    "a json list": b'[{"version": 1}]',
    "invalid utf-8": b'{"version": 1, "x": "\xff\xfe\xc3("}',
    "newer version": b'{"version": 999}',
    "too large": b'{"version": 1, "x": "' + b"a" * 1_000_100 + b'"}',
}


@pytest.mark.parametrize("content", BAD_FILES.values(), ids=BAD_FILES.keys())
def test_unreadable_settings_give_defaults_a_problem_and_are_kept_aside(tmp_path, content):
    path = tmp_path / "settings.json"
    path.write_bytes(content)
    settings_file = SettingsFile(path)
    loaded = settings_file.load()
    assert loaded.settings == Settings()
    assert loaded.problem
    assert "defaults" in loaded.problem

    kept = list(tmp_path.glob("settings.json.unreadable-*"))
    assert len(kept) == 1
    assert kept[0].read_bytes() == content
    assert kept[0].name in loaded.problem
    assert not path.exists()

    settings_file.save(_settings())
    assert settings_file.load().settings == _settings()
    assert kept[0].read_bytes() == content


def test_two_unreadable_files_in_the_same_second_are_both_kept(tmp_path, monkeypatch):
    monkeypatch.setattr(time, "strftime", lambda *_args: "20240501-120000")
    path = tmp_path / "settings.json"
    for content in (b"{broken one", b"{broken two"):
        path.write_bytes(content)
        assert SettingsFile(path).load().problem
    kept = sorted(p.read_bytes() for p in tmp_path.glob("settings.json.unreadable-*"))
    assert kept == [b"{broken one", b"{broken two"]


# ----------------------------------------------------------------------- key store

URL = "https://api.openai.com/v1"
OTHER_URL = "http://localhost:1234/v1"
KEY = "sk-test-Zq9xW2vB7nM4kL1pR8tY"


def test_keys_per_base_url_in_the_keyring(keyring_backend):
    heard: list[str] = []
    keys = KeyStore(keyring_backend, on_secret=heard.append)
    outcome = keys.save(URL, KEY)
    assert outcome.location is KeyLocation.KEYRING
    assert outcome.message
    keys.save(OTHER_URL, "lm-studio-key")
    assert keyring_backend.passwords[(SERVICE, URL)] == KEY

    fresh = KeyStore(keyring_backend, on_secret=heard.append)
    assert fresh.get(URL) == KEY
    assert fresh.get(OTHER_URL) == "lm-studio-key"
    assert fresh.get("http://elsewhere/v1") is None
    assert KEY in heard and "lm-studio-key" in heard

    fresh.delete(URL)
    assert fresh.get(URL) is None
    assert fresh.get(OTHER_URL) == "lm-studio-key"
    fresh.delete(URL)  # deleting twice is fine


def test_a_key_is_read_from_the_keyring_once_a_run(keyring_backend):
    """Every request needs the key: a Secret Service read is a D-Bus round trip."""
    reads: list[str] = []
    original = keyring_backend.get_password

    def counted(service: str, username: str) -> str | None:
        reads.append(username)
        return original(service, username)

    keyring_backend.get_password = counted
    KeyStore(keyring_backend).save(URL, KEY)
    keys = KeyStore(keyring_backend)
    assert keys.get(OTHER_URL) is None  # none yet: asked again next time
    assert [keys.get(URL) for _ in range(3)] == [KEY, KEY, KEY]
    assert reads == [OTHER_URL, URL]
    keyring_backend.set_password(SERVICE, OTHER_URL, "set-after-the-first-look")
    assert keys.get(OTHER_URL) == "set-after-the-first-look"
    keys.save(URL, "sk-new-key-0000")
    assert keys.get(URL) == "sk-new-key-0000"
    keys.delete(URL)
    assert keys.get(URL) is None


def test_saving_an_empty_key_removes_the_stored_one(keyring_backend):
    keys = KeyStore(keyring_backend)
    keys.save(URL, KEY)
    outcome = keys.save(URL, "")
    assert outcome.location is KeyLocation.NOWHERE
    assert keys.get(URL) is None


def _files_mentioning(directory, secret):
    found = []
    for root, _dirs, files in os.walk(directory):
        for name in files:
            path = os.path.join(root, name)  # noqa: PTH118
            with open(path, "rb") as file:  # noqa: PTH123
                if secret.encode() in file.read():
                    found.append(path)
    return found


def test_without_a_keyring_the_key_is_kept_for_this_run_only(tmp_path, monkeypatch):
    for variable in ("HOME", "XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME"):
        monkeypatch.setenv(variable, str(tmp_path))
    heard: list[str] = []
    keys = KeyStore(NoKeyring(), on_secret=heard.append)
    assert keys.get(URL) is None  # no keyring is not an error

    outcome = keys.save(URL, KEY)
    assert outcome.location is KeyLocation.THIS_RUN
    assert "this run" in outcome.message
    assert KEY not in outcome.message
    assert keys.get(URL) == KEY
    assert keys.get(URL) == KEY
    assert heard == [KEY]
    assert _files_mentioning(tmp_path, KEY) == []

    keys.delete(URL)
    assert keys.get(URL) is None


class _LockedKeyring(NoKeyring):
    """A keyring that is there but locked (the unlock prompt dismissed), or refuses to save."""

    def __init__(self, error: Exception, *, reads: bool) -> None:
        super().__init__()
        self.error = error
        self.reads = reads

    def get_password(self, service: str, username: str) -> str | None:
        if self.reads:
            return None
        raise self.error

    def set_password(self, service: str, username: str, password: str) -> None:
        raise self.error


@pytest.mark.parametrize(
    ("error", "reads"),
    [
        (KeyringLocked("Failed to unlock the collection!"), False),
        (PasswordSetError("Failed to unlock the item!"), True),
    ],
    ids=["locked", "refuses to save"],
)
def test_a_locked_keyring_keeps_the_key_for_this_run_only(tmp_path, monkeypatch, error, reads):
    for variable in ("HOME", "XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME"):
        monkeypatch.setenv(variable, str(tmp_path))
    heard: list[str] = []
    keys = KeyStore(_LockedKeyring(error, reads=reads), on_secret=heard.append)
    assert keys.get(URL) is None
    if reads:
        assert keys.problem() is None
    else:
        assert (keys.problem() or "").startswith("KeyringLocked: ")

    outcome = keys.save(URL, KEY)
    assert outcome.location is KeyLocation.THIS_RUN
    assert "for this run only" in outcome.message
    assert str(error) in outcome.message  # the learner sees why
    assert KEY not in outcome.message
    assert keys.get(URL) == KEY
    assert heard == [KEY]  # so the log hides it
    assert _files_mentioning(tmp_path, KEY) == []


# ------------------------------------------------------------------------- logging


@pytest.fixture
def log_setup(tmp_path):
    """configure_logging into tmp_path; afterwards the root logger is as it was."""
    root = logging.getLogger()
    before_handlers, before_level = list(root.handlers), root.level
    noisy = {name: logging.getLogger(name).level for name in ("httpx", "httpcore", "openai")}
    redactor = SecretRedactor()
    log_file = tmp_path / "logs" / "tutor.log"
    configure_logging(log_file, redactor)
    yield redactor, log_file
    for handler in list(root.handlers):
        if handler not in before_handlers:
            root.removeHandler(handler)
            handler.close()
    root.setLevel(before_level)
    for name, level in noisy.items():
        logging.getLogger(name).setLevel(level)


SECRET = "my-local-server-token-4242"


def test_a_known_key_never_reaches_the_log(log_setup):
    redactor, log_file = log_setup
    redactor.add(SECRET)
    log = logging.getLogger("tutor.test")
    log.info("key in the text: " + SECRET)
    log.info("key as an argument: %s", SECRET)
    log.warning("key in a dict: %r", {"api_key": SECRET})
    try:
        raise RuntimeError(f"the server refused {SECRET}")
    except RuntimeError:
        log.exception("request failed for %s", SECRET)

    text = log_file.read_text(encoding="utf-8")
    assert SECRET not in text
    assert text.count("[key hidden]") >= 5
    assert "key as an argument: [key hidden]" in text
    assert "Traceback" in text
    assert "RuntimeError: the server refused [key hidden]" in text


def test_key_shaped_strings_are_hidden_without_being_registered(log_setup):
    _redactor, log_file = log_setup
    log = logging.getLogger("tutor.test")
    log.info("openai key sk-proj-Ab12Cd34Ef56Gh78 was used")
    log.info("header Authorization: Bearer abcdefgh12345678")
    log.info("a short word like sk-1 and the word risky stay")
    text = log_file.read_text(encoding="utf-8")
    assert "sk-proj-Ab12Cd34Ef56Gh78" not in text
    assert "abcdefgh12345678" not in text
    assert text.count("[key hidden]") == 2
    assert "a short word like sk-1 and the word risky stay" in text


def test_a_key_containing_another_key_is_hidden_whole(log_setup):
    redactor, log_file = log_setup
    redactor.add("team-token")
    redactor.add("team-token-extended-secret")
    logging.getLogger("tutor.test").info("using team-token-extended-secret now")
    text = log_file.read_text(encoding="utf-8")
    assert "extended-secret" not in text
    assert "using [key hidden] now" in text


def test_very_short_secrets_are_not_registered(log_setup):
    redactor, log_file = log_setup
    redactor.add("ab")
    logging.getLogger("tutor.test").info("about a table")
    assert "about a table" in log_file.read_text(encoding="utf-8")


# --------------------------------------------------------------------------- paths


def test_app_paths_under_one_directory(tmp_path):
    paths = AppPaths.under(tmp_path / "data")
    paths.create()
    assert paths.database.parent == paths.data_dir
    assert paths.settings.parent == paths.config_dir
    assert paths.log_file.parent == paths.log_dir
    for directory in (paths.data_dir, paths.config_dir, paths.log_dir):
        assert directory.is_dir()
        assert stat.S_IMODE(directory.stat().st_mode) == 0o700


def test_a_version_1_file_from_the_first_release_gains_corrections_and_keeps_its_talk(tmp_path):
    path = tmp_path / "tutor.sqlite3"
    old = sqlite3.connect(path)
    for statement in MIGRATIONS[0]:
        old.execute(statement)
    old.execute("PRAGMA user_version = 1")
    old.execute(
        """INSERT INTO sessions VALUES (1, '2026-01-01T10:00:00+00:00',
           '2026-01-01T10:00:00+00:00', 'es', 'A2', 'en', 'free', 'Free conversation',
           'http://x/v1', 'm', 's')"""
    )
    old.execute(
        """INSERT INTO messages (session_id, role, text, created_at, state)
           VALUES (1, 'user', 'Hola', '2026-01-01T10:00:01+00:00', 'complete')"""
    )
    old.commit()
    old.close()
    connection = open_database(path)
    try:
        assert _pragma(connection, "user_version") == len(MIGRATIONS)
        tables = {r[0] for r in connection.execute("SELECT name FROM sqlite_master")}
        assert {"corrections", "correction_marks", "coach_paths"} <= tables
        assert [m.text for m in SessionStore(connection).messages(1)] == ["Hola"]
    finally:
        connection.close()
    assert (tmp_path / "tutor.sqlite3.before-v2").exists()
