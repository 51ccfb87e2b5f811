"""Benchmarks of the bot, run against the fake Bot API server (see bench/README.md)."""
