"""Widgets and Qt models: they show the core's records and call the core, never SQL or HTTP."""
