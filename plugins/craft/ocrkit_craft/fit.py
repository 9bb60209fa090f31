"""A score map's words: the box step and the default steps after it, from the config alone.

What ``CraftDetector`` runs on each (h/2, w/2, 2) map, as a plain function of picklable
arguments so that a post-processing *process* can run it too (``postprocess_processes``): its
per-word steps (polygons, boxes along the page) are Python, which post-processing threads do
not overlap (the GIL; ``benchmarks/bench_postprocess.py``). A process reads its map from shared
memory (:func:`fit_shared`): sent through the pool's pipe, a 2-6 MB map cost more than its
fitting (on the reference maps, 77 maps/s in one process against 117 in the caller's thread;
from shared memory 114).
"""

from __future__ import annotations

import multiprocessing
import os
import weakref
from concurrent.futures import Executor, Future, ProcessPoolExecutor, ThreadPoolExecutor
from multiprocessing import shared_memory

import numpy as np

from ocrkit import Detection

from .config import CraftConfig
from .direction import follow_page
from .polygon import outline
from .postprocess import detect_boxes


def fit_words(config: CraftConfig, maps: np.ndarray, ratio: float) -> list[Detection]:
    """Words of one float32 (h, w, 2) region/affinity map (heat-map pixels, half the network
    input's) in original-image pixels, ``ratio`` being the input's resize ratio: float32
    (4, 2) boxes, or (14, 2) polygons per ``config.poly``."""
    cfg = config
    comps = detect_boxes(maps[:, :, 0], maps[:, :, 1], cfg.text_threshold,
                         cfg.link_threshold, cfg.low_text, cfg.unsure_threshold)  # fmt: skip
    scale = 2.0 / ratio  # heat-map stride 2, then undo the resize
    boxes, refitted = (follow_page(comps.boxes, comps.hulls) if cfg.follow_page
                       else (comps.boxes, np.zeros(len(comps.boxes), dtype=bool)))  # fmt: skip
    # A short word fitted along the page is not a curve: poly=auto leaves it a box.
    polys = [False if (fit and cfg.poly == "auto") else cfg.poly for fit in refitted]
    found = zip(boxes, comps.label_ids, polys, comps.scores, comps.unsure, comps.areas)
    return [Detection((outline(box, comps.labels, k, poly, area) * scale).astype(np.float32),
                      score, unsure)
            for box, k, poly, score, unsure, area in found]  # fmt: skip


def fit_shared(
    config: CraftConfig, name: str, shape: tuple[int, ...], ratio: float
) -> list[Detection]:
    """:func:`fit_words` of the float32 map of ``shape`` held in the shared memory block
    ``name`` (made, and unlinked once this returns, by the caller's process)."""
    # (A spawned process shares its parent's resource tracker: attaching registers the block
    # there again, a no-op, and the parent's unlink takes it off.)
    block = shared_memory.SharedMemory(name=name)
    try:
        return fit_words(config, np.ndarray(shape, np.float32, buffer=block.buf), ratio)
    finally:
        block.close()


class Fitter:
    """Where a detector's maps are fitted (``CraftConfig.postprocess_processes`` spawned
    processes, else ``postprocess_threads`` threads), made on first use."""

    def __init__(self, config: CraftConfig) -> None:
        self.config = config
        self._pool: Executor | None = None

    def threads(self) -> int:
        # cv2 and numpy release the GIL in the heavy parts of the box step, so threads help.
        return self.config.postprocess_threads or max(1, min(4, os.cpu_count() or 1))

    def pool(self) -> Executor:
        """The pool: processes are spawned (CUDA cannot be forked; each imports the plugin
        once) and end with this object."""
        if self._pool is None:
            n = self.config.postprocess_processes
            if n:
                self._pool = ProcessPoolExecutor(n, mp_context=multiprocessing.get_context("spawn"))
                weakref.finalize(self, self._pool.shutdown, wait=False)
            else:
                self._pool = ThreadPoolExecutor(self.threads(), thread_name_prefix="craft-post")
        return self._pool

    def fit_all(self, maps: list[tuple[np.ndarray, float]]) -> list[list[Detection]]:
        """Each (map, ratio)'s words, in order: in the pool, or in the caller's thread where
        threads are asked for and one map or one thread would gain nothing from them."""
        if not self.config.postprocess_processes and (len(maps) == 1 or self.threads() == 1):
            return [fit_words(self.config, m, ratio) for m, ratio in maps]
        return [future.result() for future in [self.submit(m, ratio) for m, ratio in maps]]

    def submit(self, maps: np.ndarray, ratio: float) -> Future:
        """One (h, w, 2) map's words (:func:`fit_words`), fitted in the pool; a process reads
        the map from a shared memory block, freed once its words are back."""
        if not self.config.postprocess_processes:
            return self.pool().submit(fit_words, self.config, maps, ratio)
        maps = np.ascontiguousarray(maps, dtype=np.float32)
        block = shared_memory.SharedMemory(create=True, size=max(maps.nbytes, 1))
        np.ndarray(maps.shape, np.float32, buffer=block.buf)[...] = maps

        def free(_: Future | None = None) -> None:
            block.close()
            block.unlink()

        try:
            future = self.pool().submit(fit_shared, self.config, block.name, maps.shape, ratio)
        except BaseException:
            free()
            raise
        future.add_done_callback(free)
        return future
