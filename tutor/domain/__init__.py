"""Pure Python rules of Tutor: no Qt, no network, no SQL."""
