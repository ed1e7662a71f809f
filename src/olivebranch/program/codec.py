"""Plain dataclasses to JSON values and back, driven by their type hints (for the stored snapshot).

Handles what the engine's fold keeps: None, bool, int, str, dates, aware
datetimes, string enums, lists, tuples, frozensets and nested dataclasses.
"""

from __future__ import annotations

import dataclasses
import types
import typing
from collections.abc import Callable
from datetime import date, datetime
from enum import Enum
from functools import partial
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
    return _decoder(kind)(value)


_DECODERS: dict[Any, Callable[[Any], Any]] = {}


def _decoder(kind: Any) -> Callable[[Any], Any]:
    """A function decoding values of ``kind``, made once per type (snapshots are read on every page)."""
    found = _DECODERS.get(kind)
    if found is None:
        found = _DECODERS[kind] = _make_decoder(kind)
    return found


def _make_decoder(kind: Any) -> Callable[[Any], Any]:
    origin = typing.get_origin(kind)
    if origin in (typing.Union, types.UnionType):
        (inner,) = [_decoder(arg) for arg in typing.get_args(kind) if arg is not type(None)]
        return lambda value: None if value is None else inner(value)
    if origin in (list, tuple, frozenset):
        item = _decoder(typing.get_args(kind)[0])
        return lambda value: origin(item(each) for each in value)
    if kind is datetime:
        return datetime.fromisoformat
    if kind is date:
        return date.fromisoformat
    if isinstance(kind, type) and issubclass(kind, Enum):
        return kind
    if isinstance(kind, type) and dataclasses.is_dataclass(kind):
        return lambda value: decode_fields(kind, value)
    if kind in (bool, int, str):
        return partial(_plain, kind)
    raise TypeError(f"cannot decode {kind!r}")


def _plain(kind: type, value: Any) -> Any:
    if not isinstance(value, kind):
        raise TypeError(f"expected {kind.__name__}, found {type(value).__name__}")
    return value


def encode_fields(value: Any, skip: frozenset[str] = frozenset()) -> dict[str, Any]:
    """A dataclass's fields as JSON values, leaving out ``skip`` (fields rebuilt some other way)."""
    return {name: to_json(getattr(value, name)) for name in _hints(type(value)) if name not in skip}


def decode_fields(cls: type[T], value: dict[str, Any], **given: Any) -> T:
    """The dataclass from :func:`encode_fields`, with the fields it left out ``given``."""
    decoders = _field_decoders(cls, frozenset(given))
    return cls(**{name: decode(value[name]) for name, decode in decoders}, **given)


_FIELD_DECODERS: dict[tuple[type, frozenset[str]], list[tuple[str, Callable[[Any], Any]]]] = {}


def _field_decoders(cls: type, given: frozenset[str]) -> list[tuple[str, Callable[[Any], Any]]]:
    found = _FIELD_DECODERS.get((cls, given))
    if found is None:
        found = [(name, _decoder(hint)) for name, hint in _hints(cls).items() if name not in given]
        _FIELD_DECODERS[(cls, given)] = found
    return found


_HINTS: dict[type, dict[str, Any]] = {}


def _hints(cls: type) -> dict[str, Any]:
    """The dataclass's fields (those set by its constructor) and their resolved types."""
    found = _HINTS.get(cls)
    if found is None:
        hints = typing.get_type_hints(cls)
        found = _HINTS[cls] = {f.name: hints[f.name] for f in dataclasses.fields(cls) if f.init}
    return found
