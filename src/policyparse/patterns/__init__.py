"""Named, commented pattern tables, compiled once at import. One module per concern.

Compiled patterns are kept between runs (precompiled.py), as .pyc files keep compiled modules."""
from . import precompiled

precompiled.install()
