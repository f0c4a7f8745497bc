"""Which observed evidence links two wallets of a cluster: the rebuild's selection rules.

Why rules on top of the domain's link definitions: applied to every pair, the reference
links (a shared funder, two buys of one token within 300 s, Jaccard >= 0.2 of early-token
sets) join all good traders into one group, because good traders all buy the same runners
early and exchanges fund thousands of wallets. Measured on the simulator (seed 1, 4 h):
  - a funder with more recipients than `max_siblings_per_funder` is a hub (an exchange):
    its FUNDED_BY edges are kept in the graph but link nobody;
  - wallets funded by the same non-hub funder are linked (siblings);
  - buys in the launch race (within `launch_race_s` = 5 s of the token's launch, when the
    launch is known, e.g. from wallet discovery's scan) are not synced evidence: snipers
    and a dev's insiders all buy at the launch instant, on every launch, which is racing,
    not copying (insider rings are linked by their funding);
  - synced buys link a pair only when they repeat: >= 3 tokens, on >= 60 % of the tokens
    the less active of the two bought, with a mean correlation >= 0.93 (a copy within
    ~20 s). Independent good traders share runners but not the seconds;
  - co-occurrence (Jaccard >= 0.2, >= 2 shared early tokens) links a pair only when
    synced buys with the same mean correlation back it, on >= 3 tokens and >= 50 % of the
    less active wallet's tokens (a good trader that happens to buy 3 of 40 tokens within
    30 s of a cluster's leader stays out).
Only wallets that traded can be members; a funder that never bought links its siblings
but stays outside the cluster. Pure: no I/O, `now` is never read.
"""

from __future__ import annotations

import itertools
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

from walltrack.domain.clustering import (
    FirstBuy,
    FundingLink,
    Pair,
    SyncedBuy,
    cooccurrence,
    funding_link,
    pair,
)
from walltrack.domain.params.clusters import ClusterParams


@dataclass(frozen=True, slots=True, kw_only=True)
class Transfer:
    """A plain SOL transfer (Helius type TRANSFER) between two wallets."""

    source: str
    destination: str
    lamports: int
    at: datetime
    signature: str


@dataclass(frozen=True, slots=True, kw_only=True)
class WalletActivity:
    """What the rebuild knows of one wallet: its first buys and its funding transfers."""

    wallet: str
    buys: tuple[FirstBuy, ...] = ()  # one per token, the earliest
    funded_by: tuple[Transfer, ...] = ()  # incoming plain SOL transfers
    funded: tuple[Transfer, ...] = ()  # outgoing plain SOL transfers


@dataclass(frozen=True, slots=True, kw_only=True)
class LinkRules:
    """The selection thresholds above and the network expansion caps."""

    max_siblings_per_funder: int = 20
    max_network_size: int = 400
    synced_min_tokens: int = 3
    synced_min_share: float = 0.6
    synced_min_mean_correlation: float = 0.93
    cooccurrence_min_synced: int = 3
    cooccurrence_min_share: float = 0.5
    early_window_s: float = 1800.0
    launch_race_s: float = 5.0


@dataclass(frozen=True, slots=True, kw_only=True)
class ClusterEvidence:
    """The links the rebuild found, for the graph and for cluster detection."""

    funding: tuple[FundingLink, ...]  # every qualifying transfer (graph FUNDED_BY)
    synced_pairs: int  # pairs of traders that bought one token within the window at least once
    stored_synced: tuple[SyncedBuy, ...]  # of copy-like pairs, >= 2 tokens (graph SYNCED_BUY)
    member_funding: tuple[FundingLink, ...]  # non-hub funding between traders
    member_synced: tuple[SyncedBuy, ...]  # synced buys of the pairs that pass the rules
    other_links: tuple[Pair, ...]  # siblings of a non-hub funder, corroborated co-occurrence
    traders: frozenset[str]
    hubs: frozenset[str]


def first_buys(buys: Iterable[FirstBuy]) -> tuple[FirstBuy, ...]:
    """The earliest buy per (wallet, token), in the order first met."""
    earliest: dict[tuple[str, str], FirstBuy] = {}
    for buy in buys:
        key = (buy.wallet, buy.token_mint)
        known = earliest.get(key)
        if known is None or buy.at < known.at:
            earliest[key] = buy
    return tuple(earliest.values())


def launch_times(buys: Iterable[FirstBuy], launches: Mapping[str, datetime]) -> dict[str, datetime]:
    """Each token's launch: as given, else its earliest buy among `buys`."""
    start: dict[str, datetime] = dict(launches)
    for buy in buys:
        if buy.token_mint not in launches:
            known = start.get(buy.token_mint)
            start[buy.token_mint] = buy.at if known is None else min(known, buy.at)
    return start


def early_tokens(
    buys: Iterable[FirstBuy],
    launches: Mapping[str, datetime],
    window_s: float,
) -> dict[str, frozenset[str]]:
    """Per wallet, the tokens it first bought within `window_s` of their launch.

    A token with no known launch is dated by its earliest buy among `buys`.
    """
    buys = tuple(buys)
    start = launch_times(buys, launches)
    window = timedelta(seconds=window_s)
    found: defaultdict[str, set[str]] = defaultdict(set)
    for buy in buys:
        if buy.at - start[buy.token_mint] <= window:
            found[buy.wallet].add(buy.token_mint)
    return {wallet: frozenset(tokens) for wallet, tokens in found.items()}


def funding_hubs(recipients: Mapping[str, frozenset[str]], rules: LinkRules) -> frozenset[str]:
    """Funders that paid more wallets than a cluster funder does (exchanges, faucets)."""
    return frozenset(
        f for f, funded in recipients.items() if len(funded) > rules.max_siblings_per_funder
    )


def select_evidence(
    activities: Iterable[WalletActivity],
    *,
    hubs: frozenset[str],
    launches: Mapping[str, datetime],
    params: ClusterParams,
    rules: LinkRules,
) -> ClusterEvidence:
    """Every link of the rules above among the wallets of `activities`."""
    activities = tuple(activities)
    buys = first_buys(b for a in activities for b in a.buys)
    traders = frozenset(b.wallet for b in buys)
    funding = _funding_links(activities, params)
    useful = [f for f in funding if f.funder not in hubs]
    other = _sibling_pairs(useful, traders)
    race = timedelta(seconds=rules.launch_race_s)
    racing = {b for b in buys if b.token_mint in launches and b.at - launches[b.token_mint] <= race}
    by_pair = _synced_by_pair((b for b in buys if b not in racing), params)
    member_synced, corroborated, stored = _synced_links(buys, by_pair, params, rules)
    backed = {w for p in corroborated for w in p}
    early = early_tokens(
        (b for b in buys if b.wallet in backed),
        launch_times(buys, launches),
        rules.early_window_s,
    )
    for a, b in sorted(corroborated):
        if cooccurrence(early.get(a, frozenset()), early.get(b, frozenset()), params) is not None:
            other.add((a, b))
    return ClusterEvidence(
        funding=funding,
        synced_pairs=len(by_pair),
        stored_synced=stored,
        member_funding=tuple(f for f in useful if f.funder in traders and f.funded in traders),
        member_synced=member_synced,
        other_links=tuple(sorted(other)),
        traders=traders,
        hubs=hubs,
    )


def _funding_links(
    activities: Iterable[WalletActivity], params: ClusterParams
) -> tuple[FundingLink, ...]:
    """One FUNDED_BY link per funded/funder pair, from its earliest qualifying transfer."""
    transfers = {
        (t.signature, t.destination): t for a in activities for t in (*a.funded_by, *a.funded)
    }
    funding: dict[tuple[str, str], FundingLink] = {}
    for transfer in sorted(transfers.values(), key=lambda t: (t.at, t.signature)):
        link = funding_link(transfer.destination, transfer.source, transfer.lamports, params)
        if link is not None and (link.funded, link.funder) not in funding:
            funding[(link.funded, link.funder)] = link
    return tuple(funding.values())


def _sibling_pairs(funding: Iterable[FundingLink], traders: frozenset[str]) -> set[Pair]:
    """Pairs of traders paid by the same (non-hub) funder."""
    siblings: defaultdict[str, set[str]] = defaultdict(set)
    for link in funding:
        if link.funded in traders:
            siblings[link.funder].add(link.funded)
    pairs: set[Pair] = set()
    for funded in siblings.values():
        pairs.update(pair(a, b) for a, b in itertools.combinations(sorted(funded), 2))
    return pairs


type _Synced = tuple[str, str, str, float]  # later, earlier, token, delta_s


def _synced_by_pair(buys: Iterable[FirstBuy], params: ClusterParams) -> dict[Pair, list[_Synced]]:
    """Per pair, its synced buys (the domain's rule, as plain tuples: thousands of wallets
    make hundreds of thousands of them, and only a few pairs become links)."""
    by_token: defaultdict[str, list[tuple[float, str]]] = defaultdict(list)
    for buy in buys:
        by_token[buy.token_mint].append((buy.at.timestamp(), buy.wallet))
    window = float(params.synced_buy_window_s)
    found: defaultdict[Pair, list[_Synced]] = defaultdict(list)
    for token, entries in by_token.items():
        entries.sort()
        for i, (later_at, later) in enumerate(entries):
            for j in range(i - 1, -1, -1):
                earlier_at, earlier = entries[j]
                delta = later_at - earlier_at
                if delta > window:
                    break
                if earlier != later:
                    found[pair(later, earlier)].append((later, earlier, token, delta))
    return found


def _synced_links(
    buys: Iterable[FirstBuy],
    by_pair: Mapping[Pair, list[_Synced]],
    params: ClusterParams,
    rules: LinkRules,
) -> tuple[tuple[SyncedBuy, ...], set[Pair], tuple[SyncedBuy, ...]]:
    """Synced buys of the pairs that copy each other, the pairs that back co-occurrence,
    and the synced buys of every copy-like pair that met on more than one token."""
    tokens: defaultdict[str, int] = defaultdict(int)
    for buy in buys:
        tokens[buy.wallet] += 1
    window = float(params.synced_buy_window_s)
    kept: list[SyncedBuy] = []
    stored: list[SyncedBuy] = []
    corroborated: set[Pair] = set()
    for key, found in by_pair.items():
        if len(found) < 2:
            continue
        if 1.0 - sum(s[3] for s in found) / len(found) / window < rules.synced_min_mean_correlation:
            continue
        items = [
            SyncedBuy(later=a, earlier=b, token_mint=t, delta_s=d, correlation=1.0 - d / window)
            for a, b, t, d in found
        ]
        stored.extend(items)
        fewest = min(tokens[key[0]], tokens[key[1]])
        if len(found) >= rules.synced_min_tokens and len(found) >= rules.synced_min_share * fewest:
            kept.extend(items)
        if (
            len(found) >= rules.cooccurrence_min_synced
            and len(found) >= rules.cooccurrence_min_share * fewest
        ):
            corroborated.add(key)
    return tuple(kept), corroborated, tuple(stored)
