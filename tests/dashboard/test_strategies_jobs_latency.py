"""In a real browser: a position's exit strategy changed from its sidebar (stored, used by
the exit watcher), an exit strategy edited in Config (refused with its reason, or
previewed, applied hot and in the history), the jobs' next run in the status bar, and the
pipeline's stage latencies on the System page."""

from __future__ import annotations

import re
import uuid
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from playwright.sync_api import Page, expect

from actors.names import EXIT_WATCHER, POSITIONS
from actors.trading_protocol import Inspect
from tests.dashboard.conftest import shot
from tests.dashboard.kit import LiveDashboard
from tests.dashboard.seed import SOLO
from walltrack.domain.messages.jobs import JobScheduled
from walltrack.domain.messages.trading import (
    ClosePosition,
    EntrySkipped,
    ExitStrategyChanged,
    ExitStrategyUpdated,
    PositionClosed,
    PositionOpened,
    PriceUpdated,
    UpdateExitStrategy,
)
from walltrack.domain.params.exit_presets import CONSERVATIVE
from walltrack.domain.records import SignalDecision
from walltrack.domain.records.trading import ExitReason

TIMEOUT_MS = 30_000
ASK_S = 20.0


def open_tab(page: Page, name: str) -> None:
    page.locator(".bk-tab").filter(has_text=re.compile(f"^{name}$")).first.click()


def _ask(live: LiveDashboard, name: str) -> Any:
    return live.runtime.services.registry.ask(name, Inspect(), timeout=ASK_S)


def _opened(live: LiveDashboard, mint: str) -> PositionOpened:
    """A tracked wallet of no cluster buys `mint`; the position the tree opened for it."""
    signal = live.buy(SOLO, mint)
    assert signal.decision is SignalDecision.TRADE, signal

    def ours(event: object) -> bool:
        kinds = (PositionOpened, EntrySkipped)
        return isinstance(event, kinds) and event.signal_id == signal.signal_id

    outcome = live.events.wait_until(object, ours)
    assert isinstance(outcome, PositionOpened), outcome
    return outcome


def _price(live: LiveDashboard, mint: str, price: Decimal) -> None:
    """A price update for the watcher (as the feed would send it), handled before we go on."""
    now = datetime.now(UTC)
    update = PriceUpdated(
        correlation_id=uuid.uuid4(),
        ts_event=now,
        ts_init=now,
        token_mint=mint,
        price=price,
        source="test",
    )
    live.runtime.services.registry.tell(EXIT_WATCHER, update)
    _ask(live, EXIT_WATCHER)  # asked after the tell: the price was handled


def test_a_positions_strategy_changed_from_its_sidebar_is_stored_and_watched(
    page: Page, live: LiveDashboard
) -> None:
    mint = live.seeded.tokens["EXIT"]
    opened = _opened(live, mint)
    assert opened.strategy.name != "quick_flip"  # every other strategy holds at 1.6x
    pid = opened.position_id

    _price(live, mint, opened.entry_price * Decimal("1.6"))
    state = _ask(live, EXIT_WATCHER)["states"][pid]
    assert state.pending is None  # the old strategy decided nothing at 1.6x

    row = page.locator(".wt-positions .tabulator-row", has_text="EXIT")
    row.click()
    expect(page.locator(".wt-detail")).to_contain_text(opened.strategy.name, timeout=TIMEOUT_MS)
    page.locator(".wt-strategy-select select").select_option(opened.strategy.name)
    page.locator(".wt-btn-strategy button").click()
    page.locator(".wt-confirm-strategy button").click()
    expect(page.locator(".wt-outcome-strategy")).to_contain_text("already follows")

    page.locator(".wt-strategy-select select").select_option("quick_flip")
    page.locator(".wt-btn-strategy button").click()
    assert _ask(live, POSITIONS)["holdings"][str(pid)].strategy.name == opened.strategy.name
    page.locator(".wt-confirm-strategy button").click()
    expect(page.locator(".wt-outcome-strategy")).to_contain_text("quick_flip sent")
    changed = live.events.wait_until(ExitStrategyChanged, lambda e: e.position_id == pid)
    assert changed.strategy.name == "quick_flip"
    stored = live.stores().positions.get(pid)
    assert stored is not None
    assert stored.exit_strategy == "quick_flip"
    expect(row).to_contain_text("quick_flip", timeout=TIMEOUT_MS)
    shot(page, "strategy-changed")

    state = _ask(live, EXIT_WATCHER)["states"][pid]
    assert state.strategy.name == "quick_flip"
    _price(live, mint, opened.entry_price * Decimal("1.6"))  # quick flip takes profit at 1.5x
    closed = live.events.wait_until(PositionClosed, lambda e: e.position_id == pid)
    assert closed.exit_reason is ExitReason.TAKE_PROFIT


def _edit_strategy(page: Page, name: str, definition: str) -> None:
    page.locator(".wt-strategy-choice select").select_option(name)
    expect(page.locator(".wt-strategy-definition textarea")).to_have_value(
        re.compile(f'"name": "{name}"'), timeout=TIMEOUT_MS
    )
    page.locator(".wt-strategy-definition textarea").fill(definition)
    page.locator(".wt-strategy-preview button").click()


def test_an_exit_strategy_edit_is_refused_or_previewed_applied_hot_and_kept_in_history(
    page: Page, live: LiveDashboard
) -> None:
    strategies = live.stores().exit_strategies
    before = strategies.get("conservative")
    assert before is not None
    open_tab(page, "Config")
    decreasing = (
        '{"name": "conservative", "take_profits": [{"multiplier": "3", "sell_fraction": "0.5"},'
        ' {"multiplier": "2", "sell_fraction": "1"}], "stop_loss": "0.5", "max_hold_hours": 72}'
    )
    _edit_strategy(page, "conservative", decreasing)
    outcome = page.locator(".wt-strategy-outcome")
    expect(outcome).to_contain_text("multipliers must be strictly increasing", timeout=TIMEOUT_MS)
    expect(page.locator(".wt-strategy-apply button")).to_be_disabled()
    assert strategies.get("conservative") == before  # nothing written

    valid = decreasing.replace(
        '"3", "sell_fraction": "0.5"}, {"multiplier": "2"',
        '"2", "sell_fraction": "0.5"}, {"multiplier": "3"',
    )
    valid = valid.replace('"stop_loss": "0.5"', '"stop_loss": "0.4"')
    updates = len(live.events.of(ExitStrategyUpdated))
    try:
        _edit_strategy(page, "conservative", valid)
        expect(outcome).to_contain_text("Will change", timeout=TIMEOUT_MS)
        expect(outcome).to_contain_text('"0.5" → "0.4"')
        assert strategies.get("conservative") == before  # a preview writes nothing
        page.locator(".wt-strategy-apply button").click()
        expect(outcome).to_contain_text("Applied strategy", timeout=TIMEOUT_MS)
        updated = live.events.wait_next(ExitStrategyUpdated, updates)
        assert updated.strategy.stop_loss == Decimal("0.4")
        stored = strategies.get("conservative")
        assert stored is not None
        assert stored.strategy.stop_loss == Decimal("0.4")
        in_force = _ask(live, POSITIONS)["strategies"]["conservative"]
        assert in_force.stop_loss == Decimal("0.4")  # the position actor has it, hot
        history = page.locator(".wt-config-history")
        expect(history).to_contain_text("exit_strategies.conservative", timeout=TIMEOUT_MS)
        shot(page, "strategy-edited")
    finally:
        strategies.save(CONSERVATIVE)
        live.runtime.control(
            UpdateExitStrategy(
                correlation_id=uuid.uuid4(),
                ts_event=datetime.now(UTC),
                ts_init=datetime.now(UTC),
                strategy=CONSERVATIVE,
                requested_by="test",
            )
        )


def test_the_status_bar_shows_a_jobs_next_run(page: Page, live: LiveDashboard) -> None:
    scheduled = live.events.wait_until(JobScheduled, lambda e: e.job == "decay")
    assert scheduled.interval_s == 3600.0  # decay.check_every_hours of the stored config
    chip = page.locator(".wt-job", has_text="decay")
    expect(chip).to_contain_text(f"next run {scheduled.next_run_at:%H:%M:%S}", timeout=TIMEOUT_MS)
    expect(chip).to_contain_text("last run")
    shot(page, "status-next-run")


def test_the_system_page_shows_each_pipeline_stage(page: Page, live: LiveDashboard) -> None:
    opened = _opened(live, live.seeded.tokens["SYS"])
    open_tab(page, "System")
    table = page.locator(".wt-latencies")
    for stage in ("swap_to_scored", "scored_to_order", "order_to_fill", "signal_to_open"):
        row = table.locator(".tabulator-row", has_text=stage)
        # stage, samples >= 1, then three percentiles in ms
        expect(row).to_have_text(
            re.compile(rf"{stage}\s*[1-9]\d*\s*[\d.]+\s*[\d.]+\s*[\d.]+"), timeout=TIMEOUT_MS
        )
    table.scroll_into_view_if_needed()  # the page scrolls inside its own container
    shot(page, "system-latencies")
    now = datetime.now(UTC)
    live.runtime.control(  # the session's other tests find a free slot for their entries
        ClosePosition(
            correlation_id=uuid.uuid4(),
            ts_event=now,
            ts_init=now,
            position_id=opened.position_id,
            reason=ExitReason.MANUAL,
            requested_by="test",
        )
    )
    live.events.wait_until(PositionClosed, lambda e: e.position_id == opened.position_id)
