"""Suite-wide, set before any test module is imported (so subprocesses inherit it too): the parse
cache is off (tests that inject faults into the parse must reach the parse) and, where a test
turns it on (test_cache, test_export), lives in a fresh folder, never in the user's ~/.cache; and
the compiled-pattern file (patterns/precompiled.py) is the suite's own, so the patterns tests
compile are not read at every later start of the installed package."""
from __future__ import annotations

import os
import shutil
import tempfile

_CACHE = tempfile.mkdtemp(prefix="policyparse-test-cache-")
os.environ["POLICYPARSE_CACHE_DIR"] = _CACHE
os.environ["POLICYPARSE_NO_CACHE"] = "1"
os.environ.setdefault("POLICYPARSE_PATTERN_CACHE", os.path.join(_CACHE, "patterns.marshal"))


def pytest_unconfigure(config):
    shutil.rmtree(_CACHE, ignore_errors=True)
