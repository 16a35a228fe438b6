"""Guards against a Qt binding that breaks the app in ways no other test sees quickly.

PySide6 6.12.0 under Python 3.11 drops one reference to None on every call of a
method returning void; the interpreter aborts once None's count reaches zero, which
a chat view that formats text reaches within minutes. pyproject.toml excludes it.
"""

from __future__ import annotations

import sys

from PySide6.QtGui import QTextBlockFormat, QTextCursor, QTextDocument


def test_void_calls_keep_none_alive(qapp):
    document = QTextDocument()
    cursor = QTextCursor(document)
    before = sys.getrefcount(None)
    for _ in range(2000):
        block = QTextBlockFormat()
        block.setLeftMargin(10)
        cursor.insertBlock(block)
    assert sys.getrefcount(None) >= before - 100
