"""Plugins for the whole suite (tests/, the doctests in hmbook/, nbval on book/): see each module's docstring."""

pytest_plugins = ["support.nbval_executed", "support.parallel", "support.chapter_loop", "support.built_beside"]
