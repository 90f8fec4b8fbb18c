"""cli/coercion.py: command-line values converted without pydantic, exactly as typer's own coercion.

Every parameter of every command is run through both layers, ours and typer's pydantic one, on the
same values: the result (value and type) or the error message must be the same (that pydantic then
stays out of a one-file parse is tests/test_cli_startup.py's).
"""
from __future__ import annotations

from enum import Enum
from pathlib import Path

import pytest
from hypothesis import given, settings, strategies as st

import typer.core
from typer._click import Context
from typer._click.exceptions import BadParameter
from typer.main import get_command

from policyparse.cli import app
from policyparse.cli.coercion import _converter

def _parameters():
    """(command name, click command, parameter) for every typed parameter of the CLI, root included."""
    root = get_command(app)
    out = [("(root)", root, p) for p in root.params if hasattr(p, "type_descriptor")]
    for name, command in root.commands.items():
        out += [(name, command, p) for p in command.params if hasattr(p, "type_descriptor")]
    return out


PARAMETERS = _parameters()
TYPERS_OWN = typer.core.build_runtime_param.typers_own


def _coerce(runtime, value, command, param):
    """('ok', value, type) or ('error', message) from one runtime parameter."""
    try:
        got = runtime.coerce(value, param=param, ctx=Context(command))
    except BadParameter as e:
        return ("error", e.format_message())
    return ("ok", got, type(got), [type(x) for x in got] if isinstance(got, (list, tuple)) else None)


def _both(command, param, value):
    ours = typer.core.build_runtime_param(param.type_descriptor)
    theirs = TYPERS_OWN(param.type_descriptor)
    return _coerce(ours, value, command, param), _coerce(theirs, value, command, param)


# Values of each kind: well-formed ones (converted by us) and malformed or out-of-range ones (handed on).
STRINGS = ["", "x", "out", "-", " spaced ", "市发改委", "a\udcffb", "1", "tcp://h:8786", "a,b"]
INTS = ["0", "7", "007", "-0", "-1", "+5", " 5", "1_000", "1.0", "1.5", "0x10", "１２", "٣", "abc", "",
        "99999999999999999999", 3, 0, -2]
FLOATS = ["0", "60", "0.5", "1.", ".5", "1e3", "inf", "nan", "-0.5", "-0", "1_0", "１", "one", "", 3, 0.25, -1.0]
PATHS = ["gold", "a//b/", "", ".", "/tmp", "seeds", "\udcff", Path("p")]


def _values(param):
    desc = param.type_descriptor
    ann = desc.annotation
    leaf = ann.__args__[0] if getattr(ann, "__origin__", None) is list else ann
    if isinstance(leaf, type) and issubclass(leaf, Enum):
        vals = [m.value for m in leaf] + list(leaf) + ["nonsense", m_upper(leaf), ""]
    elif leaf is int:
        vals = INTS
    elif leaf is float:
        vals = FLOATS
    elif isinstance(leaf, type) and issubclass(leaf, Path):
        vals = PATHS
    elif leaf is bool:
        vals = [True, False, "true", "no", "maybe", 1]
    else:
        vals = STRINGS
    if leaf is not ann:                      # a list: a tuple of values as click passes it, and one value
        vals = [tuple(vals[:3]), tuple(vals), vals[0], ()]
    return [None, *vals]


def m_upper(enum):
    return next(iter(enum)).value.upper()


@pytest.mark.parametrize("name, command, param", PARAMETERS, ids=[f"{n}:{p.name}" for n, _, p in PARAMETERS])
def test_every_parameter_is_covered_and_coerces_as_typer_does(name, command, param):
    assert _converter(param.type_descriptor) is not None, f"{name} {param.name}: typer's pydantic coercion would run"
    for value in _values(param):
        ours, theirs = _both(command, param, value)
        assert ours == theirs, (name, param.name, value)


def _by_type(kind):
    return [(c, p) for _, c, p in PARAMETERS
            if p.type_descriptor.annotation is kind and p.type_descriptor.parameter_info.min is not None]


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="0123456789-+._e x１", max_size=8))
def test_numbers_read_as_typer_reads_them(text):
    for kind in (int, float):
        for command, param in _by_type(kind)[:1]:
            ours, theirs = _both(command, param, text)
            assert ours == theirs, (kind, text)


def test_the_table_covers_both_outcomes():
    """The cases above are not all errors or all successes: both paths are exercised per kind."""
    (command, param), = _by_type(int)[:1]
    results = [_both(command, param, v)[0][0] for v in INTS]
    assert "ok" in results and "error" in results


def test_errors_are_still_in_our_words():
    command, param = _by_type(int)[0]
    ours, _ = _both(command, param, "-1")
    assert ours == ("error", "Invalid value for '--jobs' / '-j': -1 is too small: the smallest allowed is 0")
