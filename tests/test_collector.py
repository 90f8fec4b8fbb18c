"""The cyclic collector is held off while a document is parsed and built (collector.py), and left
as the caller had it."""
from __future__ import annotations

import gc
from pathlib import Path

import pytest

from policyparse import collector, parse_file
from policyparse.model import document_from_record
from policyparse.outline import Node
from policyparse.pipeline import parse_record

SEED = sorted((Path(__file__).resolve().parent.parent / "seeds").glob("*.txt"))[0]


@pytest.fixture
def passes():
    """The collector passes started while the test runs, as a list of generations."""
    started: list[int] = []

    def note(phase, info):
        if phase == "start":
            started.append(info["generation"])

    gc.collect()
    gc.callbacks.append(note)
    try:
        yield started
    finally:
        gc.callbacks.remove(note)


def _record():
    return parse_record(SEED.read_text(encoding="utf-8"), source=SEED.name)


def test_a_parse_runs_no_collector_pass(passes):
    assert gc.isenabled()
    record = _record()
    built = document_from_record(record)
    assert passes == [] and built.sections and gc.isenabled()


def test_the_unpaused_functions_would_run_passes(passes):
    # what the test above guards against: without the pause a seed's parse runs passes
    text = SEED.read_text(encoding="utf-8")
    record = parse_record.__wrapped__(text, source=SEED.name)
    document_from_record.__wrapped__(record)
    assert len(passes) > 0


def test_a_caller_that_turned_it_off_keeps_it_off(passes):
    gc.disable()
    try:
        parse_file(SEED)
        assert not gc.isenabled() and passes == []
    finally:
        gc.enable()


def test_it_is_on_again_after_a_raise():
    @collector.paused
    def fails():
        assert not gc.isenabled()
        raise ValueError("inside")

    with pytest.raises(ValueError, match="inside"):
        fails()
    assert gc.isenabled()


def test_nested_pauses_turn_it_on_once_at_the_outer_end():
    @collector.paused
    def inner():
        return gc.isenabled()

    @collector.paused
    def outer():
        return inner(), gc.isenabled()

    assert outer() == (False, False) and gc.isenabled()


def test_the_outline_trees_cycles_are_freed_after_the_parse():
    def nodes():
        return sum(1 for o in gc.get_objects() if isinstance(o, Node))

    gc.collect()
    before = nodes()
    for _ in range(3):
        parse_file(SEED)
    gc.collect()
    assert nodes() == before
