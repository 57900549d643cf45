"""Benchmarks: each measures Encore side by side with a baseline in the same run and reports ratios."""
