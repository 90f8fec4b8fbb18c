"""Named, commented pattern tables, compiled once at import. One module per concern."""
