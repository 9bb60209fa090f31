"""CRAFT's box step (score maps → word boxes): the official per-component loop vs ocrkit's
vectorised one, ms per map and maps/s over a thread pool, checking both give the same boxes.

    python benchmarks/bench_postprocess.py                      # ../shared/reference/craft maps
    python benchmarks/bench_postprocess.py --images DIR --limit 50 [--device cuda]

The official code (``craft_utils.getDetBoxes_core``, kept line by line in
``ocrkit_craft/reference.py``) builds a full-map mask per component, so a dense form costs
components × map area; ocrkit's (``ocrkit_craft/postprocess.py``) does one pass over the map
and one ``cv2.minAreaRect`` per word. The last column times all that the detector does to a map
with its default options, the steps the official code does not have included (short words boxed
along the page, ``follow_page``; polygons where words bend, ``poly=auto``; lone characters,
``unsure_threshold``): the host's detection work per map on a GPU machine. Maps are the
reference's saved ones by default (7 ICDAR 2015 photos, 2 FUNSD forms), or made by CRAFT from
``--images`` first (not timed).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import machine  # noqa: E402

REFERENCE_MAPS = Path(__file__).resolve().parents[1].parent / "shared" / "reference" / "craft"
THRESHOLDS = (0.7, 0.4, 0.4)  # text, link, low_text: the defaults


def reference_maps(folder: Path) -> list[tuple[str, np.ndarray, np.ndarray]]:
    """(name, region, affinity) for each saved ``*.npz`` in ``folder``."""
    out = []
    for path in sorted(folder.glob("*.npz")):
        with np.load(path) as maps:
            out.append((path.stem, maps["region"], maps["affinity"]))
    return out


def network_maps(folder: Path, limit: int, device: str) -> list[tuple[str, np.ndarray, np.ndarray]]:
    """Score maps that CRAFT (default options) makes for the first ``limit`` images of ``folder``."""
    from ocrkit_craft.detector import CraftDetector

    import ocrkit

    det = CraftDetector.from_options({}, device=device)
    paths = sorted(p for p in folder.iterdir() if p.suffix.lower() in {".jpg", ".jpeg", ".png"})[:limit]
    out = []
    for path in paths:
        (maps, _), = det.score_maps([ocrkit.read_image(path)])
        out.append((path.stem, np.ascontiguousarray(maps[..., 0]), np.ascontiguousarray(maps[..., 1])))
    return out


def default_steps() -> Callable[[np.ndarray], list]:
    """The CRAFT detector's post-processing of one (h, w, 2) score map at its default options
    (``ocrkit_craft.fit.fit_words``; no network, no weights: the steps alone, at heat-map
    scale)."""
    import ocrkit
    from ocrkit_craft import CraftConfig
    from ocrkit_craft.fit import fit_words

    config = ocrkit.build_config(CraftConfig, {})
    return lambda maps: fit_words(config, maps, 2.0)


def processes_maps_per_second(maps: list, processes: int, rounds: int) -> float:
    """Throughput of the default steps over ``rounds`` × the maps in ``processes`` spawned
    processes, as the detector's ``postprocess_processes`` runs them (``ocrkit_craft.fit``:
    each map handed over in shared memory)."""
    import ocrkit
    from ocrkit_craft import CraftConfig
    from ocrkit_craft.fit import Fitter

    fitter = Fitter(ocrkit.build_config(CraftConfig, {"postprocess_processes": processes}))
    stacked = [np.stack([region, affinity], axis=2) for _, region, affinity in maps]
    for future in [fitter.submit(m, 2.0) for m in stacked]:  # warm up: every process started
        future.result()
    work = [m for _ in range(rounds) for m in stacked]
    start = time.perf_counter()
    for future in [fitter.submit(m, 2.0) for m in work]:
        future.result()
    seconds = time.perf_counter() - start
    fitter.pool().shutdown()
    return len(work) / seconds


def per_map_ms(fn: Callable, maps: list, repeat: int) -> list[float]:
    """Median ms of ``fn(region, affinity)`` per map over ``repeat`` calls."""
    out = []
    for _, region, affinity in maps:
        times = []
        for _ in range(repeat):
            start = time.perf_counter()
            fn(region, affinity)
            times.append(time.perf_counter() - start)
        out.append(1000 * float(np.median(times)))
    return out


def maps_per_second(fn: Callable, maps: list, threads: int, rounds: int) -> float:
    """Throughput of ``fn`` over ``rounds`` × the maps on a pool of ``threads`` (the detector's
    ``postprocess_threads``): what the GIL lets the Python parts overlap."""
    work = [m for _ in range(rounds) for m in maps]
    with ThreadPoolExecutor(threads) as pool:
        list(pool.map(lambda m: fn(m[1], m[2]), work[: len(maps)]))  # warm up
        start = time.perf_counter()
        list(pool.map(lambda m: fn(m[1], m[2]), work))
        return len(work) / (time.perf_counter() - start)


def main(argv: list[str] | None = None) -> int:
    from ocrkit_craft.postprocess import detect_boxes
    from ocrkit_craft.reference import official_boxes

    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--maps", type=Path, default=REFERENCE_MAPS, help="folder of saved *.npz score maps")
    p.add_argument("--images", type=Path, help="make the maps with CRAFT from these images instead")
    p.add_argument("--limit", type=int, default=50, help="images read from --images")
    p.add_argument("--device", default="cpu", help="CRAFT's device for --images")
    p.add_argument("--repeat", type=int, default=5, help="calls per map for the per-map median")
    p.add_argument("--rounds", type=int, default=5, help="passes over the maps for the thread figures")
    p.add_argument("--threads", default=None, help="comma-separated pool sizes (default 1 … cores, ≤ 8)")
    p.add_argument("--processes", default="", help="comma-separated process counts: the default "
                   "steps in a process pool as well (the detector's postprocess_processes)")
    args = p.parse_args(argv)

    if args.images:
        maps = network_maps(args.images, args.limit, args.device)
    elif args.maps.is_dir():
        maps = reference_maps(args.maps)
    else:
        p.error(f"{args.maps}: no such folder (pass --maps DIR or --images DIR)")
    if not maps:
        p.error("no score maps found")

    def official(region: np.ndarray, affinity: np.ndarray) -> list:
        return official_boxes(region, affinity, *THRESHOLDS)[0]

    def ours(region: np.ndarray, affinity: np.ndarray) -> list:
        return detect_boxes(region, affinity, *THRESHOLDS).boxes

    detector = default_steps()

    def steps(region: np.ndarray, affinity: np.ndarray) -> list:
        return detector(np.stack([region, affinity], axis=2))

    same = all(len(a) == len(b) and all(np.array_equal(x, y) for x, y in zip(a, b))
               for a, b in ((official(r, f), ours(r, f)) for _, r, f in maps))  # fmt: skip
    words = [len(ours(r, f)) for _, r, f in maps]
    t_ref, t_ours = per_map_ms(official, maps, args.repeat), per_map_ms(ours, maps, args.repeat)
    t_steps = per_map_ms(steps, maps, args.repeat)

    print("| map | size | words | official ms | ocrkit ms | speed-up | ocrkit, default steps ms |")
    print("| --- | --- | --- | --- | --- | --- | --- |")
    for (name, region, _), n, a, b, c in zip(maps, words, t_ref, t_ours, t_steps):
        print(f"| {name} | {region.shape[1]}×{region.shape[0]} | {n} | {a:.2f} | {b:.2f} | "
              f"{a / b:.1f}× | {c:.2f} |")
    total_ref, total_ours, total_steps = sum(t_ref), sum(t_ours), sum(t_steps)
    print(f"| all {len(maps)} | | {sum(words)} | {total_ref:.1f} | {total_ours:.1f} | "
          f"{total_ref / total_ours:.1f}× | {total_steps:.1f} |")
    print(f"\nidentical boxes: {same}")

    cores = os.cpu_count() or 1
    pools = [int(t) for t in args.threads.split(",")] if args.threads else sorted({1, min(cores, 8) // 2 or 1, min(cores, 8)})
    rates = {}
    print("\n| threads | official maps/s | ocrkit maps/s | ratio | ocrkit, default steps maps/s |")
    print("| --- | --- | --- | --- | --- |")
    for t in pools:
        a = maps_per_second(official, maps, t, max(1, args.rounds // 5))
        b = maps_per_second(ours, maps, t, args.rounds)
        c = maps_per_second(steps, maps, t, args.rounds)
        rates[t] = {"official": round(a, 1), "ocrkit": round(b, 1),
                    "ocrkit_default_steps": round(c, 1)}
        print(f"| {t} | {a:.1f} | {b:.1f} | {b / a:.1f}× | {c:.1f} |")
    procs = {}
    counts = [int(n) for n in args.processes.split(",") if n]
    if counts:
        print("\n| processes | ocrkit, default steps maps/s |")
        print("| --- | --- |")
    for n in counts:
        procs[n] = round(processes_maps_per_second(maps, n, args.rounds), 1)
        print(f"| {n} | {procs[n]:.1f} |")
    print(json.dumps({"maps": len(maps), "words": sum(words), "identical": same,
                      "ms_official": round(total_ref, 2), "ms_ocrkit": round(total_ours, 2),
                      "ms_ocrkit_default_steps": round(total_steps, 2),
                      "maps_per_s": rates, "processes_maps_per_s": procs,
                      "machine": machine()}))  # fmt: skip
    return 0 if same else 1


if __name__ == "__main__":
    raise SystemExit(main())
