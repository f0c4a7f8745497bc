-- 0003: configuration with history and change notification, circuit-breaker events,
-- actor snapshots, raw webhook events, alerts.

CREATE TABLE config (
    section      text PRIMARY KEY,
    value        jsonb NOT NULL CHECK (jsonb_typeof(value) = 'object'),
    version      integer NOT NULL DEFAULT 1,
    updated_by   text NOT NULL,
    updated_at   timestamptz NOT NULL DEFAULT now()
);
CREATE TRIGGER config_updated_at BEFORE UPDATE ON config
    FOR EACH ROW EXECUTE FUNCTION set_updated_at();

-- Every change of the config table, however it was made (repository, psql), is announced
-- on one channel; the payload names the schema so paper and live listeners sharing a
-- database ignore each other. Delivered at commit, never for a rolled-back change.
CREATE FUNCTION notify_config_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('walltrack_config', json_build_object(
        'schema', TG_TABLE_SCHEMA, 'section', NEW.section, 'version', NEW.version)::text);
    RETURN NULL;
END;
$$;
CREATE TRIGGER config_notify AFTER INSERT OR UPDATE ON config
    FOR EACH ROW EXECUTE FUNCTION notify_config_changed();

CREATE TABLE config_history (
    change_id    bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    section      text NOT NULL,
    path         text NOT NULL,
    old_value    jsonb,
    new_value    jsonb NOT NULL,
    version      integer NOT NULL,
    changed_by   text NOT NULL,
    changed_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX config_history_section_idx ON config_history (section, changed_at DESC);

CREATE TABLE circuit_breaker_events (
    event_id       bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    occurred_at    timestamptz NOT NULL,
    rule           text NOT NULL,
    action         text NOT NULL CHECK (action IN ('warn', 'reduce_size', 'pause',
        'block_until_next_day', 'resume', 'reset')),
    reason         text NOT NULL,
    metrics        jsonb NOT NULL DEFAULT '{}',
    triggered_by   text NOT NULL,
    created_at     timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX circuit_breaker_events_time_idx ON circuit_breaker_events (occurred_at DESC);
CREATE INDEX circuit_breaker_events_rule_idx ON circuit_breaker_events (rule, occurred_at DESC);

-- updated_at is the actor's clock (simulated in backtests); written_at is the database's.
-- Every row is rewritten about once a second: half-empty pages let those updates stay on
-- the page (HOT, no index churn), which keeps the write tail short.
CREATE TABLE actor_snapshots (
    actor_id         text PRIMARY KEY,
    kind             text NOT NULL,
    schema_version   integer NOT NULL CHECK (schema_version >= 1),
    state            jsonb NOT NULL,
    updated_at       timestamptz NOT NULL,
    written_at       timestamptz NOT NULL DEFAULT now()
) WITH (fillfactor = 50);
CREATE FUNCTION set_written_at() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.written_at := now();
    RETURN NEW;
END;
$$;
CREATE TRIGGER actor_snapshots_written_at BEFORE UPDATE ON actor_snapshots
    FOR EACH ROW EXECUTE FUNCTION set_written_at();
CREATE INDEX actor_snapshots_kind_idx ON actor_snapshots (kind);

CREATE TABLE webhook_events (
    event_id       bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    signature      text NOT NULL CONSTRAINT webhook_events_signature_unique UNIQUE,
    source         text NOT NULL DEFAULT 'helius',
    payload        jsonb NOT NULL,
    received_at    timestamptz NOT NULL,
    processed_at   timestamptz
);
CREATE INDEX webhook_events_received_idx ON webhook_events (received_at DESC);
CREATE INDEX webhook_events_unprocessed_idx ON webhook_events (received_at)
    WHERE processed_at IS NULL;

CREATE TABLE alerts (
    alert_id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    raised_at         timestamptz NOT NULL,
    severity          text NOT NULL CHECK (severity IN ('info', 'warning', 'critical')),
    source            text NOT NULL,
    code              text NOT NULL,
    message           text NOT NULL,
    details           jsonb NOT NULL DEFAULT '{}',
    acknowledged_at   timestamptz,
    acknowledged_by   text
);
CREATE INDEX alerts_raised_idx ON alerts (raised_at DESC);
CREATE INDEX alerts_open_idx ON alerts (raised_at DESC) WHERE acknowledged_at IS NULL;
