"""`python -m tutor` runs the app."""

import sys

from tutor.app import main

sys.exit(main())
