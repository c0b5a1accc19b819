"""The private Textual attributes the TUI relies on still exist on the installed Textual.

Each comes from advisor/tui/textual_private.py, the one module that touches them. When an
upgrade removes or renames one, this test says which, and on which Textual version, before a
questionnaire slows down or a radio button stops releasing the others.
"""

from __future__ import annotations

from importlib.metadata import version
from typing import Any

import pytest
from textual.reactive import Reactive
from textual.widget import Widget
from textual.widgets import Input

from advisor.tui.textual_private import PRIVATE_API, virtual_size_without_relayout
from advisor.tui.widgets.controls import AnswerInput

TEXTUAL = version("textual")


def _instance(owner: type[Any]) -> Any:
    if owner is Reactive:
        return Reactive(0)
    return owner()


@pytest.mark.parametrize(
    ("owner", "name", "where"), PRIVATE_API, ids=[f"{o.__name__}.{n}" for o, n, _ in PRIVATE_API]
)
def test_each_private_attribute_still_exists(owner: type[Any], name: str, where: str) -> None:
    found = hasattr(owner, name) if where == "class" else hasattr(_instance(owner), name)
    assert found, (
        f"Textual {TEXTUAL} has no {owner.__name__}.{name} any more; advisor/tui/"
        f"textual_private.py relies on it. Rework the function there that uses it, or pin "
        f"Textual back to the version in pyproject.toml."
    )


def test_every_private_name_in_the_tui_is_listed() -> None:
    """A private Textual name used in textual_private.py but missing from PRIVATE_API would
    escape this test."""
    import inspect
    import re

    import advisor.tui.textual_private as module

    used = set(re.findall(r"\.(_[a-z][a-z_]*)\b", inspect.getsource(module)))
    listed = {name for _, name, _ in PRIVATE_API}
    assert used <= listed, sorted(used - listed)


def test_the_input_opts_out_of_relayout_the_way_textual_declares_it() -> None:
    base = Widget.__dict__.get("virtual_size")
    assert isinstance(base, Reactive), (
        f"Textual {TEXTUAL}: Widget.virtual_size is no longer a Reactive; AnswerInput's "
        "opt-out from re-layout (virtual_size_without_relayout) no longer applies."
    )
    assert base._layout, f"Textual {TEXTUAL}: Widget.virtual_size no longer lays out"
    mine = AnswerInput.__dict__["virtual_size"]
    assert isinstance(mine, Reactive) and not mine._layout
    assert not virtual_size_without_relayout()._layout
    assert issubclass(AnswerInput, Input)
