"""Helpers of the classroom load test (``benchmarks/load_test.py``)."""
