"""Values made once and kept in this process, the least recently used dropped first."""

import threading
import weakref
from collections import OrderedDict
from collections.abc import Callable
from typing import Any

_EVERY: "weakref.WeakSet[Cache]" = weakref.WeakSet()


def empty_every_cache() -> None:
    """Drop every value every Cache of this process holds: for a process whose database was emptied under it (the
    tests, between two of them), where a key that named a row may name another one now."""
    for kept in list(_EVERY):
        with kept._lock:
            kept._values.clear()


class Cache:
    """At most `size` values, each made once for its key by the make() it is first asked with. Safe across threads
    (two threads may both make a value the first time; the last one made is kept)."""

    def __init__(self, size: int):
        self.size, self._values, self._lock = size, OrderedDict(), threading.Lock()
        _EVERY.add(self)

    def get(self, key: tuple, make: Callable[[], Any]) -> Any:
        with self._lock:
            if key in self._values:
                self._values.move_to_end(key)
                return self._values[key]
        made = make()
        with self._lock:
            self._values[key] = made
            while len(self._values) > self.size:
                self._values.popitem(last=False)
        return made

    def find(self, key: tuple) -> Any:
        """The value kept for key, or None."""
        with self._lock:
            if key in self._values:
                self._values.move_to_end(key)
            return self._values.get(key)

    def put(self, key: tuple, value: Any) -> None:
        """Keep value for key (in place of any kept before)."""
        with self._lock:
            self._values[key] = value
            self._values.move_to_end(key)
            while len(self._values) > self.size:
                self._values.popitem(last=False)
