"""Getting an answer's consequences into the very next frame.

Textual repaints lazily: ``refresh()`` marks a widget, the widget tells its screen when its own
message queue next falls idle, and the screen draws the widgets it has heard of whenever *it*
falls idle, at most 60 times a second. When an answer changes the live panel, the sidebar and a
status line, each of those widgets first needs its own turn of the event loop, and by then the
screen has usually drawn a frame with only the pressed button in it. The panel then waits for
the next frame, which Textual's pacing puts 17 to 33 ms later: longer than the whole budget for
one answer (16 ms).

:func:`announce_repaints` tells the screen about every pending repaint at once, from inside the
handler that made them, so they reach the screen's queue before it can draw. It uses
``Widget._check_refresh``, the very method Textual runs when a widget falls idle; that is
private API, reached through advisor/tui/textual_private.py with Textual pinned to an exact
version, and a test (``test_an_answer_and_its_recommendation_share_a_frame``) fails if it
stops working.
"""

from __future__ import annotations

from textual.widget import Widget

from advisor.tui.textual_private import announce_refresh, has_pending_refresh


def announce_repaints(root: Widget) -> int:
    """Hand the pending repaints and re-layouts under ``root`` to the screen now.

    Returns how many widgets had one. Walks the shown widgets only: a hidden one is checked
    (hiding it is a re-layout to announce) but not what it holds, so the sections already
    visited, each a hidden page of widgets, do not make every answer slower.
    """
    n = 0
    stack = [root]
    while stack:
        widget = stack.pop()
        if has_pending_refresh(widget):
            announce_refresh(widget)
            n += 1
        if widget.display:
            stack.extend(widget.children)
    return n


__all__ = ["announce_repaints"]
