"""The rebuild's link rules on hand-built activity with known answers (no I/O)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from walltrack.adapters.intel.cluster_links import (
    LinkRules,
    Transfer,
    WalletActivity,
    early_tokens,
    funding_hubs,
    select_evidence,
)
from walltrack.adapters.intel.cluster_rebuild import compute_clusters
from walltrack.domain.clustering import FirstBuy, pair
from walltrack.domain.params import default_params

T0 = datetime(2026, 11, 22, 12, tzinfo=UTC)
SOL = 1_000_000_000
PARAMS = default_params().clusters
RULES = LinkRules()


def buys(wallet: str, delays_s: list[float], tokens: int = 6) -> tuple[FirstBuy, ...]:
    """`wallet` buys tokens t0..tN, each `delays_s[i % len]` after that token's launch."""
    return tuple(
        FirstBuy(
            wallet=wallet,
            token_mint=f"mint{i}",
            at=T0 + timedelta(hours=i, seconds=delays_s[i % len(delays_s)]),
        )
        for i in range(tokens)
    )


def funded(wallet: str, funder: str, sol: float, n: int = 0) -> Transfer:
    return Transfer(
        source=funder,
        destination=wallet,
        lamports=int(sol * SOL),
        at=T0 - timedelta(minutes=30 - n),
        signature=f"sig-{funder}-{wallet}",
    )


def test_a_copy_group_funded_by_one_wallet_is_one_cluster_led_by_its_leader() -> None:
    lead = WalletActivity(
        wallet="lead", buys=buys("lead", [10.0]), funded_by=(funded("lead", "F", 8),)
    )
    copy1 = WalletActivity(
        wallet="copy1", buys=buys("copy1", [15.0, 22.0]), funded_by=(funded("copy1", "F", 6, 1),)
    )
    copy2 = WalletActivity(
        wallet="copy2", buys=buys("copy2", [19.0, 12.0]), funded_by=(funded("copy2", "F", 6, 2),)
    )
    _, clusters = compute_clusters(
        [lead, copy1, copy2],
        hubs=frozenset(),
        params=PARAMS,
        rules=RULES,
        win_rates=lambda members: dict.fromkeys(members, 0.8),
    )
    assert len(clusters) == 1
    assert clusters[0].members == frozenset({"lead", "copy1", "copy2"})  # the funder never traded
    assert clusters[0].leader == "lead"  # it bought first in every synced pair
    assert clusters[0].cohesion == 1.0


def test_independent_good_traders_on_the_same_runners_stay_apart() -> None:
    # three wallets buy the same six tokens 40..240 s after launch, each on its own clock,
    # all funded by one exchange paying many other wallets
    exchange_pays = [
        funded(f"retail{i}", "EXCH", 2, i) for i in range(RULES.max_siblings_per_funder + 1)
    ]
    traders = [
        WalletActivity(
            wallet=f"smart{k}",
            buys=buys(f"smart{k}", delays),
            funded_by=(funded(f"smart{k}", "EXCH", 50, k),),
        )
        for k, delays in enumerate([[40.0, 200.0], [130.0, 60.0], [240.0, 110.0]])
    ]
    hubs = funding_hubs(
        {"EXCH": frozenset(t.destination for t in exchange_pays) | {"smart0", "smart1", "smart2"}},
        RULES,
    )
    assert hubs == {"EXCH"}
    evidence = select_evidence(traders, hubs=hubs, launches={}, params=PARAMS, rules=RULES)
    assert evidence.synced_pairs == 3  # they did buy within 300 s of each other ...
    assert evidence.member_synced == ()  # ... but never copy each other
    assert evidence.other_links == ()  # the exchange makes nobody siblings
    assert len(evidence.funding) == 3  # the FUNDED_BY edges themselves are kept for the graph
    _, clusters = compute_clusters(traders, hubs=hubs, params=PARAMS, rules=RULES)
    assert clusters == ()


def test_a_funder_that_traded_is_a_member_and_links_directly() -> None:
    dev = WalletActivity(wallet="dev", buys=buys("dev", [0.0]))
    insiders = [
        WalletActivity(
            wallet=f"ins{i}",
            buys=buys(f"ins{i}", [1.0 + i]),
            funded_by=(funded(f"ins{i}", "dev", 3, i),),
        )
        for i in range(3)
    ]
    evidence, clusters = compute_clusters(
        [dev, *insiders], hubs=frozenset(), params=PARAMS, rules=RULES
    )
    assert {(f.funded, f.funder) for f in evidence.member_funding} == {
        (f"ins{i}", "dev") for i in range(3)
    }
    assert pair("ins0", "ins1") in evidence.other_links  # siblings of one funder
    assert len(clusters) == 1
    assert clusters[0].members == {"dev", "ins0", "ins1", "ins2"}
    assert clusters[0].leader == "dev"


def test_small_transfers_do_not_fund() -> None:
    a = WalletActivity(wallet="a", buys=buys("a", [10.0]), funded_by=(funded("a", "F", 0.05),))
    evidence = select_evidence([a], hubs=frozenset(), launches={}, params=PARAMS, rules=RULES)
    assert evidence.funding == ()


def test_early_tokens_use_the_launch_or_the_first_buy_seen() -> None:
    first = FirstBuy(wallet="a", token_mint="m", at=T0)
    late = FirstBuy(wallet="b", token_mint="m", at=T0 + timedelta(minutes=31))
    found = early_tokens([first, late], {}, RULES.early_window_s)
    assert found == {"a": frozenset({"m"})}
    launched_before = early_tokens(
        [first, late], {"m": T0 - timedelta(hours=1)}, RULES.early_window_s
    )
    assert launched_before == {}


def test_snipers_racing_every_launch_are_not_a_cluster_when_the_launch_is_known() -> None:
    snipers = [
        WalletActivity(wallet=f"sniper{k}", buys=buys(f"sniper{k}", [0.5 + k * 0.4]))
        for k in range(3)
    ]
    launches = {f"mint{i}": T0 + timedelta(hours=i) for i in range(6)}
    _, racing = compute_clusters(
        snipers, hubs=frozenset(), params=PARAMS, rules=RULES, launches=launches
    )
    assert racing == ()
    _, unknown = compute_clusters(snipers, hubs=frozenset(), params=PARAMS, rules=RULES)
    assert len(unknown) == 1  # without the launch, the same buys look like a copy ring
