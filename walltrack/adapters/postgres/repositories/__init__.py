"""Repositories: one module per table group, literal SQL next to the code that runs it."""
