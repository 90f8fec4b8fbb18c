"""Compiled patterns kept between runs, as Python keeps .pyc files for modules.

Why: both regex engines we use, the `regex` module and the stdlib `re`, parse a pattern in
Python; only the last step, building the matcher from the resulting code list, is C (about
10 µs a pattern). Compiling the ~150 patterns of the pipeline therefore costs 50-100 ms in every
process, a quarter of a one-file `policyparse parse`. This module stores, per pattern, the
arguments each engine hands its C compiler and, at the next start, builds each pattern from
them and puts it in that engine's own cache, so every `regex.compile(...)` and `re.compile(...)`
in patterns/*.py and extract/*.py is a cache hit. Nothing else changes: the pattern objects are
the ones the engine itself would build from the same code.

Safe by construction:
- the file is keyed on the `regex` version, Python's cache tag and `_sre.MAGIC` (a new release,
  whose code lists may differ, starts a new file);
- only plain patterns are stored: no named lists, no DEBUG or LOCALE flag, not locale-sensitive;
- a file that does not load, or an entry `regex`'s C compiler refuses, is ignored (and the file
  rewritten at exit); any failure here leaves `regex` compiling as usual;
- the file is written to a temporary name and renamed into place at exit, only when new
  patterns were compiled, so two processes sharing it each write a whole file;
- it holds one version of our code's patterns, as a .pyc holds one version of a module: the file
  records the code it was written under (code_identity(): the package's files, their sizes and
  modification times), and a process running other code (an upgrade, another checkout, an edited
  file) keeps, when it rewrites the file, only the patterns and derived values it asked for
  itself. Without this the file grew with every version's patterns, and every start reads it
  whole (646 KB instead of 334 KB in a developer's tree: +12 M instructions a start).

Where: `patterns/__pycache__/patterns-<regex version>-<cache tag>-<sre magic>.marshal` beside the package,
written, like .pyc files, only when Python may write bytecode (not under
PYTHONDONTWRITEBYTECODE) and the folder is writable. `POLICYPARSE_PATTERN_CACHE=FILE` names
another file (tests); `POLICYPARSE_PATTERN_CACHE=off` turns it off. It holds compiled code, not
results: `--no-cache` (the parse cache) does not touch it.
"""
from __future__ import annotations

import atexit
import functools
import marshal
import os
import sys
from pathlib import Path

FORMAT = 5  # the layout of the file; bump when it changes

# what this process loaded and compiled (tests and the curious read these)
stats = {"loaded": 0, "compiled": 0, "file": None, "derived_loaded": 0, "derived_computed": 0}

# Values our own code derives from a pattern's text (extract/anchors.py reads a pattern's first or
# last characters from its parse by re._parser, a step as costly as compiling the pattern): kept in
# the same file, see derived(). None: this process keeps none (no file, or a file turned off).
_derived: dict | None = None
_derived_new: dict = {}
_derived_requested: set = set()   # the derived keys asked for in this process
_fingerprints: dict = {}
_file_identity: str | None = None   # the code_identity() the loaded file was written under


def derived(function, *args):
    """function(*args), kept between runs as the compiled patterns are: for a function of a
    pattern's text whose result is a plain value marshal holds (frozenset, None, str, tuple).
    The stored value is keyed on the function's own code (marshal.dumps of its code object, with
    its nested functions) and on the exact Python version: an edited function or another Python
    starts afresh. The function must depend on nothing else (no module state, no other function
    of ours), so that its code and its arguments decide its value."""
    if _derived is None:
        return function(*args)
    fingerprint = _fingerprints.get(function)
    if fingerprint is None:
        try:
            code = marshal.dumps(function.__code__)
        except ValueError:   # code rewritten by a tool (a fuzzer's or coverage's instrumentation)
            code = None
        fingerprint = _fingerprints[function] = (sys.version, code)
    if fingerprint[1] is None:   # no stable key for that code: computed, never kept
        return function(*args)
    key = (fingerprint, args)
    _derived_requested.add(key)
    if key in _derived:
        try:
            return _from_file(_derived[key])
        except (TypeError, ValueError):   # not an entry this code wrote: computed again
            pass
    value = function(*args)
    _derived[key] = _derived_new[key] = _to_file(value)
    stats["derived_computed"] += 1
    return value


def _to_file(value):
    """A derived value as stored: a set of characters as one string (marshal reads a string of
    20,000 characters at once, and a set of them one object at a time: ~2 ms), else as it is."""
    if isinstance(value, frozenset) and all(type(c) is str and len(c) == 1 for c in value):
        return ("chars", "".join(sorted(value)))
    return ("value", value)


def _from_file(stored):
    kind, payload = stored
    return frozenset(payload) if kind == "chars" else payload


def code_identity(package: Path | None = None) -> str:
    """What makes this version's patterns: the relative path, size and modification time of every
    file of the package (its modules and the word lists patterns are built from; not __pycache__,
    which holds this file and the .pyc files), as the parse cache states the package
    (cache._package_state). Read only when the file is rewritten."""
    import zlib

    from .. import cache

    files = cache._package_state(str(package) if package else cache.PACKAGE)
    return f"{zlib.crc32(repr(files).encode()):08x}"


def _cache_file() -> Path | None:
    setting = os.environ.get("POLICYPARSE_PATTERN_CACHE", "")
    if setting.lower() in ("off", "0", "no"):
        return None
    import _sre

    name = f"patterns-{_regex_files().identity}-{sys.implementation.cache_tag}-{_sre.MAGIC}.marshal"
    if setting:
        return Path(setting)
    return Path(__file__).parent / "__pycache__" / name


class _RegexFiles:
    """The installed `regex` package's files, found without importing it (its import, ~56 M
    instructions, was an eighth of a one-file parse): its compiled extension, and an identity
    for the file name from the size and modification time of that extension and of the two
    modules that make the compiler's code lists (a new release replaces all three)."""

    def __init__(self) -> None:
        import importlib.machinery
        import importlib.util

        spec = importlib.util.find_spec("regex")
        folder = spec.submodule_search_locations[0]
        names = set(os.listdir(folder))
        extension = next(n for n in ("_regex" + s for s in importlib.machinery.EXTENSION_SUFFIXES) if n in names)
        self.extension = os.path.join(folder, extension)
        parts = []
        for name in (extension, "_main.py", "_regex_core.py"):
            st = os.stat(os.path.join(folder, name))
            parts.append(f"{st.st_size}.{st.st_mtime_ns}")
        import zlib

        self.identity = f"{zlib.crc32('-'.join(parts).encode()):08x}"


@functools.lru_cache(maxsize=None)
def _regex_files() -> _RegexFiles:
    return _RegexFiles()


def _c_regex():
    """regex's C module (regex._regex), loaded without the package when the package is not
    imported: it builds a pattern from stored compiler arguments by itself. The package, if
    imported later, finds it in sys.modules and uses it (its `from regex import _regex`); the
    C module imports regex._main itself where it needs Python code (a replacement template)."""
    module = sys.modules.get("regex._regex")
    if module is None:
        import importlib.util

        spec = importlib.util.spec_from_file_location("regex._regex", _regex_files().extension)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        sys.modules["regex._regex"] = module
    return module


_regex_engine: "_RegexModule | None" = None
_stdlib_engine: "_StdlibRe | None" = None


def install() -> None:
    """Load the stored patterns into the stdlib's cache, keep the `regex` ones for compile() to
    build, and note the patterns compiled from now on."""
    global _derived, _regex_engine, _stdlib_engine, _file_identity
    try:
        path = _cache_file()
        if path is None:
            return
        engines = [_RegexModule(), _StdlibRe()]
    except Exception:  # noqa: BLE001 - an engine without these internals: compile as usual
        return
    stats["file"] = str(path)
    _derived = {}
    try:
        layout, identity, stored_engines, stored_derived = marshal.loads(path.read_bytes())
        if layout != FORMAT or len(stored_engines) != len(engines):
            raise ValueError("another layout")
        for engine, entries in zip(engines, stored_engines):
            for key, args in entries:
                engine.load(key, args)
        _derived.update(stored_derived)
        _file_identity = identity
    except Exception:  # noqa: BLE001 - missing, torn, foreign or refused: compile as usual
        for engine in engines:
            engine.known.clear()
        _derived.clear()
        _file_identity = None
    stats["loaded"] = sum(len(e.known) for e in engines)
    stats["derived_loaded"] = len(_derived)
    engines[1].note_new()
    _regex_engine, _stdlib_engine = engines
    if "regex" in sys.modules:   # imported already (by a caller): hooked now, as it would be at a miss
        _regex_engine.note_new()
    atexit.register(_save, path, engines)


def compile(pattern, flags=0):
    """regex.compile(pattern, flags): built from the stored arguments by regex's C module when the
    file holds the pattern (the `regex` package is then not imported), else compiled by `regex`
    (imported, and noted for the file)."""
    engine = _regex_engine
    if engine is None:
        return regex_module().compile(pattern, flags)
    return engine.compile(pattern, flags)


def regex_module():
    """The `regex` package, imported (and hooked, so that its new patterns are noted for the file)."""
    engine = _regex_engine
    if engine is not None and engine.main is None:
        engine.note_new()
    import regex

    return regex


class _NotingCompiler:
    """An engine's C module whose compile also hands its arguments to `note`."""

    def __init__(self, c_module, note) -> None:
        self._c_module, self._note = c_module, note

    def __getattr__(self, name):
        return getattr(self._c_module, name)

    def compile(self, *args):
        compiled = self._c_module.compile(*args)
        self._note(args)
        return compiled


class _Engine:
    """What both engines share: the patterns known from the file, those compiled here, those asked
    for here, and the wrapper around the engine's parse step that tells the C step which pattern
    (pattern, flags) it is building, so `note` can store that pattern's arguments."""

    def __init__(self) -> None:
        self.known: dict = {}        # (pattern, flags) → compiler arguments, from the file
        self.new: dict = {}          # the same, compiled in this process
        self.requested: set = set()  # every plain pattern asked for in this process
        self._pending: list = []     # the pattern being compiled now (None: not a plain one)

    def _compiling(self, parse, plain_key):
        """`parse` (the engine's Python compile step), noting plain_key(*args) while it runs."""
        def parse_and_note(*args):
            self._pending.append(plain_key(*args))
            try:
                return parse(*args)
            finally:
                self._pending.pop()
        return parse_and_note

    def note(self, args) -> None:
        key = self._pending[-1] if self._pending else None
        if key is not None and key not in self.known and self._storable(key):
            self.new[key] = _plain(args)
            stats["compiled"] += 1

    def _storable(self, key) -> bool:
        return True


class _RegexModule(_Engine):
    """The `regex` module: regex._main._compile parses, regex._regex.compile builds. _compile
    sees every regex.compile, hits included. Imported only at the first pattern the file does
    not hold (note_new): until then compile() builds stored patterns with the C module alone."""

    def __init__(self) -> None:
        super().__init__()
        self.main = None           # regex._main, once imported and hooked
        self.built: dict = {}      # (pattern, flags) -> pattern object built from `known`

    def load(self, key, args) -> None:
        self.known[key] = args     # built when asked for (compile), or into regex's cache at note_new

    def compile(self, pattern, flags=0):
        if self.main is None and type(pattern) is str:
            key = (pattern, int(flags))
            compiled = self.built.get(key)
            if compiled is not None:
                return compiled
            args = self.known.get(key)
            if args is not None:
                try:
                    compiled = self.built[key] = _c_regex().compile(*args)
                except Exception:  # noqa: BLE001 - arguments this C module refuses: compiled by regex
                    del self.known[key]
                else:
                    self.requested.add(key)
                    return compiled
        return regex_module().compile(pattern, flags)

    def note_new(self) -> None:
        """Import `regex`, put every stored pattern in its cache and note the new ones."""
        import regex._main as main

        self.main, self.c_module = main, main._regex
        self.default_version = main.DEFAULT_VERSION
        for (pattern, flags), args in list(self.known.items()):
            try:
                compiled = self.built.get((pattern, flags)) or self.c_module.compile(*args)
            except Exception:  # noqa: BLE001 - refused: compiled by regex when asked for
                del self.known[(pattern, flags)]
                continue
            main._cache[(pattern, str, flags, frozenset(), self.default_version, None)] = compiled
            main._named_args[(pattern, str, flags)] = frozenset()
            main._locale_sensitive[(str, pattern)] = False

        def plain_key(pattern, flags, ignore_unused, kwargs, cache_it):
            if type(pattern) is str and not kwargs and cache_it and not (flags & (main.DEBUG | main.LOCALE)):
                self.requested.add((pattern, int(flags)))
                return pattern, int(flags)
            return None

        main._compile = self._compiling(main._compile, plain_key)
        main._regex = _NotingCompiler(self.c_module, self.note)
        # regex pickles a pattern as (main._regex.compile, its data): the C function, not the
        # wrapper's bound method (which holds a module, and does not pickle)
        import copyreg

        c_compile = self.c_module.compile
        copyreg.pickle(main.Pattern, lambda pattern: (c_compile, pattern._pickled_data))

    def _storable(self, key) -> bool:
        return not self.main._locale_sensitive.get((str, key[0]), True)


class _StdlibRe(_Engine):
    """The stdlib `re`: re._compiler.compile parses, _sre.compile builds; re._cache holds the
    result under (type, pattern, flags), looked up by re._compile (which sees the hits too)."""

    def __init__(self) -> None:
        super().__init__()
        import re
        import re._compiler as compiler

        self.re, self.compiler, self.c_module = re, compiler, compiler._sre

    def load(self, key, args) -> None:
        pattern, flags = key
        self.re._cache[(str, pattern, flags)] = self.c_module.compile(*args)
        self.known[key] = args

    def note_new(self) -> None:
        debug_or_locale = int(self.re.DEBUG | self.re.LOCALE)
        original_lookup = self.re._compile

        def lookup_and_note(pattern, flags):
            if type(pattern) is str:
                self.requested.add((pattern, int(flags)))
            return original_lookup(pattern, flags)

        def plain_key(pattern, flags=0):
            return (pattern, int(flags)) if type(pattern) is str and not (int(flags) & debug_or_locale) else None

        self.re._compile = lookup_and_note
        self.compiler.compile = self._compiling(self.compiler.compile, plain_key)
        self.compiler._sre = _NotingCompiler(self.c_module, self.note)


def _plain(args: tuple) -> tuple:
    """The compiler's arguments in types marshal holds: the flags and the code as plain ints
    (the stdlib's code list holds named int constants such as INFO and LITERAL)."""
    return (args[0], int(args[1]), [int(c) for c in args[2]], *args[3:])


MAX_ENTRIES = 2000  # per engine; past it, only the patterns this process asked for are kept


def _kept(every: dict, requested: set, same_code: bool) -> dict:
    """What to store of `every` entry known: all of them when the file was written under this
    code and they are not past MAX_ENTRIES (patterns built from text at run time, say); else only
    those this process asked for (`requested`): the others are another version's, or too many."""
    if same_code and len(every) <= MAX_ENTRIES:
        return every
    return {k: v for k, v in every.items() if k in requested}


def _save(path: Path, engines: list) -> None:
    if not any(e.new for e in engines) and not _derived_new:
        return
    if "POLICYPARSE_PATTERN_CACHE" not in os.environ and sys.dont_write_bytecode:
        return   # like .pyc files: not written under PYTHONDONTWRITEBYTECODE
    tmp = path.with_name(f"{path.name}.{os.getpid()}.{os.urandom(4).hex()}.tmp")
    try:
        identity = code_identity()
        same_code = identity == _file_identity
        entries = [list(_kept({**e.known, **e.new}, e.requested, same_code).items()) for e in engines]
        kept_derived = _kept(_derived, _derived_requested, same_code)   # a dict: install() set it
        data = marshal.dumps((FORMAT, identity, entries, list(kept_derived.items())))
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp.write_bytes(data)
        os.replace(tmp, path)
    except (OSError, ValueError):  # read-only install, full disk, an argument marshal cannot hold
        try:
            tmp.unlink()
        except OSError:
            pass
