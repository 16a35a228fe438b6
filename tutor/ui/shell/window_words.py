"""What the main window's title and status line say: the open session, the server in
use and the last reply's tokens, in the interface language."""

from __future__ import annotations

from typing import TYPE_CHECKING

from tutor.i18n.formats import format_number
from tutor.i18n.translate import _, ngettext

if TYPE_CHECKING:
    from tutor.domain.conversation import TokenUsage
    from tutor.domain.session import PracticeSession


def window_title(session: PracticeSession | None) -> str:
    """Tutor, and the open session's name."""
    if session is None:
        return "Tutor"  # the application's name, in every language
    # Translators: the window's title while a session is open: the application's name
    # (Tutor, kept as it is), then the session's name.
    return _("Tutor · {session}").format(session=session.title)


def server_label(address: tuple[str, str] | None) -> str:
    """The server and model in use, or how to set one up."""
    if address is None:
        # Translators: "Edit" and "Settings" are the menu and its item, as translated there.
        return _("No model server set up: Edit → Settings")
    base_url, model = address
    # Translators: the model in use and its server's address, in the status line.
    return _("{model} at {address}").format(model=model, address=base_url)


def reply_status(server: str, usage: TokenUsage) -> str:
    """The status line after a reply: the server, and the tokens it cost."""
    sent, written = usage.prompt_tokens, usage.completion_tokens
    # Translators: the status line after a reply: the server, then the tokens the request
    # sent and the reply wrote; the plural follows the second number.
    line = ngettext(
        "{server} · last reply: {sent} + {written} token",
        "{server} · last reply: {sent} + {written} tokens",
        written,
    )
    return line.format(server=server, sent=format_number(sent), written=format_number(written))
