#!/usr/bin/env python3
"""Atheris fuzz target: the parse of decoded bytes (record and model); every span must be valid,
and no input may be slow (MAX_SECONDS_PER_INPUT of CPU per 8 KB: slowness is a failure).

Setup (once; atheris is a fuzzing tool, not a project dependency):

    .venv/bin/pip install atheris

A 10-minute run (the first folder is the working corpus, seeded with slices of seeds/*.txt when
empty; crashes are written as files named crash-<sha1> under the artifact prefix):

    mkdir -p /tmp/pp-fuzz/corpus /tmp/pp-fuzz/artifacts
    .venv/bin/python fuzz/fuzz_parse.py /tmp/pp-fuzz/corpus \
        -max_total_time=600 -timeout=10 -rss_limit_mb=4096 -max_len=8192 \
        -artifact_prefix=/tmp/pp-fuzz/artifacts/ -print_final_stats=1

Replay one crash:   .venv/bin/python fuzz/fuzz_parse.py /tmp/pp-fuzz/artifacts/crash-<sha1>
Other libFuzzer flags: -jobs=2 -workers=2 (both cores), -runs=N (a fixed number of inputs).

Each input is tried two ways: as file bytes through policyparse.reading.decode_bytes (which may
only refuse with InputError/DecodeError), and as UTF-8 with replacement through parse_text. The
checks are the documented invariants: spans [start, end) inside the text after a BOM is dropped,
titles and labels exact, depth == len(path), children one level deeper, targets' raw inside their
span, the JSON round-trips through the Document model, and the plain record the CLI writes gives
the model's JSON byte for byte. Anything else raised is a crash.
"""
from __future__ import annotations

import os
import sys
import time
from pathlib import Path

import atheris

with atheris.instrument_imports():
    import policyparse
    import policyparse.extract.header  # noqa: F401  - imported here so they are instrumented
    import policyparse.extract.targets  # noqa: F401
    import policyparse.extract.units  # noqa: F401
    import policyparse.outline  # noqa: F401
    import policyparse.pipeline  # noqa: F401
    import policyparse.reading
    from policyparse.emit import record_json
    from policyparse.errors import InputError
    from policyparse.model import Document
    from policyparse.normalize import drop_bom

REPO = Path(__file__).resolve().parents[1]


def check(doc: Document, text: str) -> None:
    source = drop_bom(text)
    n = len(source)

    def inside(span) -> bool:
        return span is not None and 0 <= span[0] <= span[1] <= n

    last_start = -1
    for s in doc.iter_sections():
        assert inside(s.span), ("section span", s.label, s.span, n)
        assert inside(s.title_span), ("title span", s.label, s.title_span, n)
        assert source[s.title_span[0]:s.title_span[1]] == s.title, ("title", s.title)
        if s.style == "dash":
            assert s.label == "—" and source[s.span[0]] in "-—―─－", ("dash", s.span)
        else:
            assert source[s.span[0]:s.span[0] + len(s.label)] == s.label, ("label", s.label, s.span)
        assert s.depth == len(s.path) >= 1, ("depth", s.depth, s.path)
        assert s.span[0] > last_start, ("sections out of document order", s.span)
        last_start = s.span[0]
        for c in s.children:
            assert c.depth == s.depth + 1, ("child depth", c.depth, s.depth)
        if s.units is not None:
            assert inside(s.units.span), ("units span", s.units.span)
    for t in doc.targets:
        assert inside(t.span), ("target span", t.raw, t.span)
        assert t.raw in source[t.span[0]:t.span[1]], ("target raw", t.raw, source[t.span[0]:t.span[1]])
        assert t.value_max is None or t.value_max >= t.value
    for w in doc.warnings:
        assert w.span is None or inside(w.span), ("warning span", w.span)
    again = Document.model_validate_json(doc.model_dump_json())
    assert again == doc, "JSON round trip changed the document"


def parse_checked(text: str) -> Document:
    """parse_text's Document, built the way the CLI builds its output too: the plain record must
    validate, and its JSON (orjson, what `policyparse parse` writes) must equal the model's."""
    record = policyparse.pipeline.parse_record(text, source="<fuzz>", encoding="str")
    doc = Document.model_validate(record)
    assert record_json(record) == doc.model_dump_json(indent=2), "the CLI's JSON differs from the model's"
    return doc


# Slowness is a failure: an input of at most -max_len bytes (8 KB) that takes longer than this
# to parse is a pattern gone superlinear (a parse of 8 KB takes about 10 ms). libFuzzer's own
# -timeout only catches a hang; this catches a 100x slowdown on a small input. CPU time, so a
# busy machine does not make it fail.
MAX_SECONDS_PER_INPUT = float(os.environ.get("PP_FUZZ_MAX_SECONDS", "1.0"))
# And the texts that aim at the patterns: the input's first 64 bytes, repeated to this size.
REPEATED_BYTES = 20_000


def _timed(text: str) -> Document:
    t0 = time.process_time()
    doc = parse_checked(text)
    elapsed = time.process_time() - t0
    if elapsed > MAX_SECONDS_PER_INPUT * max(1, len(text) // 8192):
        raise AssertionError(f"slow: {elapsed:.2f} s CPU for {len(text)} characters: {text[:80]!r}")
    return doc


def TestOneInput(data: bytes) -> None:
    try:
        decoded = policyparse.reading.decode_bytes(data, "<fuzz>")
    except InputError:
        pass  # a clear refusal (empty, binary, undecodable) is a valid answer
    else:
        check(_timed(decoded.text), decoded.text)
    text = data.decode("utf-8", errors="replace")
    check(_timed(text), text)
    if 2 <= len(text) and data[:1] == b"R":   # repeat a fragment thousands of times
        unit = text[1:65]
        long = unit * max(1, REPEATED_BYTES // max(1, len(unit.encode("utf-8"))))
        check(_timed(long), long)


def _seed_corpus(folder: Path) -> None:
    """Slices of the seed documents (heads, middles, heading blocks) as starting inputs."""
    folder.mkdir(parents=True, exist_ok=True)
    i = 0
    for seed in sorted((REPO / "seeds").glob("*.txt")):
        text = seed.read_text(encoding="utf-8")
        for start in range(0, len(text), 1500):
            chunk = text[start:start + 1500]
            (folder / f"seed_{i:04d}").write_bytes(chunk.encode("utf-8"))
            i += 1
            if start == 0:  # the same head in GB18030 and with a BOM
                (folder / f"seed_{i:04d}").write_bytes(chunk.encode("gb18030"))
                (folder / f"seed_{i + 1:04d}").write_bytes(b"\xef\xbb\xbf" + chunk.encode("utf-8"))
                i += 2


def _seed_repeats(folder: Path) -> None:
    """'R' + a fragment of the patterns' own words: TestOneInput repeats it thousands of times."""
    sys.path.insert(0, str(REPO / "tests"))
    from attacks import ATTACKS, FRAGMENTS

    frags = FRAGMENTS + [head + frag + tail for head, frag, tail in ATTACKS.values()]
    for i, frag in enumerate(frags):
        (folder / f"repeat_{i:04d}").write_bytes(b"R" + frag.encode("utf-8"))


def main() -> None:
    dirs = [a for a in sys.argv[1:] if not a.startswith("-") and os.path.isdir(a)]
    if dirs and not any(Path(dirs[0]).iterdir()):
        _seed_corpus(Path(dirs[0]))
        _seed_repeats(Path(dirs[0]))
    atheris.Setup(sys.argv, TestOneInput)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
