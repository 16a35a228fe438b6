"""Everything Tutor keeps on disk: SQLite, the settings file, the key in the keyring."""
