"""Helpers shared by the tests of every app."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from django.db import DEFAULT_DB_ALIAS, connections
from django.test.utils import CaptureQueriesContext


class QueryCount:
    """The queries a block ran: ``count`` and their ``sql`` (filled in when the block ends)."""

    def __init__(self) -> None:
        self.sql: list[str] = []

    @property
    def count(self) -> int:
        return len(self.sql)

    def __repr__(self) -> str:
        return f"<{self.count} queries>"


@contextmanager
def assert_query_budget(
    at_most: int | None = None, *, exactly: int | None = None, using: str = DEFAULT_DB_ALIAS
) -> Iterator[QueryCount]:
    """The one way the tests check query counts.

    ``with assert_query_budget(12):`` fails when the block runs more than 12 queries;
    ``exactly=`` pins the number; with neither the block is only counted. The "same number for 1
    and for N rows" form compares two blocks::

        with assert_query_budget() as few:
            client.get(url)
        ...add rows...
        with assert_query_budget(exactly=few.count):
            client.get(url)

    A failure lists the SQL, so the extra query is visible at once.
    """
    result = QueryCount()
    with CaptureQueriesContext(connections[using]) as ctx:
        yield result
    result.sql = [query["sql"] for query in ctx.captured_queries]
    listing = "\n".join(f"{i}. {sql}" for i, sql in enumerate(result.sql, start=1))
    if exactly is not None:
        assert result.count == exactly, f"{result.count} truy vấn, cần đúng {exactly}:\n{listing}"
    if at_most is not None:
        assert result.count <= at_most, f"{result.count} truy vấn, tối đa {at_most}:\n{listing}"
