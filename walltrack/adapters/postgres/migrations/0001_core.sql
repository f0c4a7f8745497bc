-- 0001: shared trigger functions, tokens and wallets.
-- Runs with search_path set to the mode's schema (walltrack_paper, walltrack_live,
-- walltrack_backtest_<run>), so every object below lives in that schema only.

CREATE FUNCTION set_updated_at() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.updated_at := now();
    RETURN NEW;
END;
$$;

CREATE TABLE tokens (
    mint                      text PRIMARY KEY,
    symbol                    text,
    name                      text,
    decimals                  smallint NOT NULL DEFAULT 6 CHECK (decimals BETWEEN 0 AND 18),
    source                    text NOT NULL DEFAULT 'manual',
    launched_at               timestamptz,
    discovered_at             timestamptz NOT NULL,
    price_usd                 numeric,
    price_sol                 numeric,
    liquidity_usd             numeric CHECK (liquidity_usd >= 0),
    market_cap_usd            numeric CHECK (market_cap_usd >= 0),
    volume_24h_usd            numeric CHECK (volume_24h_usd >= 0),
    holder_count              integer CHECK (holder_count >= 0),
    top10_share               double precision CHECK (top10_share BETWEEN 0 AND 1),
    pair_count                integer CHECK (pair_count >= 0),
    mint_authority_revoked    boolean,
    freeze_authority_revoked  boolean,
    safety_checked_at         timestamptz,
    refresh_hours             smallint NOT NULL DEFAULT 4 CHECK (refresh_hours IN (1, 2, 4, 8)),
    next_refresh_at           timestamptz,
    extra                     jsonb NOT NULL DEFAULT '{}',
    created_at                timestamptz NOT NULL DEFAULT now(),
    updated_at                timestamptz NOT NULL DEFAULT now()
);
CREATE TRIGGER tokens_updated_at BEFORE UPDATE ON tokens
    FOR EACH ROW EXECUTE FUNCTION set_updated_at();
-- surveillance loop: which tokens are due for a refresh
CREATE INDEX tokens_next_refresh_idx ON tokens (next_refresh_at);
CREATE INDEX tokens_discovered_idx ON tokens (discovered_at DESC);

CREATE TABLE wallets (
    address                 text PRIMARY KEY,
    status                  text NOT NULL DEFAULT 'discovered' CONSTRAINT wallets_status_check
        CHECK (status IN ('discovered', 'profiled', 'watchlisted', 'ignored', 'flagged',
                          'removed', 'blacklisted')),
    status_reason           text,
    status_changed_at       timestamptz NOT NULL,
    discovered_at           timestamptz NOT NULL,
    discovered_from_token   text,
    -- profile metrics (PnL in lamports: SOL, never token units)
    trade_count             integer NOT NULL DEFAULT 0 CHECK (trade_count >= 0),
    win_rate                double precision NOT NULL DEFAULT 0 CHECK (win_rate BETWEEN 0 AND 1),
    total_pnl_lamports      bigint NOT NULL DEFAULT 0,
    avg_pnl_lamports        bigint NOT NULL DEFAULT 0,
    timing_percentile       double precision CHECK (timing_percentile BETWEEN 0 AND 1),
    avg_hold_seconds        double precision CHECK (avg_hold_seconds >= 0),
    consistency             double precision,
    preferred_hours         smallint[] NOT NULL DEFAULT '{}',
    avg_buy_lamports        bigint NOT NULL DEFAULT 0 CHECK (avg_buy_lamports >= 0),
    buy_size                text CHECK (buy_size IN ('small', 'medium', 'large')),
    confidence              text NOT NULL DEFAULT 'insufficient'
        CHECK (confidence IN ('high', 'medium', 'low', 'insufficient')),
    copy_pnl_lamports       bigint,
    is_flash_flipper        boolean NOT NULL DEFAULT false,
    is_bot                  boolean NOT NULL DEFAULT false,
    score                   double precision NOT NULL DEFAULT 0.3 CHECK (score BETWEEN 0 AND 1),
    decay_status            text NOT NULL DEFAULT 'ok'
        CHECK (decay_status IN ('ok', 'flagged', 'downgraded', 'recovered', 'dormant')),
    decay_score             double precision NOT NULL DEFAULT 0,
    consecutive_losses      integer NOT NULL DEFAULT 0 CHECK (consecutive_losses >= 0),
    metrics                 jsonb,
    profiled_at             timestamptz,
    last_activity_at        timestamptz,
    created_at              timestamptz NOT NULL DEFAULT now(),
    updated_at              timestamptz NOT NULL DEFAULT now()
);
CREATE TRIGGER wallets_updated_at BEFORE UPDATE ON wallets
    FOR EACH ROW EXECUTE FUNCTION set_updated_at();
-- wallet lists by lifecycle stage (watchlist, profiling queue), best first
CREATE INDEX wallets_status_score_idx ON wallets (status, score DESC);
-- decay job: watched wallets by last activity
CREATE INDEX wallets_last_activity_idx ON wallets (last_activity_at)
    WHERE status IN ('watchlisted', 'flagged');
