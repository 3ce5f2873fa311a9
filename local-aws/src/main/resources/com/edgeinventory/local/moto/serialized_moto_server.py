"""moto_server, serving one request at a time.

moto keeps each service's state in plain Python objects with no locking. Its DynamoDB
TransactWriteItems applies its items one by one and, when any condition fails, undoes them
(as moto ships it, by putting back a whole-table snapshot: every write another request made in
the meantime was lost); nothing isolates a transaction from concurrent writes. Real DynamoDB
serializes those. Holding one lock per request gives moto the same serializable behaviour, so
concurrency tests test our code, not moto's races. Everything else is moto_server's own main(),
with patches below: transactions undo only the items they touched (_undo_log_transactions), moto
no longer keeps every model object it ever made (_track_models_weakly), and DynamoDB Streams
iterators expire once used (_expire_used_stream_iterators).

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


def _undo_log_transactions():
    """moto's TransactWriteItems deep-copies every table it touches before it starts (all of its items) and, when the
    transaction is cancelled, puts the copies in place of the tables. Its cost grew with the tables (purchases and
    idempotency records grow with every purchase), and the copy replaced the table object that stream iterators and
    pollers still held. Instead: before moto runs the transaction, record the prior item (or its absence) of every
    key the transaction names, and each touched table's stream length; moto's backup shares the table instead of
    copying it; on any failure, put exactly those items back and cut each stream back to its length. The rest is
    moto's own code: its checks, its order, its TransactionCanceledException with CancellationReasons.

    Secondary indexes need nothing: moto computes GSI and LSI results from the table's items at query time. The item
    count is len(table.items) and the table size is reported as 0, so there is no other bookkeeping to restore."""
    import copy
    from moto.dynamodb import models as dynamodb_models
    from moto.dynamodb.models import DynamoDBBackend
    from moto.dynamodb.models.dynamo_type import DynamoType
    from moto.dynamodb.models.table import Table

    class _TablesShared:
        """The `copy` module as moto.dynamodb.models sees it: deepcopy of a Table gives the table itself. That module
        deep-copies Tables only for the transaction backup (otherwise it copies Items, in update_item)."""

        def __getattr__(self, name):
            return getattr(copy, name)

        @staticmethod
        def deepcopy(value, memo=None):
            return value if isinstance(value, Table) else copy.deepcopy(value, memo)

    dynamodb_models.copy = _TablesShared()

    def prior_state(backend, transact_items):
        """[(table, hash, range or None, had the hash bucket, deep copy of the prior item or None)], [(table, stream
        length)]. A key that cannot be read (unknown table, missing key attribute) is skipped: moto fails that item
        before it writes anything for it."""
        undo, streams, seen = [], {}, set()
        for transact_item in transact_items:
            for op_type, op in transact_item.items():
                try:
                    table = backend.get_table(op["TableName"])
                    key = op["Item"] if op_type == "Put" else op["Key"]
                    hash_value = DynamoType(key[table.hash_key_attr])
                    range_value = DynamoType(key[table.range_key_attr]) if table.range_key_attr is not None else None
                except Exception:
                    continue
                if (id(table), hash_value, range_value) in seen:
                    continue  # moto refuses two operations on one item; its state before is what we already hold
                seen.add((id(table), hash_value, range_value))
                if range_value is None:
                    had_bucket, prior = True, table.items.get(hash_value)
                else:
                    bucket = table.items.get(hash_value)  # .get: reading must not create the defaultdict's bucket
                    had_bucket, prior = bucket is not None, (bucket.get(range_value) if bucket is not None else None)
                undo.append((table, hash_value, range_value, had_bucket, copy.deepcopy(prior)))
                if table.stream_shard is not None and id(table) not in streams:
                    streams[id(table)] = (table, len(table.stream_shard.items))
        return undo, list(streams.values())

    def roll_back(undo, streams):
        for table, hash_value, range_value, had_bucket, prior in reversed(undo):
            if range_value is None:
                if prior is None:
                    table.items.pop(hash_value, None)
                else:
                    table.items[hash_value] = prior
            elif prior is not None:
                table.items[hash_value][range_value] = prior
            else:
                bucket = table.items.get(hash_value)
                if bucket is not None:
                    bucket.pop(range_value, None)
                    if not had_bucket and not bucket:
                        del table.items[hash_value]
        for table, length in streams:
            if table.stream_shard is not None:
                del table.stream_shard.items[length:]

    original_transact = DynamoDBBackend.transact_write_items

    def transact_write_items(self, transact_items):
        undo, streams = prior_state(self, transact_items)
        try:
            return original_transact(self, transact_items)
        except BaseException:
            roll_back(undo, streams)
            raise

    DynamoDBBackend.transact_write_items = transact_write_items


def _track_models_weakly():
    """moto appends every model object it ever creates (each DynamoDB Item, including the copies it makes for every
    query, scan and update, each stream record, SQS message, S3 key, Kinesis record...) to a class-level list,
    `instances_tracked`, for its /moto-api/data.json dashboard, and never removes them: moto's memory grew with every
    request, also by objects long deleted or replaced. Track them weakly: the dashboard still lists every live
    object, and a dropped one is freed."""
    import itertools
    import weakref
    from moto.core.common_models import BaseModel

    counter = itertools.count()

    class _WeaklyTracked:
        def __init__(self, existing=()):
            self._live = weakref.WeakValueDictionary()  # by a counter: models may be unhashable (Item has __eq__)
            for instance in existing:
                self.append(instance)

        def append(self, instance):
            try:
                self._live[next(counter)] = instance
            except TypeError:
                pass  # not weak-referenceable: not tracked

        def __iter__(self):
            return iter(list(self._live.values()))

        def __len__(self):
            return len(self._live)

    def __new__(cls, *args, **kwargs):
        instance = super(BaseModel, cls).__new__(cls)
        tracked = cls.instances_tracked
        if not isinstance(tracked, _WeaklyTracked):  # a new class, or moto's reset put a plain list back
            tracked = cls.instances_tracked = _WeaklyTracked(tracked)
        tracked.append(instance)
        return instance

    BaseModel.__new__ = staticmethod(__new__)


def _expire_used_stream_iterators():
    """moto keeps every DynamoDB Streams shard iterator it hands out, and each GetRecords hands out a new one: the
    local stack's pollers (an idle GetRecords every 200 ms per stream mapping) grew moto by about 2.3 KB per call,
    forever. DynamoDB Streams iterators expire 15 minutes after they are issued. Here an iterator is dropped 15
    minutes after its first GetRecords; one never used (a poller's next iterator) is kept, so a poller that idles or
    is paused never meets an expired iterator, and a GetRecords retried with the same iterator still works."""
    import collections
    import time
    from moto.dynamodbstreams.models import DynamoDBStreamsBackend

    lifetime_seconds = 15 * 60
    original_get_records = DynamoDBStreamsBackend.get_records

    def get_records(self, iterator_arn, limit):
        result = original_get_records(self, iterator_arn, limit)
        used = self.__dict__.setdefault("_edge_used_iterators", collections.OrderedDict())  # arn -> first use
        now = time.time()
        used.setdefault(iterator_arn, now)
        while used:
            arn, first_use = next(iter(used.items()))
            if now - first_use < lifetime_seconds:
                break
            used.popitem(last=False)
            self.shard_iterators.pop(arn, None)
        return result

    DynamoDBStreamsBackend.get_records = get_records


_undo_log_transactions()
_track_models_weakly()
_expire_used_stream_iterators()

if __name__ == "__main__":
    if _STATE and os.path.exists(_STATE):
        _load()
    main(sys.argv[1:])
