"""moto_server, serving one request at a time.

moto keeps each service's state in plain Python objects with no locking. Its DynamoDB
TransactWriteItems snapshots the whole table (copy.deepcopy) before it starts and, when any
condition fails, puts the snapshot back: every write another request made in the meantime is
lost, and nothing isolates a transaction from concurrent writes. Real DynamoDB serializes
those. Holding one lock per request gives moto the same serializable behaviour, so concurrency
tests test our code, not moto's races. Everything else is moto_server's own main().

With EDGE_MOTO_STATE=FILE the state of the services we use survives a restart: it is loaded
from FILE at start (when FILE exists), and POST /_edge/state/save writes it there (pickled,
atomically, inside the request lock, so the snapshot is consistent). moto itself keeps
everything in memory only.
"""
import copyreg
import os
import pickle
import sys
import threading

from moto.moto_server.werkzeug_app import DomainDispatcherApplication
from moto.server import main

_lock = threading.Lock()
_dispatch = DomainDispatcherApplication.__call__
_STATE = os.environ.get("EDGE_MOTO_STATE")
_SERVICES = ["dynamodb", "dynamodbstreams", "kinesis", "s3", "sqs"]
_SAVE_PATH = "/_edge/state/save"

# Locks cannot be pickled; a restored backend gets fresh ones.
copyreg.pickle(type(threading.RLock()), lambda lock: (threading.RLock, ()))
copyreg.pickle(type(threading.Lock()), lambda lock: (threading.Lock, ()))


def _backends():
    from moto.backends import get_backend
    return {name: get_backend(name) for name in _SERVICES}


def _save():
    state = {name: dict(backend) for name, backend in _backends().items()}
    temporary = _STATE + ".tmp"
    with open(temporary, "wb") as out:
        pickle.dump(state, out, protocol=pickle.HIGHEST_PROTOCOL)
    os.replace(temporary, _STATE)


def _load():
    with open(_STATE, "rb") as state_file:
        state = pickle.load(state_file)
    for name, backend in _backends().items():
        backend.clear()
        backend.update(state.get(name, {}))


def _one_at_a_time(self, environ, start_response):
    with _lock:
        if _STATE and environ.get("PATH_INFO") == _SAVE_PATH and environ.get("REQUEST_METHOD") == "POST":
            _save()
            start_response("200 OK", [("Content-Type", "text/plain")])
            return [b"saved"]
        # Materialise the response inside the lock: the body may be a lazy iterable.
        return list(_dispatch(self, environ, start_response))


DomainDispatcherApplication.__call__ = _one_at_a_time


def _keep_tables_on_rollback():
    """moto's TransactWriteItems, when a transaction is cancelled, puts back a deep copy of every table it touched,
    taken before it started. The writes it made before the failing condition had already added stream records to
    the original table's stream shard, and stream iterators taken earlier keep reading that original object: a
    poller saw records of rolled-back writes and never saw later ones. Instead, keep the original table object,
    give it the copy's contents, and cut its stream shard back to where it was."""
    from moto.dynamodb.models import DynamoDBBackend
    from moto.dynamodb.models.table import StreamShard

    # The backup moto takes of each table before a transaction would deep-copy its whole stream too (every
    # record with both images, never trimmed), so each transaction got slower and bigger as the stream grew.
    # The rollback below keeps the original shard and cuts it back, so the backup can share it.
    StreamShard.__deepcopy__ = lambda self, memo: self

    original_transact = DynamoDBBackend.transact_write_items

    def transact_write_items(self, transact_items):
        before = dict(self.tables)
        lengths = {name: len(table.stream_shard.items) for name, table in before.items()
                   if getattr(table, "stream_shard", None) is not None}
        try:
            return original_transact(self, transact_items)
        except Exception:
            for name, table in before.items():
                restored = self.tables.get(name)
                if restored is not None and restored is not table:
                    shard = getattr(table, "stream_shard", None)
                    table.__dict__.update(restored.__dict__)
                    if shard is not None:
                        del shard.items[lengths.get(name, len(shard.items)):]
                        table.stream_shard = shard
                    self.tables[name] = table
            raise

    DynamoDBBackend.transact_write_items = transact_write_items


_keep_tables_on_rollback()

if __name__ == "__main__":
    if _STATE and os.path.exists(_STATE):
        _load()
    main(sys.argv[1:])
