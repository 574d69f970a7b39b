"""The performance benchmark of DESIGN.md §11 (run by hand: `make bench`; prints figures)."""
