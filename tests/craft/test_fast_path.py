"""The GPU-throughput options, checked on the CPU: device-side preprocessing, channels-last,
threaded post-processing and the streaming detector give the reference path's results."""

from concurrent.futures import ProcessPoolExecutor

import numpy as np
import pytest
import torch
from helpers import SAMPLE, need_plugin

import ocrkit

need_plugin("ocrkit_craft")
from ocrkit_craft.device_prep import device_batch  # noqa: E402
from ocrkit_craft.preprocess import make_batch, resize_aspect_ratio  # noqa: E402


def test_device_batch_is_exact_without_resizing_and_within_a_grey_level_with():
    rng = np.random.default_rng(0)
    images = [rng.integers(0, 256, (100, 200, 3), dtype=np.uint8),
              rng.integers(0, 256, (64, 64, 3), dtype=np.uint8)]  # fmt: skip
    for canvas, mag, exact in ((200, 1.0, True), (1280, 1.5, False)):
        ref = make_batch([resize_aspect_ratio(im, canvas, mag) for im in images])
        ours, geometry = device_batch(images, canvas, mag, torch.device("cpu"))
        assert ours.shape == ref.shape
        assert [g[0] for g in geometry] == [resize_aspect_ratio(im, canvas, mag).ratio for im in images]
        diff = np.abs(ours.numpy() - ref).max()
        # one grey level after dividing by the smallest std (0.224·255 ≈ 57): 0.0175
        assert diff == 0.0 if exact else diff <= 1.0 / 57.0 + 1e-6


@pytest.fixture(scope="module")
def pages():
    page = ocrkit.read_image(SAMPLE)
    return [page, np.ascontiguousarray(page[10:160, 20:330]), page[::2, ::2].copy()]


def test_fast_options_find_the_reference_boxes(craft_detector, pages):
    ref = craft_detector.detect(pages)
    fast = ocrkit.load_detector("craft", preprocess="device", memory_format="channels_last",
                                postprocess_threads=3).detect(pages)  # fmt: skip
    # Resized pixels may differ by a grey level (see device_prep), which can move a box by a
    # pixel or, rarely, split/join a word at the threshold: compare as matched sets.
    for a, b in zip(ref, fast):
        assert len(a) > 0 and abs(len(a) - len(b)) <= max(1, len(a) // 20)
        matched = sum(any(np.abs(x.polygon - y.polygon).max() <= 2.0 for y in b) for x in a)
        assert matched >= 0.9 * len(a)


@pytest.mark.parametrize("native", [True, False])
def test_auto_precision_on_the_cpu_follows_native_bf16(monkeypatch, native):
    import ocrkit.precision

    monkeypatch.setattr(ocrkit.precision, "cpu_has_native_bf16", lambda: native)
    det = ocrkit.load_detector("craft", precision="auto")
    # bf16 runs channels-last (oneDNN's fast layout); fp32 keeps the reference layout.
    assert (det.precision, det.channels_last) == (("bf16", True) if native else ("fp32", False))
    assert ocrkit.load_detector("craft", precision="fp32").channels_last is False


def test_bf16_channels_last_finds_the_reference_words(craft_detector, pages):
    ref = craft_detector.detect(pages)
    det = ocrkit.load_detector("craft", precision="bf16")
    assert det.channels_last  # memory_format=auto follows bf16
    for a, b in zip(ref, det.detect(pages)):
        # bf16 rounds the scores (8-bit mantissa): a box may move by a pixel or two.
        assert len(a) > 0 and abs(len(a) - len(b)) <= max(1, len(a) // 20)
        matched = sum(any(np.abs(x.polygon - y.polygon).max() <= 3.0 for y in b) for x in a)
        assert matched >= 0.9 * len(a)


def test_streaming_detector_gives_detect_results_in_order(pages):
    det = ocrkit.load_detector("craft", postprocess_threads=2)
    batches = [pages[:2], [], pages[2:]]
    streamed = list(det.detect_stream(iter(batches)))
    assert len(streamed) == 3 and streamed[1] == []
    for got, want in zip(streamed[0] + streamed[2], det.detect(pages)):
        assert [d.polygon.tolist() for d in got] == [d.polygon.tolist() for d in want]


def test_post_processing_processes_give_the_threads_words(pages):
    # postprocess_processes: each map's words fitted in a spawned process (the per-word Python
    # steps past the GIL), by detect() and by the stream, the same words as in threads.
    det = ocrkit.load_detector("craft", postprocess_processes=2, canvas_size=640)
    want = ocrkit.load_detector("craft", canvas_size=640).detect(pages)
    got = det.detect(pages)
    streamed = [d for batch in det.detect_stream(iter([pages[:1], pages[1:]])) for d in batch]
    assert isinstance(det._fitter.pool(), ProcessPoolExecutor)
    for words in (got, streamed):
        assert [[(d.polygon.tolist(), d.score, d.unsure) for d in image] for image in words] == \
            [[(d.polygon.tolist(), d.score, d.unsure) for d in image] for image in want]
    with pytest.raises(ocrkit.ConfigError, match="postprocess_processes must be >= 0"):
        ocrkit.load_detector("craft", postprocess_processes=-1)


def test_bad_fast_path_options_are_clear():
    with pytest.raises(ValueError, match="preprocess must be one of"):
        ocrkit.load_detector("craft", preprocess="gpu")
    with pytest.raises(ValueError, match="memory_format must be one of"):
        ocrkit.load_detector("craft", memory_format="nhwc")
    with pytest.raises(ValueError, match="preprocess=device needs runtime=torch"):
        ocrkit.load_detector("craft", preprocess="device", runtime="onnx")


def test_compiled_network_sees_full_batches_only(pages):
    """compile=true pads a short batch to batch_size (one compilation per input size); the padded
    rows are dropped, so results equal the uncompiled detector's."""
    small = [pages[1], pages[1][:, ::-1].copy()]  # same size: one pass of 2 < batch_size 4
    # text_height=0: one pass, so the spy sees exactly the first pass's batches.
    det = ocrkit.load_detector("craft", compile=True, batch_size=4, canvas_size=320, text_height=0)
    seen = []

    def spy(x):  # stands in for the compiled graph (compiling is for the GPU benchmark)
        seen.append(x.shape[0])
        return det.model(x)

    det.net = spy
    got = det.detect(small)
    want = ocrkit.load_detector("craft", batch_size=4, canvas_size=320, text_height=0).detect(small)
    assert seen == [4]
    assert [[d.polygon.tolist() for d in ds] for ds in got] == [[d.polygon.tolist() for d in ds] for ds in want]


def test_stream_queues_the_next_pass_before_waiting_for_the_last(pages, monkeypatch):
    """detect_stream launches batch k+1's network pass before it waits for batch k's scores
    (on CUDA the GPU then always has work queued while the host collects and fits boxes)."""
    # text_height=0: first passes only (a second pass is one more launch, see test_autoscale).
    det = ocrkit.load_detector("craft", canvas_size=320, postprocess_threads=2, text_height=0)
    calls = []
    launch, collect = det._launch, det._collect

    def spy_launch(images):
        calls.append(("launch", len(images)))
        return launch(images)

    def spy_collect(flight):
        calls.append(("collect", len(flight.resized)))
        return collect(flight)

    monkeypatch.setattr(det, "_launch", spy_launch)
    monkeypatch.setattr(det, "_collect", spy_collect)
    list(det.detect_stream(iter([pages[:1], pages[1:3], pages[:2]])))
    assert calls == [("launch", 1), ("launch", 2), ("collect", 1), ("launch", 2), ("collect", 2), ("collect", 2)]


def test_in_flight_copies_are_waited_for_once_per_pass(pages, monkeypatch):
    """The CUDA path's asynchronous copy (scores → pinned host memory + an event), simulated on
    the CPU: every pass's event is waited on before its scores are read, results unchanged."""
    from ocrkit_craft.detector import _Copy

    det = ocrkit.load_detector("craft", canvas_size=320, text_height=0)  # first passes only
    want = det.detect(pages)
    waits = []

    class Event:
        def synchronize(self):
            waits.append(1)

    forward = det._forward_async
    monkeypatch.setattr(det, "_forward_async", lambda x: _Copy(torch.from_numpy(forward(x)), None, Event()))
    got = [r for batch in det.detect_stream(iter([pages[:2], pages[2:]])) for r in batch]
    assert len(waits) == len(det._batches([det.geometry(*p.shape[:2]) for p in pages[:2]])) + 1
    assert [[d.polygon.tolist() for d in ds] for ds in got] == [[d.polygon.tolist() for d in ds] for ds in want]


def test_pipeline_stream_with_craft_equals_read(pages, crnn_recognizer):
    det = ocrkit.load_detector("craft", canvas_size=320)
    pipe = ocrkit.Pipeline(det, crnn_recognizer)
    batches = [pages[:1], pages[1:]]
    streamed = list(pipe.read_stream(iter(batches)))
    for got, batch in zip(streamed, batches):
        want = pipe.read(batch)
        assert [[(w.polygon.tolist(), w.text) for w in ws] for ws in got] == \
            [[(w.polygon.tolist(), w.text) for w in ws] for ws in want]  # fmt: skip
