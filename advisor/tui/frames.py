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
private API, which is why it lives here alone, with Textual pinned to an exact version and a
test (``test_an_answer_and_its_recommendation_share_a_frame``) that fails if it stops working.
"""

from __future__ import annotations

from textual.widget import Widget


def announce_repaints(root: Widget) -> int:
    """Hand the pending repaints and re-layouts under ``root`` to the screen now.

    Returns how many widgets had one. Costs a walk over the widgets (tens of microseconds for a
    questionnaire page); a widget without pending work is untouched.
    """
    n = 0
    for widget in root.walk_children(Widget, with_self=True):
        if widget._repaint_required or widget._layout_required:
            widget._check_refresh()
            n += 1
    return n


__all__ = ["announce_repaints"]
