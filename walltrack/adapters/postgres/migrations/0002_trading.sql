-- 0002: signals, exit strategies, positions, orders, fills.
-- Money: lamports as bigint, raw token units as numeric(78,0) (u64 and beyond), prices as
-- numeric (SOL per token), never floats.

CREATE TABLE signals (
    signal_id         uuid PRIMARY KEY,
    correlation_id    uuid NOT NULL,
    wallet_address    text NOT NULL,
    token_mint        text NOT NULL,
    side              text NOT NULL CHECK (side IN ('buy', 'sell')),
    tx_signature      text,
    amount_lamports   bigint CHECK (amount_lamports >= 0),
    observed_at       timestamptz NOT NULL,
    scored_at         timestamptz NOT NULL,
    score             double precision NOT NULL CHECK (score BETWEEN 0 AND 1),
    wallet_factor     double precision NOT NULL,
    cluster_factor    double precision NOT NULL,
    token_factor      double precision NOT NULL,
    context_factor    double precision NOT NULL,
    factors           jsonb NOT NULL,
    decision          text NOT NULL CHECK (decision IN ('trade', 'skip')),
    skip_reason       text,
    high_conviction   boolean NOT NULL DEFAULT false,
    created_at        timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT signals_skip_has_reason CHECK (decision = 'trade' OR skip_reason IS NOT NULL)
);
CREATE INDEX signals_observed_idx ON signals (observed_at DESC);
CREATE INDEX signals_wallet_idx ON signals (wallet_address, observed_at DESC);
CREATE INDEX signals_token_idx ON signals (token_mint, observed_at DESC);
CREATE INDEX signals_traded_idx ON signals (observed_at DESC) WHERE decision = 'trade';

CREATE TABLE exit_strategies (
    name          text PRIMARY KEY,
    definition    jsonb NOT NULL,
    is_preset     boolean NOT NULL DEFAULT false,
    created_at    timestamptz NOT NULL DEFAULT now(),
    updated_at    timestamptz NOT NULL DEFAULT now()
);
CREATE TRIGGER exit_strategies_updated_at BEFORE UPDATE ON exit_strategies
    FOR EACH ROW EXECUTE FUNCTION set_updated_at();

CREATE TABLE positions (
    position_id               uuid PRIMARY KEY,
    signal_id                 uuid REFERENCES signals (signal_id) ON DELETE SET NULL,
    wallet_address            text NOT NULL,
    token_mint                text NOT NULL,
    token_decimals            smallint NOT NULL CHECK (token_decimals BETWEEN 0 AND 18),
    state                     text NOT NULL CONSTRAINT positions_state_check
        CHECK (state IN ('pending', 'open', 'partial_exit', 'moonbag', 'closing', 'closed')),
    exit_strategy             text NOT NULL REFERENCES exit_strategies (name) ON UPDATE CASCADE,
    entry_price_sol           numeric CHECK (entry_price_sol > 0),
    peak_price_sol            numeric,
    trailing_stop_price_sol   numeric,
    entry_lamports            bigint NOT NULL DEFAULT 0 CHECK (entry_lamports >= 0),
    token_amount              numeric(78, 0) NOT NULL DEFAULT 0 CHECK (token_amount >= 0),
    remaining_amount          numeric(78, 0) NOT NULL DEFAULT 0 CHECK (remaining_amount >= 0),
    proceeds_lamports         bigint NOT NULL DEFAULT 0 CHECK (proceeds_lamports >= 0),
    realized_pnl_lamports     bigint,
    take_profits_hit          smallint NOT NULL DEFAULT 0,
    score                     double precision,
    cluster_id                text,
    opened_at                 timestamptz NOT NULL,
    closed_at                 timestamptz,
    exit_reason               text CHECK (exit_reason IN ('stop_loss', 'take_profit',
        'trailing_stop', 'time_limit', 'stagnation', 'mirror', 'moonbag_stop', 'manual',
        'emergency')),
    created_at                timestamptz NOT NULL DEFAULT now(),
    updated_at                timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT positions_closed_has_reason
        CHECK (state <> 'closed' OR (exit_reason IS NOT NULL AND closed_at IS NOT NULL)),
    CONSTRAINT positions_remaining_le_amount CHECK (remaining_amount <= token_amount)
) WITH (fillfactor = 70);  -- updated on every exit step: room for in-page (HOT) updates
CREATE TRIGGER positions_updated_at BEFORE UPDATE ON positions
    FOR EACH ROW EXECUTE FUNCTION set_updated_at();
-- the rule "no second position in a token already held", enforced by the database
CREATE UNIQUE INDEX positions_one_live_per_token ON positions (token_mint)
    WHERE state <> 'closed';
-- exit watcher and sizing: live positions
CREATE INDEX positions_live_idx ON positions (opened_at) WHERE state <> 'closed';
CREATE INDEX positions_wallet_idx ON positions (wallet_address, opened_at DESC);
CREATE INDEX positions_closed_idx ON positions (closed_at DESC) WHERE state = 'closed';

CREATE TABLE orders (
    order_id                uuid PRIMARY KEY,
    idempotency_key         text NOT NULL CONSTRAINT orders_idempotency_key_unique UNIQUE,
    position_id             uuid NOT NULL REFERENCES positions (position_id),
    side                    text NOT NULL CHECK (side IN ('buy', 'sell')),
    purpose                 text NOT NULL,
    state                   text NOT NULL CONSTRAINT orders_state_check
        CHECK (state IN ('pending', 'submitted', 'confirming', 'filled', 'failed', 'cancelled')),
    attempt                 smallint NOT NULL DEFAULT 0 CHECK (attempt >= 0),
    amount_in               numeric(78, 0) NOT NULL CHECK (amount_in > 0),
    expected_out            numeric(78, 0),
    min_out                 numeric(78, 0),
    slippage_bps            integer NOT NULL CHECK (slippage_bps BETWEEN 0 AND 10000),
    priority_fee_lamports   bigint NOT NULL DEFAULT 0 CHECK (priority_fee_lamports >= 0),
    venue                   text NOT NULL,
    tx_signature            text,
    error                   text,
    quote                   jsonb,
    created_at              timestamptz NOT NULL,
    submitted_at            timestamptz,
    finished_at             timestamptz,
    updated_at              timestamptz NOT NULL DEFAULT now()
) WITH (fillfactor = 70);  -- each order moves through 3-5 states
CREATE TRIGGER orders_updated_at BEFORE UPDATE ON orders
    FOR EACH ROW EXECUTE FUNCTION set_updated_at();
-- restart recovery: every order not yet in a terminal state
CREATE INDEX orders_unfinished_idx ON orders (created_at)
    WHERE state NOT IN ('filled', 'cancelled');
CREATE INDEX orders_position_idx ON orders (position_id, created_at);
CREATE INDEX orders_tx_signature_idx ON orders (tx_signature) WHERE tx_signature IS NOT NULL;

CREATE TABLE fills (
    fill_id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    order_id        uuid NOT NULL REFERENCES orders (order_id),
    tx_signature    text NOT NULL,
    filled_at       timestamptz NOT NULL,
    in_amount       numeric(78, 0) NOT NULL CHECK (in_amount >= 0),
    out_amount      numeric(78, 0) NOT NULL CHECK (out_amount >= 0),
    price_sol       numeric NOT NULL,
    fee_lamports    bigint NOT NULL DEFAULT 0 CHECK (fee_lamports >= 0),
    slippage_bps    integer,
    raw             jsonb,
    created_at      timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT fills_one_per_tx UNIQUE (order_id, tx_signature)
);
CREATE INDEX fills_filled_at_idx ON fills (filled_at DESC);
