"""Subcommands of `rapport`, one module per area; each module has `register(subparsers)`."""
