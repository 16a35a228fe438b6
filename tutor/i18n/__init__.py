"""The interface in the learner's own language: gettext catalogues and locale formats.

The bottom layer: every other package may import it, it imports nothing of Tutor's."""
