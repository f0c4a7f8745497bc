"""The versioned SQL files applied by walltrack.adapters.postgres.migrate."""
