"""The model's large matrix products through numpy's BLAS, on one thread.

thinc multiplies with the BLIS it bundles. On the machine measured (AMD EPYC, AVX-512) numpy's OpenBLAS
does the products of tok2vec and of the parser's feature layer 2.5-3x faster on one core: tok2vec took
40 % less time, the whole pipeline some 15 % less. The products are the same up to float rounding (every
event of the real-news corpus and every eval score unchanged). One thread per product, so one process
still uses one core (more cores: `--workers`). The parser's per-step products stay in spaCy's compiled
loop, on BLIS. TACITUS_BLAS=blis keeps thinc's own.
"""

from __future__ import annotations

import os

from numpy import ndarray
from spacy.language import Language
from thinc.api import NumpyOps, Ops
from threadpoolctl import ThreadpoolController


class NumpyBlasOps(NumpyOps):
    """thinc's CPU ops with `gemm` by numpy, limited to one BLAS thread while it runs."""

    def __init__(self, controller: ThreadpoolController, **kwargs) -> None:
        super().__init__(**kwargs)
        self.controller = controller

    def gemm(self, x: ndarray, y: ndarray, out: ndarray | None = None, trans1: bool = False, trans2: bool = False) -> ndarray:
        # the limit is set and restored around each product (some 16 µs): the caller's own numpy keeps its threads
        with self.controller.limit(limits=1, user_api="blas"):
            return Ops.gemm(self, x, y, out=out, trans1=trans1, trans2=trans2)


def use_numpy_blas(nlp: Language) -> bool:
    """Give every model of the pipeline numpy's products; False (nothing changed) when numpy has no BLAS
    threadpoolctl can limit, or TACITUS_BLAS=blis."""
    if os.environ.get("TACITUS_BLAS", "").lower() == "blis":
        return False
    controller = ThreadpoolController()
    if not controller.select(user_api="blas").lib_controllers:
        return False
    ops = NumpyBlasOps(controller)
    for _, component in nlp.components:
        model = getattr(component, "model", None)
        if model is None or not hasattr(model, "walk"):
            continue
        for node in model.walk():
            if isinstance(node.ops, NumpyOps):
                node.ops = ops
    return True
