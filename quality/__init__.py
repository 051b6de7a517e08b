"""Measuring the analysis: gold sets, scoring and generated samples, for `bench/` and the floor tests.

Beside `bench/`, above `analysis/`, `crawler/` and `demo/` (it scores the crawler's extraction of
the offline web), and imported by nothing in the running product.
"""
