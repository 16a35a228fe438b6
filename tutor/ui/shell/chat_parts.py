"""What feature packages (tutor/ui/help, voice, reading aids…) use of the conversation,
passed through the shell: features meet only through shell and widgets
(tests/test_architecture.py), and what they add to a message is defined by the chat
(tutor/ui/chat/message_decorations.py). One place to import it from, so a feature
never imports the chat package itself."""

from __future__ import annotations

from tutor.ui.chat.chat_view import ChatView
from tutor.ui.chat.message_decorations import MessageAction, MessageDecorator, MessageNote

__all__ = ["ChatView", "MessageAction", "MessageDecorator", "MessageNote"]
