"""Headless subcommands of `main.py`: each module registers one subcommand and runs it."""
