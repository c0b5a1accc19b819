"""The Textual questionnaire: ``advisor.tui.app.run_app`` is the entry point (see docs/tui.md).

Nothing here is imported by the core; the CLI imports ``advisor.tui.app`` only for ``run``.
"""
