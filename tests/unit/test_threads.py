"""tests.threads.Checked: a thread's exception fails the test that joins it (a plain Thread's only warns)."""

from __future__ import annotations

import pytest

from tests.threads import Checked


def test_a_thread_exception_is_raised_at_join() -> None:
    thread = Checked(lambda: 1 / 0)
    thread.start()
    with pytest.raises(AssertionError, match="ZeroDivisionError") as raised:
        thread.join()
    assert isinstance(raised.value.__cause__, ZeroDivisionError)


def test_a_thread_that_ends_well_joins_quietly() -> None:
    done: list[int] = []
    thread = Checked(done.append, 1)
    thread.start()
    thread.join()
    assert done == [1]
