"""Execution adapters: the paper ledger filling against market quotes, and live swaps."""
