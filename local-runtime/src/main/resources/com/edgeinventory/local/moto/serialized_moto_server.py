"""moto_server, serving one request at a time.

moto keeps each service's state in plain Python objects with no locking. Its DynamoDB
TransactWriteItems snapshots the whole table (copy.deepcopy) before it starts and, when any
condition fails, puts the snapshot back: every write another request made in the meantime is
lost, and nothing isolates a transaction from concurrent writes. Real DynamoDB serializes
those. Holding one lock per request gives moto the same serializable behaviour, so concurrency
tests test our code, not moto's races. Everything else is moto_server's own main().
"""
import sys
import threading

from moto.moto_server.werkzeug_app import DomainDispatcherApplication
from moto.server import main

_lock = threading.Lock()
_dispatch = DomainDispatcherApplication.__call__


def _one_at_a_time(self, environ, start_response):
    with _lock:
        # Materialise the response inside the lock: the body may be a lazy iterable.
        return list(_dispatch(self, environ, start_response))


DomainDispatcherApplication.__call__ = _one_at_a_time

if __name__ == "__main__":
    main(sys.argv[1:])
