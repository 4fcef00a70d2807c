"""Benchmarks the project ships (`make bench`); they print figures, they assert nothing."""
