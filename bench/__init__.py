"""Benchmarks: each case times Rapport against a baseline measured in the same run and reports the ratio."""
