"""The SQLite store: connection, migrations and one module per record."""
from desktop.store.db import (DiskFull, ReadOnly, StoreBusy, StoreError, connect, open_store, transaction,
                              typed_errors)

__all__ = ["DiskFull", "ReadOnly", "StoreBusy", "StoreError", "connect", "open_store", "transaction",
           "typed_errors"]
