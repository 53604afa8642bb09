"""The records path: feedback in (ingest), who it is about (linking), and which of it alerts (the rule)."""
