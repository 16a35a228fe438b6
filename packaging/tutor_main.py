"""The bundle's entry point: PyInstaller starts here (packaging/tutor.spec)."""

import sys

from tutor.app import main

if __name__ == "__main__":
    sys.exit(main())
