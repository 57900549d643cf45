"""The queue: runs on procrastinate workers (PostgreSQL, asyncio), schedules fired by its periodic deferrer.

Why procrastinate: the shared store is PostgreSQL already, so the queue needs no other server (Celery
would add Redis or RabbitMQ); it is asyncio-native like Playwright and the runner, so one worker process
runs several browser contexts on one event loop; and it gives what a run queue needs, in the database:
periodic tasks deferred once per tick across workers, worker heartbeats to find the jobs of a dead
worker, job abort for `runs cancel`, and transactional job state.
"""

from ._app import ensure_schema, make_app, require_postgresql
from ._submit import cancel, definition_of, plain_params, refuse_unrunnable, submit
from ._tasks import WorkerState, blueprint, enqueue
from ._worker import serve

__all__ = [
    "WorkerState",
    "blueprint",
    "cancel",
    "definition_of",
    "enqueue",
    "ensure_schema",
    "make_app",
    "plain_params",
    "refuse_unrunnable",
    "require_postgresql",
    "serve",
    "submit",
]
