"""Usage errors in the CLI's own words.

Typer coerces command-line values with pydantic and passes pydantic's wording through
(`Value error, 'nonsense' is not one of …`, `Input should be a valid integer, unable to parse
string as an integer`). Each kind of error pydantic reports is rewritten here, from one table,
into a sentence that says what was given and what is allowed.
"""
from __future__ import annotations

from typing import Any

# pydantic error type → message; {input} is the value given, other names come from the error's ctx.
MESSAGES: dict[str, str] = {
    "int_parsing": "{input!r} is not a whole number",
    "int_from_float": "{input!r} is not a whole number",
    "float_parsing": "{input!r} is not a number",
    "bool_parsing": "{input!r} is not one of: true, false, yes, no, 1, 0",
    "greater_than_equal": "{input} is too small: the smallest allowed is {ge}",
    "greater_than": "{input} is too small: it must be more than {gt}",
    "less_than_equal": "{input} is too large: the largest allowed is {le}",
    "less_than": "{input} is too large: it must be less than {lt}",
    "enum": "{input!r} is not one of: {expected}",
    "missing": "a value is required",
}
_DROP_PREFIXES = ("Value error, ", "Assertion failed, ")


def human_message(error: dict[str, Any]) -> str:
    """One pydantic error (an item of ValidationError.errors()) as a sentence for people."""
    template = MESSAGES.get(error.get("type", ""))
    if template is not None:
        ctx = dict(error.get("ctx") or {})
        if "expected" in ctx:
            ctx["expected"] = str(ctx["expected"]).replace("'", "").replace(" or ", ", ")
        try:
            return template.format(input=error.get("input"), **ctx)
        except (KeyError, IndexError, ValueError):
            pass
    msg = str(error.get("msg", ""))
    for prefix in _DROP_PREFIXES:
        if msg.startswith(prefix):
            msg = msg[len(prefix):]
    return msg.rstrip(".")


def _error_msg(exc: Any) -> str:
    errors = exc.errors()
    text = human_message(errors[0]) if errors else str(exc)
    # as typer does: no terminal control characters from the user's input reach the screen
    return "".join(ch if ch.isprintable() else repr(ch)[1:-1] for ch in text)


def install() -> None:
    """Route typer's coercion errors through `human_message` (typer has no hook for this)."""
    import typer._coercion
    import typer._param_types

    typer._coercion.get_error_msg = _error_msg
    typer._param_types.get_error_msg = _error_msg
