"""The pure domain: no I/O, no threads, no clock reads; `now` is always an argument."""
