"""The cyclic garbage collector held off while one document is parsed or built.

A parse allocates tens of thousands of lists, dicts, tuples and models, nearly all of them
alive until the document is returned: each of the collector's young-generation passes during
the parse walks them and frees almost nothing (a document's only cycles are its outline tree,
alive until the parse ends). On the 10 MB corpus those passes cost 5-7% of the CPU time of
`parse_file` (gc.disable() around the parse, interleaved runs in one process) though only ~1%
of its instructions: they are memory-bound. So the parse runs with the collector off and turns
it back on when it returns; the next allocation after that runs one pass over what the
document left, which frees the outline tree's cycles. Memory is unchanged: nothing that dies
during a parse waits for the collector except those cycles.

The collector's state is process-wide. A caller that has it off keeps it off (nothing is
turned on that was not on before). Two threads parsing at once may see it on again before
their parse ends; that costs only the time saved, never correctness.
"""
from __future__ import annotations

import functools
import gc


def paused(fn):
    """`fn` run with the cyclic collector off, restored as it was after (on a raise too)."""
    @functools.wraps(fn)
    def with_collector_paused(*args, **kwargs):
        if not gc.isenabled():
            return fn(*args, **kwargs)
        gc.disable()
        try:
            return fn(*args, **kwargs)
        finally:
            gc.enable()
    return with_collector_paused
