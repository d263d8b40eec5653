"""A model-based test of the app: random sequences of what people do, invariants checked after every step.

The model is a ViewState kept beside the app, and what the page load has drawn so far (ui/progressive.py: the
filters once the map frame says it has drawn, the panels below the map once they are scrolled to or a tab is picked;
the frame's signals are steps too, in any order with what people do). After each step: no exception; the app's view
equals the model (so a language switch changes nothing but the language); what is drawn equals the model; the
numbers shown equal geo/ for that view; the URL reproduces the view. ``ATLAS_MODEL_STEPS`` and ``ATLAS_MODEL_EXAMPLES`` make a longer run (CI runs a short one
with a fixed seed).
"""

from __future__ import annotations

import os

import hypothesis.strategies as hs
import pytest
from apptest_helpers import (
    map_signals,
    open_tab,
    pick_row,
    selected_count,
    start,
    switch_language,
    view,
    widget,
)
from hypothesis import HealthCheck, seed, settings
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, precondition, rule

from geo.analysis.filters import apply_filters
from geo.analysis.proximity import proximity, query_features
from geo.analysis.stats import count_by_board
from geo.analysis.viewstate import NEAR_MODES, TABS, ViewState, Vocabulary, parse_query
from geo.atlas import load_atlas
from geo.core.domain import LAYER_NAMES

pytestmark = pytest.mark.slow

DATA = load_atlas()
SECTORS = sorted(s["sector"] for s in DATA.sectors)
COUNTIES = sorted(DATA.counties["adcode"])
BOXES = sorted(int(b["box"]) for b in DATA.boxes if b["kind"] == "project")
VOCAB = Vocabulary(
    sectors=frozenset(SECTORS),
    boxes=frozenset(BOXES),
    counties=frozenset(COUNTIES),
    projects=frozenset(DATA.projects["id"]),
    features=frozenset(DATA.transport_frame["id"]),
)
STEPS = int(os.environ.get("ATLAS_MODEL_STEPS", "15"))
EXAMPLES = int(os.environ.get("ATLAS_MODEL_EXAMPLES", "20"))
SEED = int(os.environ.get("ATLAS_MODEL_SEED", "20261203"))
LOG = os.environ.get("ATLAS_MODEL_LOG")  # a file: one line per run with the number of steps it took


def subset(values, max_size=2):
    return hs.lists(hs.sampled_from(values), max_size=max_size, unique=True)


def expected_selection(state: ViewState):
    chosen = apply_filters(DATA.projects, state)
    if not state.near:
        return chosen
    result = proximity(chosen, query_features(DATA.transport_frame, state.near), state.near_km)
    return chosen.loc[result.listing.index]


class AtlasMachine(RuleBasedStateMachine):
    """One browser session: the app under test and the model of what its view must be."""

    @initialize()
    def open_the_app(self):
        self._open(start(drawn=False))

    def _open(self, at) -> None:
        """A page load: nothing below the map and no filters yet; the map frame has sent nothing."""
        self.at = at
        self.model = view(self.at)
        self.sent: dict[str, bool] = {}  # what the map frame has posted (its component value)
        self.filters = self.panels = self.model.mode == "present"  # presentation mode is drawn whole

    def _signal(self, what: str) -> None:
        self.sent[what] = True
        map_signals(self.at, **self.sent)
        self.filters = True
        self.panels = self.panels or what == "below"

    @precondition(lambda self: self.model.mode == "atlas" and not self.filters)
    @rule()
    def the_map_frame_says_it_has_drawn(self):
        self._signal("drawn")

    @precondition(lambda self: self.model.mode == "atlas" and not self.panels)
    @rule()
    def the_person_scrolls_to_the_panels(self):
        self._signal("below")

    @precondition(lambda self: self.model.mode == "atlas" and not self.panels)
    @rule()
    def the_person_presses_show_now(self):
        self.at.button(key="btn_panels").click().run()
        self.filters = self.panels = True

    def _app_view(self) -> ViewState:
        return view(self.at).with_(extent=None)

    @rule(lang=hs.sampled_from(["zh", "en"]))  # the language switch is there from the first run
    def switch_language(self, lang):
        if self.model.mode == "present":
            return
        switch_language(self.at, lang, drawn=False)
        if lang != self.model.lang and self.filters:  # the map first: the new map frame has sent nothing yet
            self.filters, self.sent = False, {}
        self.model = self.model.with_(lang=lang)

    @precondition(lambda self: self.filters)
    @rule(
        field=hs.sampled_from(["sectors", "counties", "precisions", "boards", "boxes"]),
        data=hs.data(),
    )
    def set_filter(self, field, data):
        if self.model.mode == "present":
            return
        values = {
            "sectors": SECTORS,
            "counties": COUNTIES,
            "precisions": [1, 2, 3, 4, 5],
            "boards": ["north", "west", "central", "south", "none"],
            "boxes": BOXES,
        }[field]
        chosen = data.draw(subset(values))
        widget(self.at, field).set_value(chosen).run()
        self.model = self.model.with_(**{field: tuple(chosen)})

    @precondition(lambda self: self.filters)
    @rule(q=hs.sampled_from(["", "北大湖", "碳纤维", "Beidahu", "<b>x</b>", "zzz-nothing", "'\"&;"]))
    def search(self, q):
        if self.model.mode == "present":
            return
        widget(self.at, "q").set_value(q).run()
        self.model = self.model.with_(q=q.strip())

    @precondition(lambda self: self.filters)
    @rule(layers=subset(list(LAYER_NAMES), max_size=4))
    def choose_layers(self, layers):
        if self.model.mode == "present":
            return
        widget(self.at, "layers").set_value(layers).run()
        self.model = self.model.with_(layers=tuple(layers))

    @rule(tab=hs.sampled_from(list(TABS)))
    def choose_tab(self, tab):
        if self.model.mode == "present":
            return
        open_tab(self.at, tab)
        self.model = self.model.with_(tab=tab)
        # a tab picked before the panels are drawn draws them, and the filters with them; once the panels are
        # there, a pick changes only the tab (after a language switch the filters still wait for the new map)
        self.filters = self.filters or not self.panels
        self.panels = True

    @precondition(lambda self: self.model.mode == "atlas" and self.panels and self.model.tab == "stats")
    @rule(near=hs.sampled_from([None, *NEAR_MODES, "B32-01"]), km=hs.sampled_from([2.0, 10.0, 30.0]))
    def proximity_query(self, near, km):
        widget(self.at, "near").set_value(near or "").run()
        widget(self.at, "near_km").set_value(km).run()
        self.model = self.model.with_(near=near, near_km=km)

    @precondition(lambda self: self.model.mode == "atlas" and self.panels and self.model.tab == "table")
    @rule(data=hs.data())
    def pick_a_row(self, data):
        ids = list(expected_selection(self.model)["id"])
        if not ids:
            return
        row = data.draw(hs.integers(0, len(ids) - 1))
        pick_row(self.at, row)
        self.model = self.model.with_(project=ids[row])

    @precondition(lambda self: self.filters)  # the button is in the sidebar
    @rule()
    def present(self):
        if self.model.mode == "atlas":
            self.at.button(key="btn_present").click().run()
            self.model = self.model.with_(mode="present", step=0)

    @precondition(lambda self: self.model.mode == "present")
    @rule(action=hs.sampled_from(["next", "prev", "exit"]))
    def presentation_step(self, action):
        button = self.at.button(key=f"btn_{action}")
        if button.disabled:
            return
        button.click().run()
        if action == "exit":
            self.model = self.model.with_(mode="atlas", step=0)
            self.filters = self.panels = True
        else:
            self.model = self.model.with_(step=self.model.step + (1 if action == "next" else -1))

    @rule()
    def reload_the_shared_url(self):
        """A colleague opens the copied link in a fresh browser."""
        url = {k: (v[0] if isinstance(v, list) else v) for k, v in self.at.query_params.items()}
        self._open(start(url, drawn=False))
        assert not self.at.warning, [w.value for w in self.at.warning]

    def teardown(self):
        if LOG:
            with open(LOG, "a", encoding="utf-8") as out:
                out.write(f"{self.steps}\n")

    @invariant()
    def count_steps(self):
        self.steps = getattr(self, "steps", -1) + 1

    @invariant()
    def nothing_raised(self):
        assert not self.at.exception, [e.message for e in self.at.exception]

    @invariant()
    def the_view_is_the_model(self):
        assert self._app_view() == self.model

    @invariant()
    def what_is_drawn_is_the_model(self):
        if self.model.mode != "atlas":
            return
        assert bool(self.at.sidebar.multiselect) == self.filters
        assert (not [b for b in self.at.button if b.key == "btn_panels"]) == self.panels

    @invariant()
    def widgets_hold_codes(self):
        if self.model.mode == "atlas" and self.filters:
            assert tuple(widget(self.at, "layers").value) == self.model.layers
            assert tuple(widget(self.at, "sectors").value) == self.model.sectors

    @invariant()
    def numbers_equal_geo(self):
        if self.model.mode != "atlas":
            return
        selection = expected_selection(self.model)
        assert selected_count(self.at) == len(selection)
        if self.panels and self.model.tab == "stats":
            # the board table (the details panel, open after a pick, is a one-column st.table above it)
            table = next(t.value for t in self.at.table if t.value.shape[1] >= 2)
            shown = [int(v) for v in table.iloc[:, 1]]
            expected = count_by_board(selection).set_index("board")["overlapping"]
            want = [int(expected.get(b, 0)) for b in ("north", "west", "central", "south", "none")]
            assert shown == want

    @invariant()
    def the_url_reproduces_the_view(self):
        url = {k: (v[0] if isinstance(v, list) else v) for k, v in self.at.query_params.items()}
        parsed, notices = parse_query(url, VOCAB)
        assert not notices
        assert parsed.with_(extent=None) == self.model


AtlasMachine.TestCase.settings = settings(
    max_examples=EXAMPLES,
    stateful_step_count=STEPS,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    derandomize=False,
    database=None,
)
TestAtlasJourneys = seed(SEED)(AtlasMachine.TestCase)


@pytest.fixture(autouse=True)
def offline(monkeypatch):
    monkeypatch.setenv("ATLAS_OFFLINE", "1")
