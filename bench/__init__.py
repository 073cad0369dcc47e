"""Benchmark scripts (never part of the test run)."""
