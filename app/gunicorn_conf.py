"""gunicorn settings: ``gunicorn -c python:app.gunicorn_conf wsgi:app`` (the README's command; the project keeps
no file beside its top-level folders, so gunicorn is pointed at this module).

Each worker opens its PostgreSQL pool as soon as it has loaded the app, before it accepts a request: the first
members it serves do not wait for connections to be made. With ``--preload`` the pool the master may have opened
is dropped first, so no two processes share a connection.
"""


def post_worker_init(worker):
    from app.core.database import warm_pool
    from app.extensions import db

    app = worker.wsgi
    if not hasattr(app, "app_context"):  # another app served from this folder (the benchmark's ceiling)
        return
    with app.app_context():
        db.engine.dispose(close=False)  # connections inherited from a preloading master stay the master's
    warm_pool(app)
