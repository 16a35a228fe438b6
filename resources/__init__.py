"""Tutor's built-in files: scenarios/ (TOML) and icons/ (the application icon).

Installed, this folder is the package ``tutor_resources`` (see pyproject.toml), so
``tutor.paths.bundled_resources()`` finds it with importlib.resources. Nothing imports
code from here.
"""
