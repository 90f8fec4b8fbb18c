"""patterns/rx.py: the pattern tables' `regex`, whose compile builds a stored pattern with regex's
C module alone (the package is not imported), and whose escape is regex.escape."""
from __future__ import annotations

import json
import os
import random
import subprocess
import sys
from pathlib import Path

import regex

from policyparse.patterns import numbers, rx
from test_precompiled import runs_of   # fresh processes sharing one store

ROOT = Path(__file__).resolve().parent.parent
SEEDS = sorted((ROOT / "seeds").glob("*.txt"))


def test_escape_is_regex_escape_on_the_word_lists_and_on_every_bmp_character():
    for words in (numbers.UNIT_WORDS, numbers.UNITS_LIKE_MULT, numbers.PER_UNITS):
        for w in words:
            assert rx.escape(w) == regex.escape(w), w
    for o in range(0x10000):
        c = chr(o)
        if not 0xD800 <= o <= 0xDFFF:
            assert rx.escape(c) == regex.escape(c), hex(o)


def test_escape_is_regex_escape_on_random_text():
    rng = random.Random(7)
    alphabet = "()[]{}?*+|^$\\.-#&~ \t\u3000\n年万亿%％（）—-_:：,，abc019"
    for _ in range(2000):
        s = "".join(rng.choice(alphabet) for _ in range(rng.randrange(0, 12)))
        assert rx.escape(s) == regex.escape(s), s


def test_other_names_are_the_packages_own():
    assert rx.finditer is regex.finditer and rx.V1 == regex.V1


# In a fresh process sharing the store at argv[1]: parse the seeds (argv[2:]) and say which
# regex modules were imported; then use a stored pattern in ways that need regex's Python code.
PROGRAM = r"""
import json, sys
from policyparse import pipeline
from policyparse.patterns import precompiled, rx
records = [pipeline.parse_file_record(p) for p in sys.argv[2:]]
imported = sorted(m for m in sys.modules if m.split(".")[0] == "regex")
stored = rx.compile(r"(\d+)年")                  # stored by the first process
before = stored.sub(r"\1 年", "2025年")          # a template: the C module imports regex._main
import pickle, regex
again = pickle.loads(pickle.dumps(stored))
print(json.dumps({"imported": imported, "records": records, "stats": precompiled.stats, "sub": before,
                  "same": again.pattern == stored.pattern and again.findall("1年22年") == ["1", "22"],
                  "cached": regex.compile(r"(\d+)年").findall("3年") == ["3"]}, ensure_ascii=False))
"""


def _run(store, *, import_regex_first=False) -> dict:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env.update(POLICYPARSE_PATTERN_CACHE=str(store), POLICYPARSE_NO_CACHE="1")
    program = ("import regex\n" if import_regex_first else "") + PROGRAM
    out = subprocess.run([sys.executable, "-c", program, str(store), *map(str, SEEDS)], env=env,
                         capture_output=True, text=True, check=True).stdout
    return json.loads(out)


def test_a_warm_process_parses_without_the_regex_package_and_gives_the_same_records(tmp_path):
    store = tmp_path / "store.marshal"
    cold = _run(store)
    assert "regex._main" in cold["imported"] and cold["stats"]["compiled"] > 50
    warm = _run(store)
    assert warm["imported"] == ["regex._regex"]            # the C module alone
    assert warm["stats"]["compiled"] == 0 and warm["stats"]["loaded"] == cold["stats"]["compiled"]
    early = _run(store, import_regex_first=True)           # a caller that imported regex itself
    off = _run("off")
    assert warm["records"] == cold["records"] == early["records"] == off["records"]
    for run in (cold, warm, early, off):
        assert run["sub"] == "2025 年" and run["same"] and run["cached"]


def test_a_pattern_the_store_lacks_imports_regex_and_is_stored(tmp_path):
    store = tmp_path / "store.marshal"
    _run(store)
    program = ("import sys, json\nfrom policyparse.patterns import precompiled, rx\n"
               "p = rx.compile(r'新的[模式]{2}')\n"
               "print(json.dumps([p.findall('新的模式'), 'regex._main' in sys.modules, precompiled.stats['compiled']]))")
    runs = runs_of(program, store)
    assert runs[0] == [["新的模式"], True, 1]
    assert runs[1] == [["新的模式"], False, 0]


def test_the_store_is_named_after_the_regex_files_installed(tmp_path):
    """A new `regex` release (another extension or parser module) starts a new file."""
    fake = tmp_path / "site" / "regex"
    fake.mkdir(parents=True)
    import importlib.machinery

    for name in ("__init__.py", "_main.py", "_regex_core.py", "_regex" + importlib.machinery.EXTENSION_SUFFIXES[0]):
        (fake / name).write_text("")
    program = "from policyparse.patterns import precompiled\nprint(precompiled._RegexFiles().identity)"
    env = {**os.environ, "POLICYPARSE_PATTERN_CACHE": "off",
           "PYTHONPATH": os.pathsep.join([str(fake.parent), str(ROOT / "src")])}

    def identity():
        return subprocess.run([sys.executable, "-c", program], env=env, capture_output=True, text=True,
                              check=True).stdout.strip()

    first = identity()
    assert identity() == first
    (fake / "_regex_core.py").write_text("# another release\n")
    assert identity() != first
