"""Closing a reply's stream from another thread (Stop, Esc, sending anew, a loop noticed)
ends the thread reading it at once."""

from __future__ import annotations

import threading
import time

from tests.openai_server import ScriptedReply
from tutor.llm.client import ChatClient, ServerConfig


def test_closing_a_stream_wakes_the_thread_reading_it_at_once(server):
    """Without it, the reading thread waits for the server's next byte: from a server
    that pauses, up to the read timeout (120 s), holding a thread of the pool that every
    reply and check needs. A learner interrupting replies would use the pool up."""
    server.enqueue(ScriptedReply(tokens=[" Hola", " otra", " vez"], token_delay=30))
    stream = ChatClient(ServerConfig(server.base_url, "tutor-test-small")).stream_reply(
        [{"role": "user", "content": "Hola"}]
    )
    ended = threading.Event()

    def read() -> None:
        for _piece in stream:
            pass
        ended.set()

    threading.Thread(target=read, daemon=True).start()
    time.sleep(0.3)  # the reader has the first event and waits for the next, 30 s away

    stream.close()

    assert ended.wait(5)
    assert stream.finish_reason is None
