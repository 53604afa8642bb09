"""The SQLite store: connection, migrations and one module per record."""
from desktop.store.db import StoreError, connect, open_store, transaction

__all__ = ["StoreError", "connect", "open_store", "transaction"]
