"""Extractors: one module per thing extracted. Each exposes a function over typed inputs."""
