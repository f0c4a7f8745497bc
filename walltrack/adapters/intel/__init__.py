"""Wallet intelligence adapters: discovery, profiling and cluster jobs over the venues."""
