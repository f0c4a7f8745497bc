"""The StoresSupervisor on configured servers (the session's PostgreSQL and graph).

With WALLTRACK_PG_DSN / WALLTRACK_GRAPH_URI set no embedded server is started; snapshots
go to PostgreSQL, and config changes reach subscribed actors without a restart.
"""

from __future__ import annotations

import queue
from pathlib import Path
from typing import Any

import pytest

from supervisors.specs import ChildSpec
from supervisors.stores_tree import CONNECTIONS, RUNTIME_CONFIG, STORES
from tests.integration.graph_fixtures import GraphTestServer
from tests.integration.pg_fixtures import admin_connect
from tests.integration.stores_tree.kit import (
    KEEPER,
    WAIT_S,
    ConfigSubscriber,
    settings_for,
    snapshot_row,
    stores_tree,
)
from tests.runtime.kit import Add, Fault, Get, Journal, probe_spec
from walltrack.config import Settings
from walltrack.domain.messages.config import RuntimeConfigChanged, RuntimeConfigRejected
from walltrack.domain.messages.stores import StoresConnected
from walltrack.domain.params import default_params
from walltrack.errors import InvalidParameterError

pytestmark = pytest.mark.integration


@pytest.fixture
def configured(
    tmp_path: Path, pg_dsn: str, graph_server: GraphTestServer, graph_database: str
) -> Settings:
    return settings_for(
        tmp_path,
        pg_dsn=pg_dsn,
        graph_uri=graph_server.uri,
        graph_user=graph_server.user,
        graph_password=graph_server.password,
        graph_database=graph_database,
    )


def _configured_with_staleness(settings: Settings, staleness_s: float) -> Settings:
    return settings.model_copy(update={"snapshot_staleness_s": staleness_s})


def test_configured_stores_start_no_server_and_connect(configured: Settings) -> None:
    with stores_tree(configured) as tree:
        assert tree.plan.servers == ()
        names = [actor.name for actor in tree.runtime.tree().actors]
        assert names[:5] == ["root", STORES, CONNECTIONS, RUNTIME_CONFIG, KEEPER]
        connected = tree.events.wait_for(StoresConnected)
        assert "schema walltrack_paper" in connected.postgres
        assert configured.graph_database in connected.graph
        handles = tree.plan.handles
        assert handles.is_connected
        assert handles.postgres().migrations is not None
        assert handles.graph().client.database == configured.graph_database
        assert handles.params() == default_params()
    assert not handles.is_connected  # closed on stop


def test_killed_actor_restores_its_state_from_postgres_not_memory(
    configured: Settings, pg_dsn: str
) -> None:
    with stores_tree(configured) as tree:
        for value in (1, 2, 3):
            tree.tell(KEEPER, Add(value))
        assert tree.ask(KEEPER, Get()) == [1, 2, 3]
        tree.plan.snapshots.flush()
        assert snapshot_row(pg_dsn, KEEPER) == {"values": [1, 2, 3]}
        # Only PostgreSQL knows about 42: a restored [1, 2, 3, 42] can only come from it.
        with admin_connect(pg_dsn) as conn:
            conn.execute(
                "UPDATE walltrack_paper.actor_snapshots"
                """ SET state = '{"values": [1, 2, 3, 42]}' WHERE actor_id = %s""",
                (KEEPER,),
            )

        tree.tell(KEEPER, Fault())  # corrupts memory, then crashes

        assert tree.ask(KEEPER, Get()) == [1, 2, 3, 42]
        keeper = tree.runtime.tree().by_name(KEEPER)
        assert keeper is not None
        assert keeper.restarts == 1
        assert tree.journal.starting_with(f"start {KEEPER}") == [
            f"start {KEEPER} 1",
            f"start {KEEPER} 2",
        ]


def test_restart_restores_a_snapshot_still_pending_in_the_write_behind_buffer(
    configured: Settings, pg_dsn: str
) -> None:
    slow = _configured_with_staleness(configured, 60)
    with stores_tree(slow) as tree:
        tree.tell(KEEPER, Add(7))
        tree.tell(KEEPER, Add(8))
        assert tree.ask(KEEPER, Get()) == [7, 8]
        assert snapshot_row(pg_dsn, KEEPER) is None  # not written yet: still buffered
        assert tree.plan.snapshots.pending_count() == 1

        tree.tell(KEEPER, Fault())

        assert tree.ask(KEEPER, Get()) == [7, 8]
    # Stopping the tree flushed it: the next process finds it in PostgreSQL.
    assert snapshot_row(pg_dsn, KEEPER) == {"values": [7, 8]}


def test_hot_config_change_reaches_a_subscribed_actor(configured: Settings) -> None:
    received: queue.Queue[Any] = queue.Queue()
    journal = Journal()

    def after(_services: object, _plan: object) -> list[ChildSpec]:
        return [
            probe_spec(KEEPER, journal),
            ChildSpec(
                name="subscriber",
                start=lambda context: ConfigSubscriber.start(context, received),
            ),
        ]

    with stores_tree(configured, after=after, journal=journal) as tree:
        config = tree.plan.handles.postgres().config
        config.update("scoring.threshold", 0.75, "test")

        changed = received.get(timeout=WAIT_S)
        assert isinstance(changed, RuntimeConfigChanged)
        assert changed.params.scoring.threshold == 0.75
        assert changed.sections == frozenset({"scoring"})
        assert tree.plan.handles.params().scoring.threshold == 0.75

        # Rejected at the door: nothing is written, nothing is announced.
        with pytest.raises(InvalidParameterError, match=r"scoring\.threshold"):
            config.update("scoring.threshold", 3, "test")
        # Written behind the validator's back: rejected and reported, old values kept.
        with admin_connect(configured.pg_dsn.get_secret_value()) as conn:  # type: ignore[union-attr]
            conn.execute(
                "UPDATE walltrack_paper.config"
                " SET value = jsonb_set(value, '{threshold}', '7') WHERE section = 'scoring'"
            )
        rejected = received.get(timeout=WAIT_S)
        assert isinstance(rejected, RuntimeConfigRejected)
        assert "scoring.threshold: must be within [0, 1]" in rejected.describe()
        assert tree.plan.handles.params().scoring.threshold == 0.75
        assert received.empty()
