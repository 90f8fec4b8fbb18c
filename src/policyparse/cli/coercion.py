"""Command-line values without pydantic: typer's coercion for the plain values our options take.

Typer 0.29 coerces every value of the invoked command through a pydantic TypeAdapter built for
each parameter, and importing pydantic and building the adapters costs more than parsing a
document (~90 ms of a one-file `parse`). Our options are a small closed set of types (bool, str,
int and float with `min=`, Path, list[str], str Enums, each possibly Optional), so `install()`
puts a runtime parameter in front of typer's: it converts a well-formed value the way typer's
adapter would (the same value, of the same type), and hands anything else (a malformed or
out-of-range value, an annotation or option it does not cover) to typer's own pydantic coercion.
So an error is worded exactly as before (cli/messages.py), and pydantic is imported only then.
tests/test_cli_coercion.py compares both layers on every parameter of every command.
"""
from __future__ import annotations

import re
from enum import Enum
from pathlib import Path
from typing import Any, Callable, Optional, get_args, get_origin

from typer._coercion import RuntimeParam

_NOT_FAST = object()  # "hand this value to typer's own coercion"

# ASCII digits only: int() and float() also read other scripts' digits ("１２"), pydantic does not.
_INT = re.compile(r"-?[0-9]{1,18}")
_FLOAT = re.compile(r"[0-9]{1,18}(?:\.[0-9]{1,18})?")


# Each converter: (value, parameter_info, ctx, param) -> the coerced value, or _NOT_FAST.

def _to_str(value: Any, info: Any, ctx: Any, param: Any) -> Any:
    return value if type(value) is str else _NOT_FAST


def _to_bool(value: Any, info: Any, ctx: Any, param: Any) -> Any:
    return value if type(value) is bool else _NOT_FAST


def _in_range(number: Any, info: Any) -> Any:
    if info.min is not None and not number >= info.min:
        return _NOT_FAST
    if info.max is not None and not number <= info.max:
        return _NOT_FAST
    return number


def _to_int(value: Any, info: Any, ctx: Any, param: Any) -> Any:
    if type(value) is str and _INT.fullmatch(value):
        value = int(value)
    elif type(value) is not int:
        return _NOT_FAST
    return _in_range(value, info)


def _to_float(value: Any, info: Any, ctx: Any, param: Any) -> Any:
    if type(value) is str and _FLOAT.fullmatch(value):
        value = float(value)
    elif type(value) is int or type(value) is float:
        value = float(value)
    else:
        return _NOT_FAST
    return _in_range(value, info)


def _enum_converter(annotation: type[Enum]) -> Callable[..., Any]:
    choices = tuple(annotation)

    def to_enum(value: Any, info: Any, ctx: Any, param: Any) -> Any:
        from typer._param_types import coerce_cli_choice

        try:
            return coerce_cli_choice(value, choices=choices, case_sensitive=info.case_sensitive, ctx=ctx)
        except ValueError:
            return _NOT_FAST

    return to_enum


def _path_converter(annotation: type[Path]) -> Callable[..., Any]:
    def to_path(value: Any, info: Any, ctx: Any, param: Any) -> Any:
        # pydantic turns a non-empty str into annotation(value); typer then checks the options
        # (exists=, dir_okay= …) on that Path. Any complaint is left to typer, worded by it.
        if type(value) is not str or not value:
            return _NOT_FAST
        from typer._click.exceptions import BadParameter
        from typer._param_types import coerce_cli_path

        try:
            return coerce_cli_path(annotation(value), info, path_type=annotation, param=param, ctx=ctx)
        except BadParameter:
            return _NOT_FAST

    return to_path


def _leaf_converter(annotation: Any, info: Any) -> Optional[Callable[..., Any]]:
    """The fast converter for one (non-list) annotation, or None when typer's own must do."""
    if annotation is bool:
        return _to_bool
    if annotation is str:
        return _to_str
    if annotation is int:
        return _to_int
    if annotation is float:
        return _to_float
    if isinstance(annotation, type) and issubclass(annotation, Enum):
        return _enum_converter(annotation)
    if isinstance(annotation, type) and issubclass(annotation, Path) and info.path_type is None:
        return _path_converter(annotation)
    return None


def _converter(descriptor: Any) -> Optional[Callable[..., Any]]:
    """The parameter's converter; None if it is not one of the covered kinds."""
    info = descriptor.parameter_info
    if descriptor.file_annotation is not None or info.parser is not None or info.clamp:
        return None
    annotation = descriptor.annotation
    if get_origin(annotation) is list:
        (item,) = get_args(annotation)
        if get_origin(item) is not None:
            return None
        leaf = _leaf_converter(item, info)
        if leaf is None:
            return None

        def to_list(value: Any, info: Any, ctx: Any, param: Any) -> Any:
            out = []
            for one in value if isinstance(value, (list, tuple)) else [value]:
                one = leaf(one, info, ctx, param)
                if one is _NOT_FAST:
                    return _NOT_FAST
                out.append(one)
            return out

        return to_list
    if get_origin(annotation) is not None:
        return None
    return _leaf_converter(annotation, info)


class _FastRuntimeParam(RuntimeParam):
    """typer's runtime parameter for one covered parameter: `convert`, else typer's own. (Not a
    dataclass of its own: making one costs ~1 ms at every start; RuntimeParam's fields are set
    by its __init__, and a frozen dataclass lets a subclass set attributes of its own.)"""

    def __init__(self, descriptor: Any, convert: Callable[..., Any], typers_own: Callable[[Any], Any]) -> None:
        super().__init__(annotation=descriptor.annotation, parameter_info=descriptor.parameter_info)
        self.descriptor, self.convert, self.typers_own = descriptor, convert, typers_own

    def _coerce_value(self, value: Any, param: Any, ctx: Any) -> Any:
        out = self.convert(value, self.parameter_info, ctx, param)
        if out is _NOT_FAST:
            out = self.typers_own(self.descriptor)._coerce_value(value, param=param, ctx=ctx)
        return out


def install() -> None:
    """Put the fast runtime parameter in front of typer's (typer has no hook for this: typer.core
    looks `build_runtime_param` up as a module global each time a parameter is first coerced)."""
    import typer.core

    if getattr(typer.core.build_runtime_param, "policyparse_fast", False):
        return
    typers_own = typer.core.build_runtime_param

    def build_runtime_param(descriptor: Any) -> Any:
        convert = _converter(descriptor)
        if convert is None:
            return typers_own(descriptor)
        return _FastRuntimeParam(descriptor, convert, typers_own)

    build_runtime_param.policyparse_fast = True  # type: ignore[attr-defined]
    build_runtime_param.typers_own = typers_own  # type: ignore[attr-defined]
    typer.core.build_runtime_param = build_runtime_param
