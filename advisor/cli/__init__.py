"""The command line: one module per command, shared options once, output formats by registry.

``main(argv)`` is the entry point of the ``advisor`` script and of ``python -m advisor``.
"""

from advisor.cli.main import main

__all__ = ["main"]
