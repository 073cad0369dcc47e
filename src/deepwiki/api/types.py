"""Field types shared by API schemas."""

from typing import Annotated

from pydantic import AfterValidator, Field


def _no_null(value: str) -> str:
    if "\x00" in value:
        raise ValueError("Null characters are not allowed.")
    return value


def Text(max_length: int, **kwargs):  # noqa: N802 - reads like a type
    """A string without NUL bytes (PostgreSQL refuses them) and with a length cap."""
    return Annotated[
        str, Field(max_length=max_length, **kwargs), AfterValidator(_no_null)
    ]
