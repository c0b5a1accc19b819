"""Pilot tests of the questionnaire: answering, saving, resuming, live panel, ask_if, errors."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import pytest
from test_tui_support import load_small, saved, settle, sync, until

pytest.importorskip("textual")

from textual.binding import Binding
from textual.strip import Strip
from textual.widget import Widget
from textual.widgets import (
    DataTable,
    Input,
    RadioButton,
    RadioSet,
    Select,
    SelectionList,
    Static,
    Switch,
    TabbedContent,
)

from advisor.load.answers import load_answers
from advisor.tui.app import AdvisorApp
from advisor.tui.screens.load_error import LoadErrorScreen
from advisor.tui.screens.questionnaire import QuestionnaireScreen
from advisor.tui.screens.welcome import WelcomeScreen
from advisor.tui.textual_private import counting_layouts, watching_frames
from advisor.tui.widgets.live import LivePanel
from advisor.tui.widgets.question import QuestionField

if TYPE_CHECKING:
    from textual.pilot import Pilot

    from advisor.engine.ruleset import RuleSet

SIZE = (100, 32)


@pytest.fixture(scope="module")
def small(tmp_path_factory: pytest.TempPathFactory) -> RuleSet:
    return load_small(tmp_path_factory.mktemp("rules"))


def make_app(rs: RuleSet, path: Path | None) -> AdvisorApp:
    return AdvisorApp(rs, path, blink_cursor=False)


async def start(pilot: Pilot[int]) -> QuestionnaireScreen:
    """From the welcome screen into the questionnaire (Enter on the focused Start button)."""
    await pilot.pause()
    assert isinstance(pilot.app.screen, WelcomeScreen)
    await pilot.press("enter")
    await pilot.pause()
    screen = pilot.app.screen
    assert isinstance(screen, QuestionnaireScreen)
    return screen


W = TypeVar("W", bound=Widget)


def control_of(field: QuestionField, kind: type[W]) -> W:
    """The field's control, of the kind its question type makes (choice, number, bool...)."""
    control = field.control
    assert isinstance(control, kind), control
    return control


def status(field: QuestionField) -> str:
    return str(field.query_one(".status", Static).render())


def no_temp_files(folder: Path) -> bool:
    return not [p for p in folder.iterdir() if p.name.endswith(".tmp")]


# --- answering ------------------------------------------------------------------------------


@sync
async def test_answer_the_whole_questionnaire_by_keyboard(small: Any, tmp_path: Path) -> None:
    path = tmp_path / "assessment.yaml"
    app = make_app(small, path)
    async with app.run_test(size=SIZE) as pilot:
        screen = await start(pilot)
        assert path.exists()  # created when the assessment starts
        # org: a radio set (Enter presses the highlighted first option), then a text input
        assert isinstance(app.focused, RadioSet)
        await pilot.press("down", "enter")
        await settle(pilot)
        assert saved(path)["org.hq_region"] == "us"
        await pilot.press("tab", *"Acme", "enter")
        await pilot.pause()
        # Enter on the last question of a section moves to the next section
        assert screen.section_index == 1
        assert isinstance(app.focused, Input)
        await pilot.press(*"2.5B", "enter", *"300M", "enter")
        await pilot.pause()
        # a drop-down: open, move, choose
        assert isinstance(app.focused, Select)
        await pilot.press("enter", "down", "down", "enter")
        await pilot.pause()
        await pilot.press("ctrl+n")
        await pilot.pause()
        assert screen.section_index == 2
        assert isinstance(app.focused, Switch)
        await pilot.press("space", "tab", "space")
        await pilot.pause()
        await pilot.press("ctrl+n")
        await pilot.pause()
        await pilot.press("ctrl+a", "ctrl+k", "3", "enter")
        await pilot.pause()
        assert isinstance(app.focused, Switch)  # the follow-up appeared and took the focus
        await pilot.press("space")
        await pilot.pause()
        await pilot.press("ctrl+r")
        await settle(pilot)
        assert type(app.screen).__name__ == "ResultsScreen"
    answers = saved(path)
    assert answers == {
        "org.hq_region": "us",
        "org.name": "Acme",
        "usage.monthly_input_tokens": 2.5e9,
        "usage.monthly_output_tokens": 3e8,
        "usage.current_model": answers["usage.current_model"],
        "data.air_gapped": True,
        "data.origins": ["cn"],
        "ops.ml_engineers": 3,
        "ops.serving_experience": True,
    }
    assert answers["usage.current_model"] in small.questions["usage.current_model"].option_values
    assert load_answers(path, small).values == answers
    assert no_temp_files(tmp_path)


@sync
async def test_every_answer_is_on_disk_at_once_and_valid(small: Any, tmp_path: Path) -> None:
    path = tmp_path / "a.yaml"
    app = make_app(small, path)
    async with app.run_test(size=SIZE) as pilot:
        screen = await start(pilot)
        steps: list[tuple[str, Any, Any]] = [
            ("org.hq_region", lambda f: f.control.query("RadioButton")[0].toggle(), "eu"),
            ("data.air_gapped", lambda f: f.control.toggle(), True),
            ("data.origins", lambda f: f.control.select("us"), ["us"]),
            ("usage.current_model", lambda f: setattr(f.control, "value", "o1"), "o1"),
        ]
        expected: dict[str, Any] = {}
        for qid, act, value in steps:
            field = await screen.show_question(qid)
            act(field)
            expected[qid] = value
            # what a crash at any moment would leave: a whole, valid file (load_answers raises on
            # anything else), which holds this answer as soon as the change is handled
            assert await until(pilot, lambda: load_answers(path, small).values == expected)
            assert no_temp_files(tmp_path)


@sync
async def test_typed_numbers_are_drafts_until_committed(small: Any, tmp_path: Path) -> None:
    path = tmp_path / "a.yaml"
    app = make_app(small, path)
    async with app.run_test(size=SIZE) as pilot:
        screen = await start(pilot)
        panel = screen.query_one(LivePanel)
        await screen.show_question("usage.monthly_input_tokens")
        await pilot.press(*"7M")
        await pilot.pause()
        # the recommendation follows the draft at once; the file waits for Enter or Tab
        assert panel.decision is not None
        assert panel.decision.answers["usage.monthly_input_tokens"] == 7e6
        assert "usage.monthly_input_tokens" not in saved(path)
        await pilot.press("tab")
        await settle(pilot)
        assert saved(path)["usage.monthly_input_tokens"] == 7e6
        await screen.show_question("usage.monthly_output_tokens")
        await pilot.press(*"9M")
        await pilot.press("ctrl+q")  # quitting keeps a valid draft
    assert saved(path)["usage.monthly_output_tokens"] == 9e6


@sync
async def test_ctrl_s_saves_and_clear_forgets(small: Any, tmp_path: Path) -> None:
    path = tmp_path / "a.yaml"
    app = make_app(small, path)
    async with app.run_test(size=SIZE) as pilot:
        screen = await start(pilot)
        field = await screen.show_question("usage.current_model")
        control_of(field, Select).value = "o3"
        await settle(pilot)
        assert saved(path)["usage.current_model"] == "o3"
        path.unlink()
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert saved(path)["usage.current_model"] == "o3"
        await pilot.press("ctrl+l")
        await settle(pilot)
        assert "usage.current_model" not in saved(path)
        assert "default" in status(field)


# --- resuming -------------------------------------------------------------------------------


@sync
async def test_resume_shows_saved_answers_and_goes_to_the_first_open_section(
    small: Any, tmp_path: Path
) -> None:
    path = tmp_path / "resume.yaml"
    path.write_text(
        "meta: {title: Q3 review, author: Ada}\n"
        "answers:\n  org.hq_region: eu\n  usage.monthly_input_tokens: 2.5B\n"
        "  usage.monthly_output_tokens: 1e8\n  usage.current_model: o1\n"
    )
    app = make_app(small, path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        welcome = app.screen
        assert "resuming: 4 answered" in str(welcome.query_one("#welcome-intro", Static).render())
        assert welcome.query_one("#meta-title", Input).value == "Q3 review"
        screen = await start(pilot)
        assert screen.section_index == 2  # org and usage are complete (org.name is optional)
        region = await screen.show_question("org.hq_region")
        pressed = control_of(region, RadioSet).pressed_button
        assert pressed is not None and "European Union" in str(pressed.label)
        tokens = await screen.show_question("usage.monthly_input_tokens")
        assert control_of(tokens, Input).value == "2500000000"
        assert "2.5B tokens/month" in status(tokens)
        model = await screen.show_question("usage.current_model")
        assert control_of(model, Select).value == "o1"
    data = load_answers(path, small)
    assert data.meta.title == "Q3 review" and data.meta.author == "Ada"


@sync
async def test_a_path_that_does_not_exist_is_created(small: Any, tmp_path: Path) -> None:
    path = tmp_path / "sub" / "new.yaml"
    app = make_app(small, path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        app.screen.query_one("#meta-organisation", Input).value = "Example plc"
        await start(pilot)
    assert load_answers(path, small).meta.organisation == "Example plc"


@sync
async def test_quitting_on_the_welcome_screen_writes_nothing(small: Any, tmp_path: Path) -> None:
    import gc

    from advisor.tui.app import GC_THRESHOLD

    path = tmp_path / "never.yaml"
    app = make_app(small, path)
    before = gc.get_threshold()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        # the app collects garbage less often while it runs, and leaves the process as it was
        assert gc.get_threshold() == (GC_THRESHOLD, *before[1:])
        await pilot.press("ctrl+q")
    assert not path.exists()
    assert gc.get_threshold() == before


def test_no_animations_unless_the_user_asks_for_them(
    small: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A tab switch or a page scroll is one frame, not twenty; TEXTUAL_ANIMATIONS still rules."""
    from textual import constants

    monkeypatch.delenv("TEXTUAL_ANIMATIONS", raising=False)
    assert make_app(small, tmp_path / "a.yaml").animation_level == "none"
    monkeypatch.setenv("TEXTUAL_ANIMATIONS", "full")
    app = make_app(small, tmp_path / "a.yaml")
    assert app.animation_level == constants.TEXTUAL_ANIMATIONS  # Textual's reading of it


# --- the live panel and ask_if --------------------------------------------------------------


@sync
async def test_live_panel_follows_an_answer(small: Any, tmp_path: Path) -> None:
    # no probability worker: one answer, one redraw (the worker's later redraw of the
    # confidence line is tested in test_robustness_tui.py)
    app = AdvisorApp(small, tmp_path / "a.yaml", blink_cursor=False, robust_samples=0)
    async with app.run_test(size=SIZE) as pilot:
        screen = await start(pilot)
        panel = screen.query_one(LivePanel)
        before = panel.decision
        assert before is not None and before.recommendation == "stay_hosted"
        assert "rules wait for answers" in str(panel.render())
        updates = panel.updates
        field = await screen.show_question("data.air_gapped")
        await pilot.press("space")
        await pilot.pause()
        assert panel.updates == updates + 1
        after = panel.decision
        assert after is not None and after.recommendation == "self_host"
        assert set(after.vetoed) == {"stay_hosted", "managed_open", "hybrid"}
        shown = str(panel.render())
        assert "vetoed" in shown and "Self-host" in shown
        assert field.value is True


@sync
async def test_live_panel_with_the_packaged_rules(tmp_path: Path) -> None:
    """The packaged questionnaire is rewritten as knowledge grows: assert only contracts."""
    from advisor.engine.ruleset import load_ruleset

    rs = load_ruleset()
    app = make_app(rs, tmp_path / "a.yaml")
    async with app.run_test(size=SIZE) as pilot:
        screen = await start(pilot)
        panel = screen.query_one(LivePanel)
        before = panel.decision
        field = await screen.show_question("data.air_gapped")
        control_of(field, Switch).toggle()
        await pilot.pause()
        assert panel.decision is not before
        assert panel.decision is not None and panel.decision.answers["data.air_gapped"] is True
        # the file is written by a worker thread after the frame: wait for it, as the other
        # saving tests do (one pause was too short once on a loaded machine)
        await settle(pilot)
        assert saved(tmp_path / "a.yaml") == {"data.air_gapped": True}


@sync
async def test_follow_up_question_appears_and_disappears(small: Any, tmp_path: Path) -> None:
    app = make_app(small, tmp_path / "a.yaml")
    async with app.run_test(size=SIZE) as pilot:
        screen = await start(pilot)
        await screen.show_question("ops.ml_engineers")
        follow_up = screen.field("ops.serving_experience")
        assert not follow_up.display
        await pilot.press("ctrl+a", "ctrl+k", "2", "enter")
        await pilot.pause()
        assert follow_up.display
        assert app.focused is follow_up.control
        await screen.show_question("ops.ml_engineers")
        await pilot.press("ctrl+a", "ctrl+k", "0")
        await pilot.pause()
        assert not follow_up.display
        sidebar = str(screen.query_one("#sections").get_option("ops").prompt)
        assert "1/1" in sidebar


# --- validation -----------------------------------------------------------------------------


@sync
async def test_a_bad_number_shows_the_loaders_error_and_saves_nothing(
    small: Any, tmp_path: Path
) -> None:
    path = tmp_path / "a.yaml"
    app = make_app(small, path)
    async with app.run_test(size=SIZE) as pilot:
        screen = await start(pilot)
        field = await screen.show_question("usage.monthly_input_tokens")
        before = path.read_bytes()
        await pilot.press(*"lots", "enter")
        await pilot.pause()
        with pytest.raises(ValueError) as err:
            small.coerce("usage.monthly_input_tokens", "lots")
        assert str(err.value) in status(field)
        assert field.control.has_class("-invalid")
        assert app.focused is field.control  # Enter did not move on
        assert path.read_bytes() == before
        await pilot.press("ctrl+a", "ctrl+k", *"-5", "tab")
        await pilot.pause()
        assert "must be at least 0" in status(field)
        assert path.read_bytes() == before
        await screen.show_question("usage.monthly_input_tokens")
        await pilot.press("ctrl+a", "ctrl+k", *"1e9", "enter")
        await settle(pilot)
        assert saved(path)["usage.monthly_input_tokens"] == 1e9
        assert not field.control.has_class("-invalid")
        # a typo after a valid answer: valid prefixes ("2", "25") are never committed
        await screen.show_question("usage.monthly_input_tokens")
        await pilot.press("ctrl+a", "ctrl+k", *"25x", "tab")
        await settle(pilot)
        assert saved(path)["usage.monthly_input_tokens"] == 1e9
        assert "The answer stays 1B tokens/month" in status(field)
        panel = screen.query_one(LivePanel)
        assert panel.decision is not None
        assert panel.decision.answers["usage.monthly_input_tokens"] == 1e9


# --- a file that cannot be used -------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("answers: [unclosed\n", "broken.yaml:"),
        ("answers:\n  usage.monthly_input_tokens: lots\n", "broken.yaml:2:31: ADV502"),
    ],
)
@sync
async def test_a_corrupt_file_is_reported_and_never_overwritten(
    small: Any, tmp_path: Path, text: str, expected: str
) -> None:
    path = tmp_path / "broken.yaml"
    path.write_text(text)
    app = make_app(small, path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, LoadErrorScreen)
        shown = str(app.screen.query_one("#problems", Static).render())
        assert expected in shown and "left unchanged" in shown
        await pilot.press("ctrl+s")
        await pilot.pause()
        await pilot.press("ctrl+q")
    assert path.read_text() == text
    assert no_temp_files(tmp_path)


def test_run_app_refuses_a_corrupt_file_before_opening(
    small: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from advisor.tui.app import run_app

    path = tmp_path / "broken.yaml"
    path.write_text("answers:\n  org.hq_region: mars\n")
    assert run_app(small, path) == 1
    err = capsys.readouterr().err
    assert "broken.yaml:2:18: ADV503" in err and "has not been changed" in err
    assert path.read_text() == "answers:\n  org.hq_region: mars\n"


# --- keyboard, palette, mouse, size ---------------------------------------------------------


def test_every_binding_has_an_id_and_a_footer_label() -> None:
    from advisor.tui.screens.questionnaire import QuestionnaireScreen
    from advisor.tui.screens.results import ResultsScreen

    for owner in (AdvisorApp, WelcomeScreen, QuestionnaireScreen, ResultsScreen, LoadErrorScreen):
        for binding in owner.BINDINGS:
            assert isinstance(binding, Binding)
            assert binding.id and binding.id.startswith("advisor."), (owner, binding)
            assert binding.description and binding.show, (owner, binding)


@sync
async def test_the_footer_follows_its_screens_bindings_and_keeps_its_keys_otherwise() -> None:
    """The footer rebuilds its keys only when the keys it would show change (a binding shown,
    hidden, enabled or disabled); a bindings update that changes nothing keeps the very same
    key widgets. Its keys are those Textual's own Footer shows for the same bindings."""
    from textual.app import App, ComposeResult
    from textual.screen import Screen
    from textual.widgets import Footer

    from advisor.tui.widgets.footer import KeysFooter

    class Toggling(Screen[None]):
        BINDINGS = [Binding("f2", "go", "Go"), Binding("f3", "stay", "Stay")]  # noqa: RUF012
        mode = "shown"

        def __init__(self, footer: type[Footer]) -> None:
            super().__init__()
            self.footer = footer

        def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
            if action == "go":
                return {"shown": True, "disabled": None, "hidden": False}[self.mode]
            return True

        def compose(self) -> ComposeResult:
            yield Static("body")
            yield self.footer()

        def action_go(self) -> None: ...

        def action_stay(self) -> None: ...

    def keys(screen: Screen[None]) -> list[tuple[str, str, bool, bool]]:
        return [
            (k.key, k.description, k.has_class("-disabled"), k.has_class("-compact"))  # type: ignore[attr-defined]
            for k in screen.query("FooterKey")
        ]

    async def run(footer: type[Footer]) -> list[list[tuple[str, str, bool, bool]]]:
        seen = []
        app = App[None]()
        async with app.run_test(size=(80, 10)) as pilot:
            screen = Toggling(footer)
            await app.push_screen(screen)
            await pilot.pause()
            seen.append(keys(screen))
            shown = list(screen.query("FooterKey"))
            screen.refresh_bindings()  # nothing changed
            await pilot.pause()
            await pilot.pause()
            assert keys(screen) == seen[0]
            if footer is KeysFooter:
                assert list(screen.query("FooterKey")) == shown  # the same widgets
            for mode in ("disabled", "hidden", "shown"):
                screen.mode = mode
                screen.refresh_bindings()
                await pilot.pause()
                await pilot.pause()
                seen.append(keys(screen))
        return seen

    mine, textuals = await run(KeysFooter), await run(Footer)
    assert mine == textuals
    go = [[k for k in state if k[0] == "f2"] for state in mine]
    assert go == [
        [("f2", "Go", False, False)],
        [("f2", "Go", True, False)],
        [],
        [("f2", "Go", False, False)],
    ]


@sync
async def test_command_palette_offers_every_action(small: Any, tmp_path: Path) -> None:
    app = make_app(small, tmp_path / "a.yaml")
    async with app.run_test(size=SIZE) as pilot:
        screen = await start(pilot)
        titles = {c.title for c in app.get_system_commands(screen)}
        assert {"Save", "Quit", "Next section", "Previous section", "Results"} <= titles
        assert {"Clear answer", "Go to section: Data"} <= titles
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"Go to section: Team")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await pilot.pause(0.3)
        assert screen.section_index == 3
        results_titles = set()
        await pilot.press("ctrl+r")
        await pilot.pause()
        results_titles = {c.title for c in app.get_system_commands(app.screen)}
        assert {"Back to the questions", "Export", "Next tab"} <= results_titles


@sync
async def test_the_mouse_answers_and_navigates(small: Any, tmp_path: Path) -> None:
    path = tmp_path / "a.yaml"
    app = make_app(small, path)
    async with app.run_test(size=SIZE) as pilot:
        screen = await start(pilot)
        region = screen.field("org.hq_region")
        buttons = region.control.query("RadioButton")
        await pilot.click(buttons[2])
        await settle(pilot)
        assert saved(path)["org.hq_region"] == "other"
        sidebar = screen.query_one("#sections")
        await pilot.click(sidebar, offset=(3, 3))  # border row, then Organisation, Workload, Data
        await pilot.pause()
        assert screen.section_index == 2


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
@sync
async def test_works_at_80x24_and_larger(small: Any, tmp_path: Path, size: tuple[int, int]) -> None:
    app = make_app(small, tmp_path / "a.yaml")
    async with app.run_test(size=size) as pilot:
        screen = await start(pilot)
        # the width's class (HORIZONTAL_BREAKPOINTS) and the left column it sizes
        wide = size[0] >= 110
        assert screen.has_class("-wide") is wide and screen.has_class("-narrow") is not wide
        assert screen.query_one("#left").size.width == (42 if wide else 30)
        for index in range(len(small.sections)):
            await screen.goto_section(index)
            await pilot.pause()
            focused = app.focused
            assert focused is not None and focused.region.height > 0
            assert screen.query_one(LivePanel).region.height >= 6
            assert screen.query_one("#help").region.height >= 5
        await pilot.press("ctrl+r")
        await pilot.pause()
        assert app.screen.has_class("-wide") is wide and app.screen.has_class("-narrow") is not wide
        for _ in range(5):
            await pilot.press("ctrl+n")
            await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is screen


@sync
async def test_selection_list_answers_in_questionnaire_order(small: Any, tmp_path: Path) -> None:
    path = tmp_path / "a.yaml"
    app = make_app(small, path)
    async with app.run_test(size=SIZE) as pilot:
        screen = await start(pilot)
        field = await screen.show_question("data.origins")
        assert isinstance(field.control, SelectionList)
        field.control.select("us")
        await pilot.pause()
        field.control.select("cn")
        await settle(pilot)
        assert saved(path)["data.origins"] == ["cn", "us"]


# --- results and export ---------------------------------------------------------------------


@sync
async def test_results_tabs_and_export(small: Any, tmp_path: Path) -> None:
    import json

    from advisor.tui.screens.results import ResultsScreen, report_api

    path = tmp_path / "review.yaml"
    path.write_text("answers: {usage.monthly_input_tokens: 2.5B, org.hq_region: eu}\n")
    app = make_app(small, path)
    async with app.run_test(size=SIZE) as pilot:
        await start(pilot)
        await pilot.press("ctrl+r")
        await pilot.pause()
        results = app.screen
        assert isinstance(results, ResultsScreen)
        summary = str(results.query_one("#summary-text", Static).render())
        assert "Recommendation: Self-host" in summary and "EU rules may change." in summary
        reasons = str(results.query_one("#reasons-text", Static).render())
        assert "big-volume" in reasons and "test:T1: A test source" in reasons
        table = results.query_one("#models-table", DataTable)
        assert table.row_count == len(results.decision.models) > 0
        if report_api() is None:
            assert results.query("#export-unavailable")
            return
        await pilot.press("ctrl+e")
        await pilot.pause()
        assert results.query_one("TabbedContent", TabbedContent).active == "export"
        await pilot.click("#export-json")
        for _ in range(50):
            await pilot.pause(0.05)
            if "json" in results.exported:
                break
        written = tmp_path / "review.json"
        assert results.exported.get("json") == written
        data = json.loads(written.read_text())
        assert data["recommendation"] == results.decision.recommendation
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, QuestionnaireScreen)


@sync
async def test_export_is_shown_as_unavailable_without_renderers(
    small: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import advisor.tui.screens.results as results_module

    monkeypatch.setattr(results_module, "report_api", lambda: None)
    app = make_app(small, tmp_path / "a.yaml")
    async with app.run_test(size=SIZE) as pilot:
        await start(pilot)
        await pilot.press("ctrl+r")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, results_module.ResultsScreen)
        assert "not available" in str(screen.query_one("#export-unavailable", Static).render())
        screen.export("md")
        await pilot.pause()
        assert not list(tmp_path.glob("a.md"))


# --- one frame per answer -------------------------------------------------------------------


@sync
async def test_an_answer_and_its_recommendation_share_a_frame(small: Any, tmp_path: Path) -> None:
    """The frame that shows the chosen radio button also shows the recommendation it leads to.

    Each frame Textual hands to the terminal is recorded with what was drawn in it; a frame
    with the button but without the panel would make the panel wait for the next frame (17 to
    33 ms later), over the 16 ms budget for an answer.
    """
    from advisor.tui.widgets.controls import AnswerRadioButton

    app = make_app(small, tmp_path / "a.yaml")
    async with app.run_test(size=SIZE) as pilot:
        screen = await start(pilot)
        field = await screen.show_question("org.hq_region")
        await pilot.pause()
        drawn: list[str] = []
        frames: list[list[str]] = []
        button_line = AnswerRadioButton.render_line
        panel_line = LivePanel.render_line

        def record_frame(screen_: Any, update: Any) -> None:
            if update is not None:
                frames.append(drawn.copy())
                drawn.clear()

        # named like the methods they stand in for (self, y), so they are the same callable type
        def record_button(self: AnswerRadioButton, y: int) -> Strip:
            drawn.append("button")
            return button_line(self, y)

        def record_panel(self: LivePanel, y: int) -> Strip:
            drawn.append("panel")
            return panel_line(self, y)

        async def answer_four_times() -> None:
            # eu, us, eu, us: the EU rule fires and stops, so each answer moves the panel.
            for move in (None, "down", "up", "down"):
                if move:
                    await pilot.press(move)
                await pilot.pause(0.05)
                frames.clear()
                before = screen.query_one(LivePanel).decision
                await pilot.press("space")
                await pilot.pause(0.05)
                assert screen.query_one(LivePanel).decision is not before
                first = next(f for f in frames if "button" in f)
                assert "panel" in first, frames

        AnswerRadioButton.render_line = record_button  # type: ignore[method-assign]
        LivePanel.render_line = record_panel  # type: ignore[method-assign]
        try:
            with watching_frames(app, record_frame):
                await answer_four_times()
        finally:
            AnswerRadioButton.render_line = button_line  # type: ignore[method-assign]
            LivePanel.render_line = panel_line  # type: ignore[method-assign]
        assert field.value == "us"


@sync
async def test_radio_buttons_stay_one_pressed_and_the_keys_follow_a_click(
    small: Any, tmp_path: Path
) -> None:
    """The radio button does its set's bookkeeping itself (for speed): check what that owes."""
    app = make_app(small, tmp_path / "a.yaml")
    async with app.run_test(size=SIZE) as pilot:
        screen = await start(pilot)
        field = screen.field("org.hq_region")
        radio = field.control
        assert isinstance(radio, RadioSet)
        buttons = list(radio.query(RadioButton))
        await pilot.click(buttons[1])
        await pilot.pause()
        assert field.value == "us"
        assert [b.value for b in buttons] == [False, True, False]
        assert radio.pressed_index == 1
        # The keyboard carries on from the clicked option: down, then space, chooses the next.
        await pilot.press("down", "space")
        await pilot.pause()
        assert field.value == "other" and radio.pressed_index == 2
        assert [b.value for b in buttons] == [False, False, True]
        assert buttons[2].has_class("-selected")
        # Enter chooses too, and clicking the pressed button keeps it pressed.
        await pilot.press("up", "enter")
        await pilot.pause()
        assert field.value == "us"
        await pilot.click(buttons[1])
        await pilot.pause()
        assert field.value == "us" and buttons[1].value and radio.pressed_index == 1


@sync
async def test_quitting_right_after_an_answer_keeps_it(small: Any, tmp_path: Path) -> None:
    """The write runs in a worker thread; quitting before it ends must neither lose the answer
    nor trip over the screen being taken down."""
    path = tmp_path / "a.yaml"
    app = make_app(small, path)
    async with app.run_test(size=SIZE) as pilot:
        screen = await start(pilot)
        await screen.show_question("org.hq_region")
        await pilot.press("down", "space", "ctrl+q")
        await pilot.pause()
    assert app.return_code == 0
    assert saved(path)["org.hq_region"] == "us"
    assert no_temp_files(tmp_path)


@sync
async def test_typing_lays_nothing_out_and_long_text_still_scrolls(
    small: Any, tmp_path: Path
) -> None:
    """A keystroke in a box repaints the box and what the answer changes; it does not lay the
    screen out again (Textual's Input asks for that on every key; the questionnaire's boxes
    opt out). A text longer than its box still scrolls to keep the cursor in view. (The first
    key of an answer may re-lay the help panel, whose text says the question is answered.)"""

    path = tmp_path / "a.yaml"
    app = make_app(small, path)
    async with app.run_test(size=SIZE) as pilot:
        screen = await start(pilot)
        field = await screen.show_question("usage.monthly_input_tokens")
        await pilot.press("2")
        await pilot.pause(0.05)
        with counting_layouts() as layouts:
            for key in "5000":
                await pilot.press(key)
                await pilot.pause(0.03)
        assert field.value == 25000 and layouts == []

        name = await screen.show_question("org.name")
        box = name.control
        assert isinstance(box, Input)
        text = "The Extremely Long Name of an Organisation That Goes On and On Ltd"
        assert len(text) > box.content_size.width
        await pilot.press(*text)
        await pilot.pause()
        assert box.value == text
        assert box.scroll_offset.x > 0  # scrolled to the end, where the cursor is
        assert "Ltd" in box.render_line(0).text
        await pilot.press("enter")
        await settle(pilot)
    assert saved(path)["org.name"] == text


@sync
async def test_kept_radio_button_lines_match_fresh_ones(small: Any, tmp_path: Path) -> None:
    """Radio buttons keep their drawn lines by state; whatever the state, a kept line must be
    the line Textual would draw afresh (pressed, released, highlighted, focused or not)."""
    from textual.widgets import RadioButton

    app = make_app(small, tmp_path / "a.yaml")
    async with app.run_test(size=SIZE) as pilot:
        screen = await start(pilot)
        field = await screen.show_question("org.hq_region")
        buttons = list(field.control.query(RadioButton))
        for keys in (("space",), ("down", "space"), ("down",), ("up", "up", "space"), ("tab",)):
            await pilot.press(*keys)
            await pilot.pause()
            for button in buttons:
                kept = button.render_line(0)
                button.refresh()  # forget Textual's own drawing, then draw afresh
                fresh = RadioButton.render_line(button, 0)
                assert kept == fresh, (keys, button.label, kept.text, fresh.text)
