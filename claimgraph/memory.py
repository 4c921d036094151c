"""The one garbage-collector pause, for stages that build many small acyclic objects."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while building many small acyclic objects.

    Loading, extracting and auditing allocate several objects per claim, source or token and
    free none of them until the end; collections would rescan all of them again and again
    and free nothing (``benchmarks/bench_core.py`` and ``bench_extract.py`` measure it).

    On the way out, what the stage made and kept joins the oldest generation at once
    (``gc.freeze`` then ``gc.unfreeze`` moves whole lists, it walks no object). Otherwise
    the first allocation after the pause would make the collector walk every one of them as
    young objects (0.7 s after loading and auditing 100,000 claims, measured). Cyclic
    garbage made during the pause is still collected, by the next full collection. When the
    program had frozen objects itself, what the stage kept stays frozen with them instead.
    """
    was_enabled = gc.isenabled()
    # objects someone froze before (a server before forking) must stay frozen
    frozen_before = gc.get_freeze_count()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.freeze()
            if not frozen_before:
                gc.unfreeze()
            gc.enable()
