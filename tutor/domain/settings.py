"""The learner's settings, versioned so older files upgrade step by step."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, replace
from typing import Any

from tutor.domain.corrections import CorrectionScope, CorrectionStyle
from tutor.domain.levels import Level
from tutor.domain.profile import LearnerProfile
from tutor.domain.providers import ProviderKind, check_proxy_url
from tutor.domain.voice_settings import VoiceSettings, voice_settings_from_dict
from tutor.i18n.translate import INTERFACE_LANGUAGES, _

SETTINGS_VERSION = 1
DEFAULT_CONTEXT_BUDGET = 6000
DEFAULT_SCORE_PARALLEL = 2
MAX_SCORE_PARALLEL = 16
APPEARANCES = ("system", "light", "dark")
"""Follow the system's light or dark palette, or force one."""


@dataclass(frozen=True)
class ProviderSettings:
    kind: ProviderKind
    base_url: str
    model: str


@dataclass(frozen=True)
class WindowState:
    geometry: str | None = None
    """Base64 of QWidget.saveGeometry(): opaque to everything but the UI."""
    splitter: str | None = None


@dataclass(frozen=True)
class Settings:
    provider: ProviderSettings | None = None
    learner: LearnerProfile | None = None
    window: WindowState = field(default_factory=WindowState)
    context_budget_tokens: int = DEFAULT_CONTEXT_BUDGET
    corrections: CorrectionStyle = field(default_factory=CorrectionStyle)
    coach_model: str = ""
    """The model that checks the learner's messages; empty means the partner's model."""
    proxy: str = ""
    """A proxy for every request to the model server (http, https, socks5); empty means
    the environment's (HTTPS_PROXY, HTTP_PROXY, NO_PROXY) or none."""
    appearance: str = "system"
    """One of APPEARANCES."""
    interface_language: str = ""
    """The language Tutor's own text is in, one of INTERFACE_LANGUAGES; empty means the
    system's. Taken at start, before the first window (tutor/app.py)."""
    voice: VoiceSettings = field(default_factory=VoiceSettings)
    """Speaking and listening (tutor/domain/voice_settings.py)."""
    level_fit_meter: bool = True
    """Show how each reply fits the learner's level, and underline the words above it
    (tutor/domain/level_fit.py)."""
    memory: bool = True
    """Remember the facts the learner shares about themselves and tell the partner
    (tutor/domain/memory.py); off, nothing is read for facts and none are sent."""
    score_parallel_requests: int = DEFAULT_SCORE_PARALLEL
    """How many coach requests a scorecard run sends at once (1 to MAX_SCORE_PARALLEL)."""

    @property
    def is_complete(self) -> bool:
        """True once the welcome has been filled in."""
        return self.provider is not None and self.learner is not None

    def with_changes(self, **changes: Any) -> Settings:
        return replace(self, **changes)

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["version"] = SETTINGS_VERSION
        return data


class SettingsError(ValueError):
    """The settings data cannot be read as settings."""


def settings_from_dict(data: Any) -> Settings:
    """Settings from parsed JSON, upgraded from older versions; SettingsError if unusable."""
    if not isinstance(data, dict):
        # Translators: a reason shown after "Your settings could not be read".
        raise SettingsError(_("the settings file does not hold an object"))
    version = data.get("version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise SettingsError(_("the settings file has no valid version"))
    if version > SETTINGS_VERSION:
        raise SettingsError(
            _("the settings file is from a newer Tutor (version {version})").format(version=version)
        )
    # Upgrades go here, one step a version: `if version < 2: data = _v1_to_v2(data)`.
    try:
        return Settings(
            provider=_provider(data.get("provider")),
            learner=_learner(data.get("learner")),
            window=_window(data.get("window")),
            context_budget_tokens=_budget(data.get("context_budget_tokens")),
            corrections=_correction_style(data.get("corrections")),
            coach_model=_text(data.get("coach_model") or ""),
            appearance=_appearance(data.get("appearance")),
            proxy=_proxy(data.get("proxy")),
            interface_language=_interface_language(data.get("interface_language")),
            voice=voice_settings_from_dict(data.get("voice")),
            level_fit_meter=data.get("level_fit_meter") is not False,  # lenient: shown
            memory=data.get("memory") is not False,  # lenient, as the meter
            score_parallel_requests=_parallel(data.get("score_parallel_requests")),
        )
    except (KeyError, TypeError, ValueError) as error:
        raise SettingsError(
            _("the settings file has a bad value: {reason}").format(reason=error)
        ) from error


def _provider(data: Any) -> ProviderSettings | None:
    if data is None:
        return None
    return ProviderSettings(
        kind=ProviderKind(data["kind"]),
        base_url=_text(data["base_url"]),
        model=_text(data["model"]),
    )


def _learner(data: Any) -> LearnerProfile | None:
    if data is None:
        return None
    return LearnerProfile(
        target_language=_text(data["target_language"]),
        level=Level(data["level"]),
        native_language=_text(data["native_language"]),
    ).validated()


def _window(data: Any) -> WindowState:
    if not isinstance(data, dict):
        return WindowState()
    geometry, splitter = data.get("geometry"), data.get("splitter")
    return WindowState(
        geometry=geometry if isinstance(geometry, str) else None,
        splitter=splitter if isinstance(splitter, str) else None,
    )


def _correction_style(data: Any) -> CorrectionStyle:
    """Lenient: a style is a preference, and a bad value is not worth losing the file for."""
    if not isinstance(data, dict):
        return CorrectionStyle()
    scope, explanations, strict = data.get("scope"), data.get("explanations"), data.get("strict")
    precise = data.get("precise")
    known = {scope.value for scope in CorrectionScope}
    return CorrectionStyle(
        scope=CorrectionScope(scope) if scope in known else CorrectionScope.ALL,
        explanations=explanations if isinstance(explanations, bool) else True,
        strict=strict if isinstance(strict, bool) else False,
        precise=precise if isinstance(precise, bool) else False,
    )


def _parallel(value: Any) -> int:
    """Lenient, like the correction style: a count out of range is brought within it."""
    if not isinstance(value, int) or isinstance(value, bool):
        return DEFAULT_SCORE_PARALLEL
    return min(max(value, 1), MAX_SCORE_PARALLEL)


def _appearance(value: Any) -> str:
    """Lenient, like the correction style: an unknown value means "system"."""
    return value if isinstance(value, str) and value in APPEARANCES else "system"


def _interface_language(value: Any) -> str:
    """Lenient, like the appearance: a language Tutor no longer offers (or a file edited by
    hand) means the system's. tutor.store.frame_hints reads it alike for the first frame."""
    return value if isinstance(value, str) and value in INTERFACE_LANGUAGES else ""


def _proxy(value: Any) -> str:
    """Lenient, like the correction style: a proxy that no longer checks (edited by hand,
    or refused by a newer rule) is dropped rather than costing the learner the file."""
    if not isinstance(value, str):
        return ""
    try:
        return check_proxy_url(value)
    except ValueError:
        return ""


def _budget(value: Any) -> int:
    if value is None:
        return DEFAULT_CONTEXT_BUDGET
    if not isinstance(value, int) or not 500 <= value <= 2_000_000:
        raise ValueError(
            # Numbers as the file must hold them, without grouping.
            _("{setting} must be a whole number from {least} to {most}").format(
                setting="context_budget_tokens", least=500, most=2000000
            )
        )
    return value


def _text(value: Any) -> str:
    if not isinstance(value, str) or len(value) > 4096:
        raise TypeError(f"expected a short text, got {type(value).__name__}")
    return value
