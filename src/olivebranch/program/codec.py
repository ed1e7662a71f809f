"""Plain dataclasses to JSON values and back, driven by their type hints (for the stored snapshot).

Handles what the engine's fold keeps: None, bool, int, str, dates, aware
datetimes, string enums, lists, tuples, frozensets and nested dataclasses.
"""

from __future__ import annotations

import dataclasses
import types
import typing
from datetime import date, datetime
from enum import Enum
from typing import Any, TypeVar

T = TypeVar("T")


def to_json(value: Any) -> Any:
    """A JSON value for ``value`` (dates as ISO text, enums as their values)."""
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return [to_json(item) for item in value]
    if isinstance(value, frozenset | set):
        return sorted(to_json(item) for item in value)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return encode_fields(value)
    raise TypeError(f"cannot encode {type(value).__name__}")


def from_json(kind: Any, value: Any) -> Any:
    """The value of type ``kind`` that :func:`to_json` encoded as ``value``."""
    origin = typing.get_origin(kind)
    if origin in (typing.Union, types.UnionType):
        if value is None:
            return None
        (inner,) = [arg for arg in typing.get_args(kind) if arg is not type(None)]
        return from_json(inner, value)
    if origin in (list, tuple, frozenset):
        inner = typing.get_args(kind)[0]
        return origin(from_json(inner, item) for item in value)
    if kind is datetime:
        return datetime.fromisoformat(value)
    if kind is date:
        return date.fromisoformat(value)
    if isinstance(kind, type) and issubclass(kind, Enum):
        return kind(value)
    if isinstance(kind, type) and dataclasses.is_dataclass(kind):
        return decode_fields(kind, value)
    if kind in (bool, int, str):
        if not isinstance(value, kind):
            raise TypeError(f"expected {kind.__name__}, found {type(value).__name__}")
        return value
    raise TypeError(f"cannot decode {kind!r}")


def encode_fields(value: Any, skip: frozenset[str] = frozenset()) -> dict[str, Any]:
    """A dataclass's fields as JSON values, leaving out ``skip`` (fields rebuilt some other way)."""
    return {name: to_json(getattr(value, name)) for name in _hints(type(value)) if name not in skip}


def decode_fields(cls: type[T], value: dict[str, Any], **given: Any) -> T:
    """The dataclass from :func:`encode_fields`, with the fields it left out ``given``."""
    fields = {name: from_json(hint, value[name]) for name, hint in _hints(cls).items() if name not in given}
    return cls(**fields, **given)


_HINTS: dict[type, dict[str, Any]] = {}


def _hints(cls: type) -> dict[str, Any]:
    """The dataclass's fields (those set by its constructor) and their resolved types."""
    found = _HINTS.get(cls)
    if found is None:
        hints = typing.get_type_hints(cls)
        found = _HINTS[cls] = {f.name: hints[f.name] for f in dataclasses.fields(cls) if f.init}
    return found
