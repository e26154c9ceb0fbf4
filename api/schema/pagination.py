"""Cursor pagination: opaque cursors, a maximum page size, clear errors."""

from __future__ import annotations

import base64
import binascii
from collections.abc import Sequence
from typing import Generic, TypeVar

import strawberry

from graph.errors import ValidationError

MAX_PAGE_SIZE = 200
DEFAULT_PAGE_SIZE = 50

T = TypeVar("T")


@strawberry.type
class PageInfo:
    end_cursor: str | None
    has_next_page: bool


@strawberry.type
class Connection(Generic[T]):
    items: list[T]
    page_info: PageInfo
    total_count: int = strawberry.field(
        description="How many items match, before paging (never counts hidden values)."
    )


def check_first(first: int) -> int:
    if first < 1 or first > MAX_PAGE_SIZE:
        raise ValidationError(
            f"first={first} is outside 1..{MAX_PAGE_SIZE} (the maximum page size); "
            "ask for fewer and page on with `after: pageInfo.endCursor`",
            field="first",
        )
    return first


def encode(kind: str, value: str) -> str:
    return base64.urlsafe_b64encode(f"{kind}:{value}".encode()).decode().rstrip("=")


def decode(cursor: str, kind: str) -> str:
    """The value inside a cursor this API gave out, or ValidationError."""
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
    except (binascii.Error, UnicodeDecodeError, ValueError):
        raw = ""
    prefix, sep, value = raw.partition(":")
    if not sep or prefix != kind:
        raise ValidationError(
            f"cursor {cursor[:40]!r} is not one this list gave out; "
            "pass pageInfo.endCursor from the previous page",
            field="after",
        )
    return value


def offset_page(items: Sequence[T], first: int, after: str | None) -> Connection[T]:
    """Page a list already in memory, with offset cursors."""
    check_first(first)
    start = 0
    if after is not None:
        value = decode(after, "o")
        if not value.isdigit():
            raise ValidationError(f"cursor {after[:40]!r} is damaged", field="after")
        start = int(value)
    chunk = list(items[start : start + first])
    end = start + len(chunk)
    more = end < len(items)
    return Connection(
        items=chunk,
        page_info=PageInfo(end_cursor=encode("o", str(end)) if chunk else None, has_next_page=more),
        total_count=len(items),
    )
