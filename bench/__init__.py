"""Benchmarks run by `make bench` (docs/benchmarks.md)."""
