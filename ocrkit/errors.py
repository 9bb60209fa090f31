"""Exceptions the CLI turns into one-line messages."""


class UsageError(Exception):
    """A command-line mistake; printed as one line, exit status 2."""
