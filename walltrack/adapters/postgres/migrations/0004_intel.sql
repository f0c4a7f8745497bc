-- Wallet intelligence: where and how each wallet was found, the buyers' order of scanned
-- tokens (timing percentile), and the watchlist's manual pins and failed criteria.

ALTER TABLE wallets
    ADD COLUMN pinned            boolean NOT NULL DEFAULT false,
    ADD COLUMN failed_criteria   text[] NOT NULL DEFAULT '{}',
    ADD COLUMN discovery_method  text;

-- one row per (wallet, token, method): the figures the wallet was judged on
CREATE TABLE wallet_discoveries (
    wallet                text NOT NULL,
    token_mint            text NOT NULL,
    method                text NOT NULL,
    found_at              timestamptz NOT NULL,
    first_buy_at          timestamptz,
    seconds_after_launch  double precision,
    spent_lamports        bigint NOT NULL DEFAULT 0,
    received_lamports     bigint NOT NULL DEFAULT 0,
    bought_amount         numeric(78, 0) NOT NULL DEFAULT 0,
    sold_amount           numeric(78, 0) NOT NULL DEFAULT 0,
    sold_fraction         double precision,
    profit_ratio          double precision,
    accepted              boolean NOT NULL,
    failed                text[] NOT NULL DEFAULT '{}',
    PRIMARY KEY (wallet, token_mint, method)
);
CREATE INDEX wallet_discoveries_token_idx ON wallet_discoveries (token_mint);

-- every buyer's first buy of a scanned token: the order the timing percentile ranks in
CREATE TABLE token_buyers (
    mint          text NOT NULL,
    wallet        text NOT NULL,
    first_buy_at  timestamptz NOT NULL,
    PRIMARY KEY (mint, wallet)
);

-- how far back each token's history was read (the launch, or where the history ends)
CREATE TABLE token_scans (
    mint              text PRIMARY KEY,
    scanned_at        timestamptz NOT NULL,
    launched_at       timestamptz,
    oldest_at         timestamptz,
    transactions      integer NOT NULL CHECK (transactions >= 0),
    pages             integer NOT NULL CHECK (pages >= 0),
    reached_launch    boolean NOT NULL,
    buyers            integer NOT NULL CHECK (buyers >= 0)
);
