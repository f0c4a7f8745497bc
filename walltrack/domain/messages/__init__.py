"""Frozen message dataclasses, one module per domain area."""
