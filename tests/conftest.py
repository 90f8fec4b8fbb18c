"""Suite-wide: the parse cache lives in a fresh folder for this test run, never in the user's
~/.cache (set before any test module is imported, so subprocesses inherit it too)."""
from __future__ import annotations

import os
import shutil
import tempfile

_CACHE = tempfile.mkdtemp(prefix="policyparse-test-cache-")
os.environ["POLICYPARSE_CACHE_DIR"] = _CACHE


def pytest_unconfigure(config):
    shutil.rmtree(_CACHE, ignore_errors=True)
