"""Subcommands of `walltrack`; each module defines `register(subparsers)`.

The handler a module sets with `set_defaults(handler=...)` takes the parsed namespace and
returns the exit code. Heavy imports belong inside the handler so `--help` stays fast.
"""
