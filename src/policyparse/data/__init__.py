"""Data files (word tables) read with importlib.resources."""
