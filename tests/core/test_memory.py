"""The garbage-collector pause."""

import gc
import weakref

from claimgraph.memory import gc_paused


def test_gc_pause_hands_survivors_to_the_oldest_generation() -> None:
    class Node:
        pass

    gc.collect()
    with gc_paused():
        assert not gc.isenabled()
        kept = [Node() for _ in range(5000)]
        cycle = Node()
        cycle.self = cycle  # type: ignore[attr-defined]
        dead = weakref.ref(cycle)
        del cycle
    assert gc.isenabled()
    # nothing young is left to walk, and nothing stays frozen
    assert gc.get_count()[0] < 100
    assert gc.get_freeze_count() == 0
    assert all(gc.is_tracked(node) for node in kept[:3])
    # cyclic garbage made during the pause is still collected
    assert dead() is not None
    gc.collect()
    assert dead() is None


def test_gc_pause_leaves_what_the_program_froze_frozen() -> None:
    class Node:
        pass

    gc.collect()
    gc.freeze()
    try:
        frozen = gc.get_freeze_count()
        assert frozen > 0
        with gc_paused():
            kept = [Node() for _ in range(100)]
        assert gc.get_freeze_count() >= frozen + len(kept)
    finally:
        gc.unfreeze()
