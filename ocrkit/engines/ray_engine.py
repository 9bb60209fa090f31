"""``ocrkit run --engine ray``: batches of files spread over a Ray cluster, one model per worker.

The driver (the process running ``ocrkit run``) lists the files, reads their bytes and writes
the results; each worker is a Ray actor that builds its own pipeline once from a
:class:`PipelineSpec` and reads batches with :func:`read_files`, the function the local engine
uses. Files travel as bytes through Ray's object store, so workers on other nodes need no shared
filesystem, only the same ocrkit and plugins installed. Results come back in input order.

For Ray Data pipelines, :class:`OcrPredictor` is the same worker as a ``map_batches`` callable.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from ..errors import UsageError
from ..io import ImageError, InputPage, iter_input_pages, page_count
from ..pdf import check_dpi
from .batch import (FileResult, PageOf, Source, input_source, pack_words, read_files,
                    read_source, unpack_words)  # fmt: skip
from .spec import PipelineSpec

# Batches queued per worker: one running, one waiting, so a worker never idles while the
# driver reads the next files, and the driver never holds a whole large folder in memory.
QUEUE_PER_WORKER = 2


def import_ray() -> Any:
    try:
        import ray
    except ImportError:
        raise UsageError(
            "the ray engine needs Ray: pip install 'ocrkit[ray]' (or pip install 'ray[data]')"
        ) from None
    return ray


def connect(address: str | None = None) -> Any:
    """Join the Ray cluster at ``address`` (``auto``, ``ray://host:10001``, host:port), else the
    one in ``RAY_ADDRESS`` or running on this machine, else start a local one (Ray's own order);
    a process already connected stays connected."""
    ray = import_ray()
    if not ray.is_initialized():
        import logging

        ray.init(address=address, logging_level=logging.WARNING, include_dashboard=False)
    return ray


class _Worker:
    """The body of one Ray actor: a pipeline built once, then batches of (name, bytes)."""

    def __init__(self, spec: PipelineSpec) -> None:
        self.error: str | None = None
        try:
            self.pipeline = spec.build()
        except Exception as exc:  # reported by the driver as one line, not a remote traceback
            self.error = str(exc).strip().splitlines()[0] if str(exc).strip() else repr(exc)

    def ready(self) -> str | None:
        return self.error

    def read(self, items: list[tuple[str, Source | _SharedPage]]) -> list[tuple]:
        import ray

        here = [(name, PageOf(ray.get(s.ref), s.page, s.dpi) if isinstance(s, _SharedPage) else s)
                for name, s in items]  # fmt: skip
        return [_pack(r) for r in read_files(self.pipeline, here)]


@dataclass(frozen=True)
class _SharedPage:
    """A page of a multi-page file whose bytes the driver put in Ray's object store once, for
    all its pages (a 500-page PDF's bytes would otherwise travel 500 times)."""

    ref: Any  # ray.ObjectRef of the file's bytes
    page: int
    dpi: float | None


def _pack(r: FileResult) -> tuple:
    return (r.name, r.size, None if r.words is None else pack_words(r.words), r.error)


def _unpack(t: tuple) -> FileResult:
    name, size, words, error = t
    return FileResult(name, size, None if words is None else unpack_words(words), error)


def cluster_workers(ray: Any, device: str, cpus: float, gpus: float) -> int:
    """How many workers fit the cluster: one per ``gpus`` GPUs on CUDA, else per ``cpus`` CPUs."""
    res = ray.cluster_resources()
    if device.startswith("cuda"):
        return max(1, int(res.get("GPU", 0) // gpus)) if gpus > 0 else 1
    return max(1, int(res.get("CPU", 1) // cpus))


def run_on_ray(
    spec: PipelineSpec,
    paths: Sequence[Path | InputPage],
    *,
    batch_size: int = 4,
    workers: int | None = None,
    cpus_per_worker: float = 1.0,
    gpus_per_worker: float | None = None,
    address: str | None = None,
    pdf_dpi: float | None = None,
) -> Iterator[FileResult]:
    """Read ``paths`` on a Ray cluster; yields one :class:`FileResult` per path, in input order
    (per page for a multi-page file given as a path: :func:`ocrkit.io.iter_input_pages`).

    ``gpus_per_worker`` defaults to 1 for a CUDA ``spec.device`` and 0 otherwise; fractions
    (0.5) put several workers on one GPU; PDF pages are rendered at ``pdf_dpi`` (None: a
    scan's own resolution, see :func:`ocrkit.read_image`). A worker whose models cannot be
    built stops the run with that worker's one-line error (a :class:`RuntimeError`).
    """
    pdf_dpi = check_dpi(pdf_dpi)
    ray = connect(address)
    gpus = (
        gpus_per_worker
        if gpus_per_worker is not None
        else (1.0 if spec.device.startswith("cuda") else 0.0)
    )
    count = workers or cluster_workers(ray, spec.device, cpus_per_worker, gpus)
    # The CLI passes pages already listed; paths (the Python API) are listed here.
    listed = all(isinstance(p, InputPage) for p in paths)
    pages = list(paths) if listed else list(iter_input_pages(Path(p) for p in paths))
    batches = [pages[i : i + batch_size] for i in range(0, len(pages), batch_size)]
    count = max(1, min(count, len(batches)))
    actor_cls = ray.remote(num_cpus=cpus_per_worker, num_gpus=gpus)(_Worker)
    actors = [actor_cls.remote(spec) for _ in range(count)]
    # Models are built here, before any result is asked for, so that a bad option fails the
    # command at once (and before a progress bar is drawn).
    errors = [e for e in ray.get([a.ready.remote() for a in actors]) if e]
    if errors:
        _kill(ray, actors)
        raise RuntimeError(f"a Ray worker could not build the pipeline: {errors[0]}")
    return _schedule(ray, actors, batches, pdf_dpi)


def _kill(ray: Any, actors: list) -> None:
    for actor in actors:
        ray.kill(actor)


def _schedule(
    ray: Any, actors: list, batches: list[list[InputPage]], dpi: float | None
) -> Iterator[FileResult]:
    """Keep every actor's queue full; yield finished batches in input order; free the actors
    when done (or when the caller stops early)."""
    try:
        yield from _results(ray, actors, batches, dpi)
    finally:
        _kill(ray, actors)


def _results(
    ray: Any, actors: list, batches: list[list[InputPage]], dpi: float | None
) -> Iterator[FileResult]:
    pending: dict[Any, tuple] = {}  # object ref → (batch index, actor, local placeholders)
    queued = {id(a): 0 for a in actors}
    finished: dict[int, list[FileResult]] = {}
    shared: dict[Path, Any] = {}  # the multi-page file being sent: its path → its bytes' ref
    next_batch = next_out = 0
    while next_out < len(batches):
        for actor in actors:
            while queued[id(actor)] < QUEUE_PER_WORKER and next_batch < len(batches):
                local, items = _load(batches[next_batch], dpi, ray, shared)
                ref = actor.read.remote(items)
                pending[ref] = (next_batch, actor, local)
                queued[id(actor)] += 1
                next_batch += 1
        (ref,), _ = ray.wait(list(pending), num_returns=1)
        index, actor, local = pending.pop(ref)
        queued[id(actor)] -= 1
        remote = iter(_unpack(t) for t in ray.get(ref))
        # Files the driver could not read never left it; put them back in their places.
        finished[index] = [r if r is not None else next(remote) for r in local]
        while next_out in finished:
            yield from finished.pop(next_out)
            next_out += 1


def _load(
    batch: list[InputPage], dpi: float | None, ray: Any, shared: dict[Path, Any]
) -> tuple[list[FileResult | None], list[tuple[str, Source | _SharedPage]]]:
    """Read a batch's bytes on the driver: (placeholders with local failures, items to send).
    A multi-page file's bytes go into the object store once (``shared`` holds the current
    file's: pages come in order) and each of its pages travels as that ref and its number."""
    local: list[FileResult | None] = []
    items: list[tuple[str, Source | _SharedPage]] = []
    for item in batch:
        try:
            if item.pages > 1:
                if item.path not in shared:
                    # The previous file's pages are all sent; Ray keeps its bytes while a
                    # queued batch still holds their ref.
                    shared.clear()
                    shared[item.path] = ray.put(read_source(item.path))
                items.append((item.name, _SharedPage(shared[item.path], item.page, dpi)))
            else:
                items.append((item.name, input_source(item, read_source(item.path), dpi)))
            local.append(None)
        except ImageError as exc:
            local.append(FileResult(item.name, None, None, str(exc)))
    return local, items


class OcrPredictor:
    """A Ray Data ``map_batches`` callable: one pipeline per actor, batches of images in.

    Input columns: ``bytes`` (encoded files, e.g. from ``ray.data.read_binary_files(...,
    include_paths=True)``) or ``image`` (RGB uint8 arrays, e.g. from ``ray.data.read_images(...,
    mode="RGB", include_paths=True)``); ``path`` is optional and names the rows in errors.
    Output columns: ``path``, ``page`` (from 1: a multi-page file's row, a PDF's or a TIFF's,
    gives a row per page; PDF pages rendered at ``pdf_dpi``, as ``run_on_ray``), ``height``,
    ``width``, ``words`` (a JSON list of word records, as ``ocrkit run --format json`` writes
    them) and ``error`` ("" when the row was read).

    Example:
        >>> ds = ray.data.read_binary_files("s3://bucket/scans/", include_paths=True)  # doctest: +SKIP
        >>> out = ds.map_batches(OcrPredictor, fn_constructor_kwargs={"detector": "craft",
        ...     "recognizer": "crnn"}, concurrency=4, batch_size=8)  # doctest: +SKIP
    """

    def __init__(
        self, spec: PipelineSpec | None = None, *, pdf_dpi: float | None = None, **kwargs: Any
    ) -> None:
        if spec is not None and kwargs:
            raise TypeError("give a PipelineSpec or its fields as keywords, not both")
        self.pipeline = (spec or PipelineSpec(**kwargs)).build()
        self.dpi = check_dpi(pdf_dpi)

    def __call__(self, batch: dict[str, Any]) -> dict[str, np.ndarray]:
        if "bytes" in batch:
            column = batch["bytes"]
        elif "image" in batch:
            column = batch["image"]
        else:
            raise ValueError(f"expected a 'bytes' or 'image' column, got {sorted(batch)}")
        names = (
            [str(p) for p in batch["path"]]
            if "path" in batch
            else [f"<row {i}>" for i in range(len(column))]
        )
        items: list[tuple[str, Source]] = []
        rows: list[tuple[str, int]] = []  # (path, page from 1) of each item
        for name, value in zip(names, column):
            if not isinstance(value, (bytes, bytearray)):
                items.append((name, np.asarray(value)))
                rows.append((name, 1))
                continue
            data = bytes(value)
            try:
                count = page_count(data, name=name)
            except ImageError:
                count = 1  # reading it reports the problem
            for page in (InputPage(Path(name), k, count) for k in range(count)):
                items.append((page.name, input_source(page, data, self.dpi)))
                rows.append((name, page.page + 1))
        results = read_files(self.pipeline, items)
        return {
            "path": np.array([path for path, _ in rows], dtype=object),
            "page": np.array([page for _, page in rows], dtype=np.int64),
            "height": np.array([r.size[0] if r.size else 0 for r in results], dtype=np.int64),
            "width": np.array([r.size[1] if r.size else 0 for r in results], dtype=np.int64),
            "words": np.array([_words_json(r) for r in results], dtype=object),
            "error": np.array([r.error or "" for r in results], dtype=object),
        }


def _words_json(r: FileResult) -> str:
    return "" if r.words is None else json.dumps([w.to_dict() for w in r.words], ensure_ascii=False)
