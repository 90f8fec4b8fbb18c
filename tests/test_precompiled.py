"""patterns/precompiled.py: compiled patterns kept between runs give the same parse, load instead
of compiling, survive a damaged file, and are the same patterns whatever the hash seed."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SEEDS = sorted((ROOT / "seeds").glob("*.txt"))

# Parses the seeds in a fresh process; prints the records and what precompiled.py did.
PROGRAM = r"""
import json, sys
from policyparse import pipeline
from policyparse.patterns import precompiled
records = [pipeline.parse_file_record(p) for p in sys.argv[1:]]
print(json.dumps({"stats": precompiled.stats, "records": records}, ensure_ascii=False))
"""


def run(cache_setting: str, *, seed: str = "0") -> dict:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env.update(POLICYPARSE_PATTERN_CACHE=cache_setting, POLICYPARSE_NO_CACHE="1", PYTHONHASHSEED=seed)
    out = subprocess.run([sys.executable, "-c", PROGRAM, *map(str, SEEDS)], env=env, capture_output=True,
                         text=True, check=True).stdout
    return json.loads(out)


def runs_of(program: str, store: Path, times: int = 2) -> list[dict]:
    """The JSON `program` prints, in `times` fresh processes in turn sharing the stored patterns
    at `store` (bytecode may be written, so the store is written)."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env.update(POLICYPARSE_PATTERN_CACHE=str(store))
    return [json.loads(subprocess.run([sys.executable, "-c", program], env=env, capture_output=True, text=True,
                                      check=True).stdout) for _ in range(times)]


@pytest.fixture(scope="module")
def cold_and_warm(tmp_path_factory):
    store = tmp_path_factory.mktemp("patterns") / "store.marshal"
    cold = run(str(store))
    assert store.is_file()
    warm = run(str(store))
    return store, cold, warm


def test_a_second_process_loads_every_pattern_and_compiles_none(cold_and_warm):
    store, cold, warm = cold_and_warm
    assert cold["stats"]["loaded"] == 0 and cold["stats"]["compiled"] > 50
    assert warm["stats"]["loaded"] == cold["stats"]["compiled"]
    assert warm["stats"]["compiled"] == 0


def test_a_second_process_loads_the_derived_gates_and_reads_no_parse(cold_and_warm):
    """extract/anchors.py's first/last characters of a pattern, read from its parse: stored by the
    first process, loaded by the second (the records, compared below, are the same)."""
    store, cold, warm = cold_and_warm
    assert cold["stats"]["derived_computed"] > 20
    assert warm["stats"]["derived_loaded"] == cold["stats"]["derived_computed"]
    assert warm["stats"]["derived_computed"] == 0


def test_a_derived_value_is_the_functions_and_is_keyed_on_its_code(tmp_path):
    """derived(f, *args) is f(*args); a function with other code (an edited one) is not answered
    from what another function stored under the same arguments."""
    program = (
        "import json, sys\n"
        "from policyparse.patterns import precompiled\n"
        "from policyparse.extract.anchors import _edge_chars\n"
        "def other(text, last):\n"
        "    return frozenset('x')\n"
        "texts = ['(?:比|较)\\\\s*$', '^(?:以上)?的', '[ab]c|d']\n"
        "out = [[sorted(precompiled.derived(f, t, last) or []) == sorted(f(t, last) or []) for t in texts]\n"
        "       for f in (_edge_chars, other) for last in (False, True)]\n"
        "print(json.dumps({'same': out, 'stats': precompiled.stats}))\n")
    runs = runs_of(program, tmp_path / "store.marshal")
    for got in runs:
        assert all(all(row) for row in got["same"])
    assert runs[1]["stats"]["derived_computed"] == 0 and runs[1]["stats"]["derived_loaded"] >= 12


def test_loaded_patterns_parse_exactly_like_compiled_ones(cold_and_warm, tmp_path):
    _, cold, warm = cold_and_warm
    off = run("off")
    assert off["stats"]["file"] is None
    assert warm["records"] == cold["records"] == off["records"]


@pytest.mark.parametrize("damage", [
    lambda data: data[: len(data) // 2],            # cut short (a crash while another wrote)
    lambda data: b"not marshal at all",              # foreign bytes
    lambda data: b"",                                # empty
])
def test_a_damaged_file_is_a_miss_and_is_rewritten(cold_and_warm, tmp_path, damage):
    store, cold, _ = cold_and_warm
    broken = tmp_path / "broken.marshal"
    broken.write_bytes(damage(store.read_bytes()))
    again = run(str(broken))
    assert again["stats"]["loaded"] == 0 and again["stats"]["compiled"] == cold["stats"]["compiled"]
    assert again["records"] == cold["records"]
    assert run(str(broken))["stats"]["loaded"] == cold["stats"]["compiled"]


def test_another_layout_is_ignored(cold_and_warm, tmp_path):
    import marshal

    _, cold, _ = cold_and_warm
    other = tmp_path / "other.marshal"
    other.write_bytes(marshal.dumps((999, [[], []])))
    again = run(str(other))
    assert again["stats"]["loaded"] == 0 and again["records"] == cold["records"]


def test_the_patterns_are_the_same_strings_under_any_hash_seed(tmp_path):
    """A pattern built from a set in set order would be a new pattern in every process (and
    compiled, and stored, each time): every pattern string must not depend on the hash seed."""
    import marshal

    keys = []
    for seed in ("1", "2"):
        store = tmp_path / f"seed{seed}.marshal"
        run(str(store), seed=seed)
        layout, identity, engines, _ = marshal.loads(store.read_bytes())
        keys.append([sorted(k for k, _ in entries) for entries in engines])
    assert keys[0] == keys[1]


def test_not_written_where_python_writes_no_bytecode(tmp_path, monkeypatch):
    """In its default place (beside the package), the file is written only when .pyc files are."""
    from policyparse.patterns import precompiled

    class Engine:
        known, new, requested = {}, {("x", 0): ("x", 0, [1], 0, {}, ())}, set()

    monkeypatch.delenv("POLICYPARSE_PATTERN_CACHE", raising=False)
    monkeypatch.setattr(sys, "dont_write_bytecode", True)
    target = tmp_path / "store.marshal"
    precompiled._save(target, [Engine(), Engine()])
    assert not target.exists()
    monkeypatch.setattr(sys, "dont_write_bytecode", False)
    precompiled._save(target, [Engine(), Engine()])
    assert target.is_file()


def test_a_function_whose_code_marshal_cannot_hold_is_computed_and_not_kept(tmp_path):
    """A fuzzer or a coverage tool rewrites code objects with constants marshal refuses (CI's
    atheris run did): derived() then computes the value every time instead of failing at import."""
    program = (
        "import json\n"
        "from policyparse.patterns import precompiled\n"
        "def gate(text):\n"
        "    return frozenset(text[:1])\n"
        "gate.__code__ = gate.__code__.replace(co_consts=gate.__code__.co_consts + (object(),))\n"
        "print(json.dumps({'value': sorted(precompiled.derived(gate, 'ab')), 'stats': precompiled.stats}))\n")
    for got in runs_of(program, tmp_path / "store.marshal"):
        assert got["value"] == ["a"]
        assert got["stats"]["derived_computed"] == 0 and got["stats"]["derived_loaded"] == 0


# Compiles the patterns named on the command line (one of each engine), derives a value from each,
# and prints what the store held at the start.
COMPILE_THESE = r"""
import json, re, sys
from policyparse.patterns import precompiled
from policyparse.extract.anchors import _edge_chars
for word in sys.argv[1:]:
    re.compile(word + r"\d+"); precompiled.compile(word + r"[0-9]+"); precompiled.derived(_edge_chars, word, False)
print(json.dumps(precompiled.stats))
"""


def _stored(store: Path) -> tuple[str, set, set]:
    """The store's code identity, the texts of its patterns and the arguments of its derived values."""
    import marshal

    layout, identity, engines, derived = marshal.loads(store.read_bytes())
    return identity, {pattern for entries in engines for (pattern, _), _ in entries}, {key[1] for key, _ in derived}


def _compile(store: Path, *words: str) -> dict:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env.update(POLICYPARSE_PATTERN_CACHE=str(store))
    return json.loads(subprocess.run([sys.executable, "-c", COMPILE_THESE, *words], env=env, capture_output=True,
                                     text=True, check=True).stdout)


def _written_under(store: Path, identity: str) -> None:
    import marshal

    layout, _, engines, derived = marshal.loads(store.read_bytes())
    store.write_bytes(marshal.dumps((layout, identity, engines, derived)))


def test_the_same_code_keeps_what_other_runs_compiled(tmp_path):
    """Under one version of the code, the file only gains: a pattern compiled by one run (one
    document's lazily compiled rule, say) stays for the runs that do not ask for it."""
    from policyparse.patterns import precompiled

    store = tmp_path / "store.marshal"
    _compile(store, "甲")
    _compile(store, "乙")
    identity, patterns, derived = _stored(store)
    assert identity == precompiled.code_identity()
    assert {"甲\\d+", "甲[0-9]+", "乙\\d+", "乙[0-9]+"} <= patterns
    assert {("甲", False), ("乙", False)} <= derived


def test_other_code_keeps_only_what_it_asked_for(tmp_path):
    """A file written under another version of the code (an upgrade, another checkout, an edited
    module): the next rewrite drops what this version did not ask for, so the file holds one
    version's patterns instead of growing with every version's."""
    from policyparse.patterns import precompiled

    store = tmp_path / "store.marshal"
    _compile(store, "甲")
    size_of_one_version = store.stat().st_size
    _written_under(store, "another version")
    stats = _compile(store, "乙")
    assert stats["loaded"] > 0   # the file was read: what this version asks for is not compiled again
    identity, patterns, derived = _stored(store)
    assert identity == precompiled.code_identity()
    assert {"乙\\d+", "乙[0-9]+"} <= patterns and not {"甲\\d+", "甲[0-9]+"} & patterns
    assert ("乙", False) in derived and ("甲", False) not in derived
    for version in range(5):   # five more versions: the file stays the size of one
        _written_under(store, f"version {version}")
        _compile(store, f"丙{version}")
    assert store.stat().st_size < size_of_one_version * 1.1


def test_the_code_identity_follows_the_package_files_and_not_its_caches(tmp_path):
    from policyparse.patterns import precompiled

    package = tmp_path / "package"
    (package / "patterns" / "__pycache__").mkdir(parents=True)
    (package / "patterns" / "numbers.py").write_text("A = 1\n")
    (package / "words.txt").write_text("牵头\n")
    before = precompiled.code_identity(package)
    assert precompiled.code_identity(package) == before
    (package / "patterns" / "__pycache__" / "patterns-x.marshal").write_bytes(b"anything")
    assert precompiled.code_identity(package) == before   # the store itself and .pyc files
    (package / "words.txt").write_text("配合\n")           # same size, new content and time
    os.utime(package / "words.txt", ns=(1, 1))
    after_edit = precompiled.code_identity(package)
    assert after_edit != before
    (package / "patterns" / "targets.py").write_text("")     # a new module
    assert precompiled.code_identity(package) != after_edit
