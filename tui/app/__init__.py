"""The Textual app. Its first import checks the installed Textual (tui/app/internals): an
unsupported one stops here with one ImportError line, before a module of the app can fail on it."""

from tui.app import internals  # noqa: F401 - the check, before anything below uses Textual
