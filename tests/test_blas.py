"""The model's products by numpy's BLAS: the same numbers as thinc's BLIS, on one thread, and a way back."""

from __future__ import annotations

import numpy
import pytest
import spacy
from thinc.api import NumpyOps, Ops
from threadpoolctl import ThreadpoolController

from tacitus.coding.blas import NumpyBlasOps, use_numpy_blas


@pytest.fixture(scope="module")
def ops() -> NumpyBlasOps:
    controller = ThreadpoolController()
    if not controller.select(user_api="blas").lib_controllers:
        pytest.skip("numpy has no BLAS threadpoolctl can see")
    return NumpyBlasOps(controller)


def test_the_pipeline_multiplies_with_numpy(pipeline):
    for name in ("tok2vec", "parser"):
        assert all(isinstance(node.ops, NumpyBlasOps) for node in pipeline.nlp.get_pipe(name).model.walk()), name


@pytest.mark.parametrize("trans1, trans2", [(False, False), (True, False), (False, True), (True, True)])
def test_products_match_blis(ops, trans1, trans2):
    rng = numpy.random.default_rng(7)
    x = rng.standard_normal((40, 30) if not trans1 else (30, 40)).astype("f")
    y = rng.standard_normal((30, 20) if not trans2 else (20, 30)).astype("f")
    blis = NumpyOps(use_blis=True).gemm(x, y, trans1=trans1, trans2=trans2)
    assert numpy.allclose(ops.gemm(x, y, trans1=trans1, trans2=trans2), blis, atol=1e-5)
    out = numpy.empty((41, 20), dtype="f")  # as the parser's feature layer writes: into rows of a larger array
    ops.gemm(x, y, out=out[1:], trans1=trans1, trans2=trans2)
    assert numpy.allclose(out[1:], blis, atol=1e-5)


def test_one_blas_thread_while_multiplying(ops, monkeypatch):
    seen = []
    original = Ops.gemm

    def spy(self, *args, **kwargs):
        seen.append({lib["num_threads"] for lib in ops.controller.select(user_api="blas").info()})
        return original(self, *args, **kwargs)

    monkeypatch.setattr(Ops, "gemm", spy)
    ops.gemm(numpy.ones((4, 3), dtype="f"), numpy.ones((3, 2), dtype="f"))
    assert seen == [{1}]


def test_blis_kept_on_request(monkeypatch):
    nlp = spacy.blank("en")
    nlp.add_pipe("tok2vec")
    nlp.initialize()
    monkeypatch.setenv("TACITUS_BLAS", "blis")
    assert not use_numpy_blas(nlp)
    assert not any(isinstance(node.ops, NumpyBlasOps) for node in nlp.get_pipe("tok2vec").model.walk())
    monkeypatch.delenv("TACITUS_BLAS")
    if use_numpy_blas(nlp):
        assert all(isinstance(node.ops, NumpyBlasOps) for node in nlp.get_pipe("tok2vec").model.walk())
