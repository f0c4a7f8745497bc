"""The risk rules by name; `risk.enabled_rules` picks which ones run."""

from __future__ import annotations

from collections.abc import Mapping

from walltrack.domain.params.risk import RiskParams
from walltrack.domain.risk.base import RiskRule
from walltrack.domain.risk.consecutive_losses import ConsecutiveLossesRule
from walltrack.domain.risk.daily_loss import DailyLossRule
from walltrack.domain.risk.drawdown import DrawdownRule
from walltrack.domain.risk.max_positions import MaxPositionsRule
from walltrack.domain.risk.signal_silence import SignalSilenceRule
from walltrack.domain.risk.win_rate import WinRateRule

RULES: Mapping[str, RiskRule] = {
    rule.name: rule
    for rule in (
        DrawdownRule(),
        ConsecutiveLossesRule(),
        WinRateRule(),
        DailyLossRule(),
        MaxPositionsRule(),
        SignalSilenceRule(),
    )
}
"""Every known rule; its key is the name the parameters enable it by."""


def enabled_rules(
    params: RiskParams, registry: Mapping[str, RiskRule] = RULES
) -> tuple[RiskRule, ...]:
    """The rules `params.enabled_rules` names, in that order (unknown names are skipped:
    the parameters' own validation already refuses them)."""
    return tuple(registry[name] for name in params.enabled_rules if name in registry)
