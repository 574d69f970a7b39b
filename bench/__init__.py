"""The performance benchmark of docs/design.md §11 (run by hand: `make bench`; prints figures)."""
