"""Tutor: a desktop conversation partner for language learners."""

__version__ = "0.1.0"
