"""The command line: its arguments (`arguments`), the commands that run without a window
(`commands`: scenarios, sessions, export) and `doctor`. Nothing here imports Qt or openai
at import time, and nothing here imports the composition root (tutor/app.py)."""
