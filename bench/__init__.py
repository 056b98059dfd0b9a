"""Benchmarks that run the real app (see docs/performance.md)."""
