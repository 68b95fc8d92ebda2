"""WSGI entry point: ``gunicorn wsgi:app``."""
import gc

from app import create_app

app = create_app()
# A page builds tens of thousands of short-lived objects (ORM rows, template output) with few reference cycles.
# At CPython's default (a young collection every 700 allocations) the collector ran dozens of times per
# request and its older-generation passes showed in the slowest requests; every 50,000 allocations it runs
# about once per page. Cycles are still collected, only in bigger batches.
gc.set_threshold(50_000, 20, 100)
