"""Where the model lives: provider preset, address, key, model, and a connection test."""

from __future__ import annotations

from dataclasses import dataclass
from itertools import count

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from tutor.domain.providers import (
    MAX_KEY_LENGTH,
    MAX_URL_LENGTH,
    OPENAI_DEFAULT_MODEL,
    PRESETS,
    ProviderKind,
    ProviderPreset,
    check_api_key,
    check_base_url,
    check_model_name,
    check_proxy_url,
    kind_for_base_url,
    preset,
)
from tutor.domain.settings import ProviderSettings
from tutor.i18n.formats import format_number
from tutor.i18n.translate import _, ngettext
from tutor.llm.client import ServerConfig
from tutor.llm.factory import ClientFactory
from tutor.llm.probe import FoundServer, probe_local_servers
from tutor.ui.setup.model_box import ModelBox
from tutor.ui.setup.server_notes import FoundNote, ResultNote, Words
from tutor.ui.shell.tasks import TaskRunner


@dataclass(frozen=True)
class ProviderChoice:
    settings: ProviderSettings
    api_key: str
    proxy: str = ""


class ProviderForm(QWidget):
    """Validates as the learner types nothing; `choice()` raises ValueError per field."""

    changed = Signal()

    def __init__(
        self,
        tasks: TaskRunner,
        clients: ClientFactory,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._tasks = tasks
        self._clients = clients
        self._checks = count(1)
        self._latest_check = 0
        self._latest_listing = 0
        self._listing = False  # a model list is on its way
        # Ask the server for its models once the learner pauses typing the address.
        self._list_soon = QTimer(self, interval=700, singleShot=True)
        self._list_soon.timeout.connect(lambda: self.load_models(quiet=True))

        self.kind = QComboBox()
        for p in PRESETS:
            self.kind.addItem(p.title, p.kind.value)
        self.hint = QLabel()
        self.hint.setWordWrap(True)
        self.hint.setObjectName("hint")
        self.found = FoundNote()  # shown once probe_local() starts looking

        self.base_url = QLineEdit()
        self.base_url.setMaxLength(MAX_URL_LENGTH)
        self.base_url.setPlaceholderText("http://localhost:11434/v1")

        self.api_key = QLineEdit()
        self.api_key.setEchoMode(QLineEdit.EchoMode.Password)
        self.api_key.setMaxLength(MAX_KEY_LENGTH)
        self.show_key = QPushButton()
        self.show_key.setCheckable(True)
        self.show_key.toggled.connect(self._toggle_key)
        key_row = QHBoxLayout()
        key_row.addWidget(self.api_key, 1)
        key_row.addWidget(self.show_key)

        self.model = ModelBox()
        self.refresh_models = QPushButton()
        self.refresh_models.clicked.connect(self.load_models)
        model_row = QHBoxLayout()
        model_row.addWidget(self.model, 1)
        model_row.addWidget(self.refresh_models)

        self.proxy = QLineEdit()
        self.proxy.setMaxLength(MAX_URL_LENGTH)

        self.test_button = QPushButton()
        self.test_button.clicked.connect(self.test_connection)
        self.result = ResultNote()

        self._labels = [QLabel() for _row in range(5)]
        fields = (self.kind, self.base_url, self.api_key, self.model, self.proxy)
        for label, field in zip(self._labels, fields, strict=True):
            label.setBuddy(field)
        form = QFormLayout()
        form.addRow(self._labels[0], self.kind)
        form.addRow("", self.hint)
        form.addRow(self._labels[1], self.base_url)
        form.addRow(self._labels[2], key_row)
        form.addRow(self._labels[3], model_row)
        form.addRow(self._labels[4], self.proxy)
        self.rows = form
        """The form's rows: the welcome puts the interface language first."""
        layout = QVBoxLayout(self)
        layout.addWidget(self.found)
        layout.addLayout(form)
        test_row = QHBoxLayout()
        test_row.addWidget(self.test_button)
        test_row.addStretch(1)
        layout.addLayout(test_row)
        layout.addWidget(self.result)
        layout.addStretch(1)

        self.kind.currentIndexChanged.connect(self._kind_changed)
        self.base_url.textEdited.connect(self._url_edited)
        self.kind.activated.connect(self._list_soon.start)
        self.base_url.textEdited.connect(self._list_soon.start)
        self.api_key.textEdited.connect(self._list_soon.start)
        self.proxy.textEdited.connect(self._list_soon.start)
        for edit in (self.base_url, self.api_key, self.proxy):
            edit.textChanged.connect(self.changed)
        self.model.currentTextChanged.connect(self.changed)
        self.retranslate()
        self._kind_changed()

    def retranslate(self) -> None:
        """Every text in the interface language in use; what was typed stays."""
        for label, text in zip(
            self._labels,
            (_("Provider"), _("Server address"), _("API key"), _("Model"), _("Proxy")),
            strict=True,
        ):
            label.setText(text)
            label.buddy().setAccessibleName(text)
        for index, p in enumerate(PRESETS):
            self.kind.setItemText(index, _(p.title))
        self.hint.setText(_(preset(self.current_kind()).hint))
        self.api_key.setPlaceholderText(
            _("Required") if preset(self.current_kind()).needs_key else _("Optional")
        )
        self._toggle_key(self.show_key.isChecked())
        self.show_key.setAccessibleName(_("Show the API key"))
        self.model.retranslate()
        self.refresh_models.setText(_("Load list"))
        self.refresh_models.setAccessibleName(_("Load the server's model list"))
        self.proxy.setPlaceholderText(
            _("Optional, e.g. {example}").format(example="http://proxy.example.com:3128")
        )
        self.proxy.setToolTip(
            _(
                "Every request to the model server goes through this proxy. Empty: the "
                "HTTPS_PROXY, HTTP_PROXY and NO_PROXY environment variables apply, if set."
            )
        )
        self.test_button.setText(_("Test connection"))
        self.test_button.setAccessibleName(_("Test connection"))
        self.found.retranslate()
        self.result.retranslate()

    # -- filling in -------------------------------------------------------------------

    def set_values(
        self, settings: ProviderSettings | None, api_key: str | None, proxy: str = ""
    ) -> None:
        if settings is not None:
            self._select_kind(settings.kind)
            self.base_url.setText(settings.base_url)
            self.model.choose(settings.model)
        if api_key:
            self.api_key.setText(api_key)
        self.proxy.setText(proxy)

    def probe_local(self) -> None:
        """Look for Ollama, LM Studio and llama.cpp on their usual ports, off the GUI thread.
        The probe answers within seconds (tutor/llm/probe.py), found or not."""
        self.found.looking()
        self._tasks.run(
            probe_local_servers, self._show_found, lambda _e: self._show_found([]), owner=self
        )

    def _show_found(self, found: list[FoundServer]) -> None:
        if not found:
            self.found.found([], chosen=False)
            return
        # The server on this computer works without an account, so it is chosen, unless
        # an address was given or an OpenAI key says where the learner means to talk.
        openai_without_key = (
            self.current_kind() is ProviderKind.OPENAI and not self.api_key.text().strip()
        )
        if not self.base_url.text().strip() or openai_without_key:
            first = found[0]
            self._select_kind(first.preset.kind)
            self._set_models(list(first.models))
            self.found.found(found, chosen=True)
        else:
            self.found.found(found, chosen=False)

    # -- reading out ------------------------------------------------------------------

    def current_kind(self) -> ProviderKind:
        return ProviderKind(self.kind.currentData())

    def choice(self) -> ProviderChoice:
        """The values, checked; ValueError names the first field that is wrong."""
        kind = self.current_kind()
        try:
            base_url = check_base_url(self.base_url.text())
        except ValueError as error:
            self.base_url.setFocus()
            raise ValueError(_("Server address: {problem}").format(problem=error)) from None
        try:
            key = check_api_key(self.api_key.text(), required=preset(kind).needs_key)
        except ValueError as error:
            self.api_key.setFocus()
            raise ValueError(_("API key: {problem}").format(problem=error)) from None
        try:
            model = check_model_name(self.model.currentText())
        except ValueError as error:
            self.model.setFocus()
            if self._listing and not self.model.currentText().strip():
                raise ValueError(
                    _(
                        "Model: The server's model list is still loading. Choose a model when "
                        "it shows, or type a name."
                    )
                ) from None
            raise ValueError(_("Model: {problem}").format(problem=error)) from None
        try:
            proxy = check_proxy_url(self.proxy.text())
        except ValueError as error:
            self.proxy.setFocus()
            raise ValueError(_("Proxy: {problem}").format(problem=error)) from None
        return ProviderChoice(ProviderSettings(kind, base_url, model), key, proxy)

    # -- checks against the server -----------------------------------------------------

    def test_connection(self) -> None:
        try:
            choice = self.choice()
        except ValueError as error:
            self._show_result(False, str(error))
            return
        config = ServerConfig(
            choice.settings.base_url, choice.settings.model, choice.api_key, choice.proxy
        )
        check = next(self._checks)
        self._latest_check = check
        self._show_result(None, lambda: _("Testing…"))
        self.test_button.setEnabled(False)
        self._tasks.run(
            lambda: self._clients.client(config).check_connection(),
            lambda verdict: self._checked(check, True, verdict),
            lambda error: self._checked(check, False, str(error)),
            owner=self,
        )

    def load_models(self, *, quiet: bool = False) -> None:
        """Fill the model list from the server. `quiet`: say nothing if it fails."""
        try:
            base_url = check_base_url(self.base_url.text())
            key = check_api_key(self.api_key.text(), required=False)
            proxy = check_proxy_url(self.proxy.text())
        except ValueError as error:
            if not quiet:
                self._show_result(False, str(error))
            return
        if quiet and preset(self.current_kind()).needs_key and not key:
            return
        config = ServerConfig(base_url, self.model.currentText().strip(), key, proxy)
        listing = next(self._checks)
        self._latest_listing = listing
        self._listing = True
        self.refresh_models.setEnabled(False)
        self._tasks.run(
            lambda: self._clients.client(config).list_models(),
            lambda models: self._models_loaded(listing, models, quiet),
            lambda error: self._models_failed(listing, error, quiet),
            owner=self,
        )

    def _models_loaded(self, listing: int, models: list[str], quiet: bool) -> None:
        if listing != self._latest_listing:
            return  # the address changed while this list was on its way
        self._listing = False
        self.refresh_models.setEnabled(True)
        if not models:
            if not quiet:
                self._show_result(
                    False, lambda: _("The server lists no models. Type the model's name.")
                )
            return
        self._set_models(models)
        if not quiet:  # a quiet listing must not cover a connection test's verdict
            self._show_result(True, lambda: _models_offered(len(models)))

    def _models_failed(self, listing: int, error: Exception, quiet: bool) -> None:
        if listing != self._latest_listing:
            return
        self._listing = False
        self.refresh_models.setEnabled(True)
        if not quiet:
            self._show_result(False, str(error))

    def _checked(self, check: int, ok: bool, message: str) -> None:
        if check != self._latest_check:
            return  # an older test answered after a newer one started
        self.test_button.setEnabled(True)
        self._show_result(ok, message)

    def _show_result(self, ok: bool | None, message: Words | str) -> None:
        self.result.say(ok, message)

    # -- reactions ----------------------------------------------------------------------

    def _select_kind(self, kind: ProviderKind) -> None:
        index = self.kind.findData(kind.value)
        if index >= 0:
            self.kind.setCurrentIndex(index)

    def _set_models(self, models: list[str]) -> None:
        # OpenAI's default also where another server lists it (a proxy for OpenAI).
        preferred = preset(self.current_kind()).default_model or OPENAI_DEFAULT_MODEL
        self.model.show_models(models, preferred)

    def _server_changed(self, chosen: ProviderPreset) -> None:
        """Another server: its list and a default model from Tutor no longer apply."""
        self._latest_listing = next(self._checks)  # a list still on its way is the old one's
        self._listing = False
        self.refresh_models.setEnabled(True)
        self.model.forget_list(chosen.default_model)

    def _kind_changed(self) -> None:
        chosen = preset(self.current_kind())
        self.hint.setText(_(chosen.hint))
        if chosen.base_url:
            self.base_url.setText(chosen.base_url)
        self.api_key.setPlaceholderText(_("Required") if chosen.needs_key else _("Optional"))
        self.result.forget()
        self._server_changed(chosen)

    def sync_kind_to_url(self) -> None:
        self._url_edited(self.base_url.text())

    def _url_edited(self, text: str) -> None:
        kind = kind_for_base_url(text.strip())
        if kind is not self.current_kind():
            self.kind.blockSignals(True)
            self._select_kind(kind)
            self.kind.blockSignals(False)
            self.hint.setText(_(preset(kind).hint))
            self._server_changed(preset(kind))

    def _toggle_key(self, shown: bool) -> None:
        mode = QLineEdit.EchoMode.Normal if shown else QLineEdit.EchoMode.Password
        self.api_key.setEchoMode(mode)
        self.show_key.setText(_("Hide") if shown else _("Show"))


def _models_offered(count: int) -> str:
    offered = ngettext(
        "The server offers {count} model.", "The server offers {count} models.", count
    )
    return offered.format(count=format_number(count))
