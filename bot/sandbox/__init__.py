"""The sandbox: the real bot against a local Bot API server, for trying, training and demos."""
