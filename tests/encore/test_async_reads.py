"""The API's hot reads on PostgreSQL (`AsyncReads`, psycopg's asynchronous driver on the event loop) give the
same records as the synchronous reads: a key (revoked ones too), a run with its webhook deliveries in order,
None for what is not there; a server that cannot be reached is one CacheError naming the store."""

from __future__ import annotations

import asyncio
import socket
import time

import pytest

from encore import CacheError
from encore._store import Store, StoreURL
from encore._store._async_reads import AsyncReads
from encore._store._deliveries import Deliveries
from encore._store._keys import ApiKeys
from encore._store._run_reads import RunReads


def _read(url: str, work):  # type: ignore[no-untyped-def]
    async def main():  # type: ignore[no-untyped-def]
        reads = AsyncReads(StoreURL(url), connections=2, timeout_s=3.0)
        await reads.open()
        try:
            return await work(reads)
        finally:
            await reads.close()

    return asyncio.run(main())


def test_the_same_records_as_the_synchronous_reads(postgres_url: str) -> None:
    store = Store(postgres_url)
    keys = ApiKeys(store.engine)
    kept, presented = keys.create("ci")
    revoked, revoked_key = keys.create("old", "read")
    keys.revoke(revoked.id)
    definition = {"id": "shop", "blocks": [{"label": "open", "kind": "goto", "url": "{{ site }}"}]}
    store.runs.create("r-hooked", "shop", {"site": "http://127.0.0.1:9", "n": 2}, definition=definition)
    store.runs.create("r-plain", "shop", {}, definition=definition)
    store.runs.finish("r-plain", "failed", reason="it broke", outputs={"total": 1.5})
    deliveries = Deliveries(store.engine)
    first = deliveries.add("r-hooked", "http://127.0.0.1:9/one")
    time.sleep(0.01)
    second = deliveries.add("r-hooked", "http://127.0.0.1:9/two")
    deliveries.attempt_failed(first.id, 500, "server error", time.time() + 60)
    sync = RunReads(store.engine)

    async def read(reads: AsyncReads):  # type: ignore[no-untyped-def]
        return (
            await reads.key(presented), await reads.key(revoked_key), await reads.key(presented + "x"),
            await reads.key("not a key"), await reads.run_with_deliveries("r-hooked"),
            await reads.run_with_deliveries("r-plain"), await reads.run_with_deliveries("nope"),
            await reads.run("r-hooked"), await reads.run("nope"), await reads.deliveries("r-hooked"),
        )

    key, old, unknown, malformed, hooked, plain, missing, run, no_run, hooks = _read(postgres_url, read)
    assert key == keys.verify(presented) and key is not None and key.id == kept.id and not key.revoked
    assert old == keys.verify(revoked_key) and old is not None and old.revoked and old.scope == "read"
    assert unknown is None and malformed is None and missing is None and no_run is None
    assert hooked == sync.find_with_deliveries("r-hooked") and plain == sync.find_with_deliveries("r-plain")
    record, found = hooked
    assert record.definition is None and record.params == {"site": "http://127.0.0.1:9", "n": 2}
    assert [d.id for d in found] == [first.id, second.id] == [d.id for d in hooks]
    assert found[0].attempts == 1 and found[0].last_status == 500 and found[0].last_error == "server error"
    assert plain[0].status == "failed" and plain[0].outputs == {"total": 1.5} and plain[1] == []
    assert run == record == sync.find_polled("r-hooked") and sync.find_polled("nope") is None


def test_a_server_that_cannot_be_reached_is_one_cache_error_naming_the_store() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]  # nothing listens there once the probe is closed
    url = f"postgresql://encore:hunter2@127.0.0.1:{port}/gone"
    with pytest.raises(CacheError, match=f"postgresql://encore:\\*\\*\\*@127.0.0.1:{port}/gone") as raised:
        _read(url, lambda reads: reads.key("ek_x_y"))
    assert "hunter2" not in str(raised.value) and "refused" in str(raised.value)  # the cause, not "no connection"


def test_a_sqlite_store_is_refused(tmp_path) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValueError, match="asynchronous reads are for PostgreSQL stores"):
        AsyncReads(StoreURL(str(tmp_path / "store.sqlite")))
