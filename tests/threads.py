"""A thread whose exception fails the test that started it.

An exception in a plain ``threading.Thread`` ends the thread and reaches pytest only as a
``PytestUnhandledThreadExceptionWarning``: the test passes. :class:`Checked` keeps the exception
and raises it again from :meth:`Checked.join`, in the test's own thread.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any


class Checked(threading.Thread):
    def __init__(self, target: Callable[..., object], *args: Any, **kwargs: Any) -> None:
        super().__init__(daemon=True)
        self._work = (target, args, kwargs)
        self.error: BaseException | None = None

    def run(self) -> None:
        target, args, kwargs = self._work
        try:
            target(*args, **kwargs)
        except BaseException as error:
            self.error = error

    def join(self, timeout: float | None = None) -> None:
        super().join(timeout)
        if self.error is not None:
            raise AssertionError(f"the thread {self.name} raised {self.error!r}") from self.error
