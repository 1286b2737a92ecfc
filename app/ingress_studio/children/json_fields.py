"""Strict readers of one JSON object's fields: a wrong or missing type is `Malformed`, an unknown field is ignored."""

from __future__ import annotations

from collections.abc import Mapping
from enum import Enum
from typing import Any, TypeVar

EnumT = TypeVar("EnumT", bound=Enum)


class Malformed(ValueError):
    """A line whose fields do not have the documented types; the message names the field and what it must be."""


class Fields:
    """The fields of one JSON object, read with the type each must have (a bool is never a number)."""

    def __init__(self, values: Mapping[str, Any]) -> None:
        self._values = values

    def _get(self, name: str, expected: str) -> Any:
        if name not in self._values:
            raise Malformed(f"“{name}” is missing (it must be {expected})")
        return self._values[name]

    @staticmethod
    def _wrong(name: str, expected: str) -> Malformed:
        return Malformed(f"“{name}” must be {expected}")

    def text(self, name: str) -> str:
        value = self._get(name, "a string")
        if not isinstance(value, str):
            raise self._wrong(name, "a string")
        return value

    def optional_text(self, name: str) -> str | None:
        if self._values.get(name) is None:
            return None
        return self.text(name)

    def choice(self, name: str, kind: type[EnumT]) -> EnumT:
        """A string that must be one of an Enum's values."""
        value = self.text(name)
        try:
            return kind(value)
        except ValueError:
            raise Malformed(f"“{name}” must be one of {', '.join(str(c.value) for c in kind)}") from None

    def integer(self, name: str) -> int:
        value = self._get(name, "an integer")
        if isinstance(value, bool) or not isinstance(value, int):
            raise self._wrong(name, "an integer")
        return value

    def integer_or(self, name: str, default: int) -> int:
        """An integer, or `default` when absent: a field an older version did not send yet."""
        return self.integer(name) if name in self._values else default

    def text_or(self, name: str, default: str) -> str:
        """A string, or `default` when absent: a field an older version did not send yet."""
        return self.text(name) if name in self._values else default

    def optional_integer(self, name: str) -> int | None:
        if self._values.get(name) is None:
            return None
        return self.integer(name)

    def number(self, name: str) -> float:
        value = self._get(name, "a number")
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise self._wrong(name, "a number")
        return float(value)

    def optional_number(self, name: str) -> float | None:
        """A number, or null (present as null or absent)."""
        if self._values.get(name) is None:
            return None
        return self.number(name)

    def flag(self, name: str) -> bool:
        value = self._get(name, "true or false")
        if not isinstance(value, bool):
            raise self._wrong(name, "true or false")
        return value

    def optional_flag(self, name: str) -> bool | None:
        if self._values.get(name) is None:
            return None
        return self.flag(name)

    def optional_object(self, name: str) -> Fields | None:
        """The fields of a nested object, or None (present as null or absent)."""
        value = self._values.get(name)
        if value is None:
            return None
        if not isinstance(value, dict):
            raise self._wrong(name, "an object or null")
        return Fields(value)

    def texts(self, name: str) -> tuple[str, ...]:
        value = self._get(name, "a list of strings")
        if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
            raise self._wrong(name, "a list of strings")
        return tuple(value)

    def numbers(self, name: str) -> tuple[float, ...]:
        value = self._get(name, "a list of numbers")
        if not isinstance(value, list) or any(isinstance(n, bool) or not isinstance(n, int | float) for n in value):
            raise self._wrong(name, "a list of numbers")
        return tuple(float(n) for n in value)

    def objects(self, name: str) -> tuple[Fields, ...]:
        value = self._get(name, "a list of objects")
        if not isinstance(value, list) or not all(isinstance(item, dict) for item in value):
            raise self._wrong(name, "a list of objects")
        return tuple(Fields(item) for item in value)


def version_mismatch(fields: Fields, expected: int, program: str, protocol_name: str) -> str | None:
    """A hello line's `protocol` against the one this client speaks: None when they agree, else the sentence."""
    protocol, version = fields.integer("protocol"), fields.text("version")
    if protocol == expected:
        return None
    return (
        f"The {program} (Ingress Studio {version}) speaks {protocol_name} {protocol} and this window speaks "
        f"{expected}: install matching versions."
    )
