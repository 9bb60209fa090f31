import numpy as np
import pytest
from helpers import FakeDetector, FakeRecognizer

from ocrkit import Pipeline


def test_pipeline_reads_words_in_reading_order(fake_pm, text_image):
    image, quads = text_image
    det = FakeDetector()
    words = Pipeline(det, FakeRecognizer(), plugin_manager=fake_pm).read([image, image])
    assert len(words) == 2 and det.calls == [2]  # one batched detect() call
    first = words[0]
    assert len(first) >= 3
    ys = [w.polygon[:, 1].mean() for w in first]
    xs = [w.polygon[:, 0].min() for w in first]
    # Line 1 words come before line 2's; within a line, left to right.
    line1 = [k for k, y in enumerate(ys) if y < ys[-1] - 10]
    assert line1 == list(range(len(line1))) and xs[0] < xs[1]
    assert all(w.text.startswith("w") and w.recognition_score == 0.5 for w in first)
    assert all(w.detection_score == 0.9 for w in first)


def test_detection_only_pipeline(fake_pm, text_image):
    image, _ = text_image
    words = Pipeline(FakeDetector(), None, plugin_manager=fake_pm).read([image])[0]
    assert words and all(w.text is None and w.recognition_score is None for w in words)


def test_crops_use_the_recognizer_height(fake_pm, text_image):
    image, _ = text_image
    seen = []

    class Spy(FakeRecognizer):
        height = 24

        def recognize(self, crops):
            seen.extend(c.shape[0] for c in crops)
            return super().recognize(crops)

    Pipeline(FakeDetector(), Spy(), plugin_manager=fake_pm).read([image])
    assert seen and set(seen) == {24}


@pytest.mark.parametrize(
    "bad", [np.zeros((5, 5), np.uint8), np.zeros((5, 5, 3), np.float32), np.zeros((5, 5, 4), np.uint8)]
)
def test_bad_arrays_are_rejected_clearly(fake_pm, bad):
    with pytest.raises(ValueError, match=r"image 0: expected RGB uint8.*read_image"):
        Pipeline(FakeDetector(), plugin_manager=fake_pm).read([bad])


def test_empty_inputs(fake_pm):
    pipe = Pipeline(FakeDetector(), FakeRecognizer(), plugin_manager=fake_pm)
    assert pipe.read([]) == []
    assert pipe.read([np.full((20, 20, 3), 255, np.uint8)]) == [[]]


def test_threaded_crops_equal_serial_crops_in_order(fake_pm, text_image):
    image, _ = text_image
    dets = FakeDetector().detect([image])[0] * 6  # enough regions to use the pool
    jobs = [(image, d, k % 3 == 0) for k, d in enumerate(dets)]
    serial = Pipeline(FakeDetector(), plugin_manager=fake_pm, crop_threads=1)._crops(jobs)
    threaded = Pipeline(FakeDetector(), plugin_manager=fake_pm, crop_threads=3)._crops(jobs)
    assert len(serial) == len(jobs) and all(np.array_equal(a, b) for a, b in zip(serial, threaded))
    # The 180° jobs are the plain crop turned over.
    plain = Pipeline(FakeDetector(), plugin_manager=fake_pm, crop_threads=1)._crops([(image, dets[0], False)])[0]
    assert np.array_equal(serial[0], plain[::-1, ::-1])
    with pytest.raises(ValueError, match="crop_threads must be ≥ 0"):
        Pipeline(FakeDetector(), crop_threads=-1)


def test_crop_sampling_picks_the_crops_resampling(text_image, fake_pm):
    image, _ = text_image
    det = FakeDetector().detect([image])[0][0]
    crops = {m: Pipeline(FakeDetector(), plugin_manager=fake_pm, crop_sampling=m).crop(image, det)
             for m in ("lanczos", "linear")}  # fmt: skip
    assert crops["lanczos"].shape == crops["linear"].shape
    assert not np.array_equal(crops["lanczos"], crops["linear"])
    assert Pipeline(FakeDetector()).crop_sampling == "lanczos"
    with pytest.raises(ValueError, match="crop sampling must be one of lanczos, cubic, linear"):
        Pipeline(FakeDetector(), crop_sampling="area")


def _as_lists(per_image):
    return [[(w.polygon.tolist(), w.text) for w in words] for words in per_image]


def test_read_stream_equals_read_per_batch(fake_pm, text_image):
    """A detector without detect_stream: batches are detected one by one, results as read()."""
    image, _ = text_image
    pipe = Pipeline(FakeDetector(), FakeRecognizer(), plugin_manager=fake_pm)
    batches = [[image], [], [image[:, ::-1].copy(), image]]
    streamed = list(pipe.read_stream(iter(batches)))
    assert [_as_lists(b) for b in streamed] == [_as_lists(pipe.read(b)) for b in batches]


def test_read_stream_uses_the_detectors_stream(fake_pm, text_image):
    """With detect_stream (detection running batches ahead), each batch still gets its own words."""
    image, _ = text_image

    class Ahead(FakeDetector):
        def detect_stream(self, batches):
            taken = [list(b) for b in batches]  # takes every batch before the first result
            self.ahead = len(taken)
            for b in taken:
                yield self.detect(b)

    det = Ahead()
    pipe = Pipeline(det, FakeRecognizer(), plugin_manager=fake_pm)
    batches = [[image], [image[:, ::-1].copy()], [image, image]]
    streamed = list(pipe.read_stream(iter(batches)))
    assert det.ahead == 3
    assert [_as_lists(b) for b in streamed] == [_as_lists(pipe.read(b)) for b in batches]
    with pytest.raises(ValueError, match="expected RGB uint8"):
        list(pipe.read_stream(iter([[image], [image[..., 0]]])))


def test_min_score_keeps_the_sure_words_only(fake_pm, text_image):
    from ocrkit import Recognition

    image, _ = text_image

    class ByWidth(FakeRecognizer):  # sure of crops of even width, unsure of the others
        def recognize(self, crops):
            return [Recognition(f"w{c.shape[1]}", 0.95 if c.shape[1] % 2 == 0 else 0.2) for c in crops]

    def read(**kw):
        pipe = Pipeline(FakeDetector(), ByWidth(), plugin_manager=fake_pm, retry_margins=(), **kw)
        return [(w.text, w.recognition_score, w.polygon.tolist()) for w in pipe.read([image])[0]]

    every = read()
    assert {s for _, s, _ in every} == {0.95, 0.2}  # both kinds on the page
    assert read(min_score=0.5) == [w for w in every if w[1] >= 0.5]
    assert read(min_score=0.0) == every
    with pytest.raises(ValueError, match="min_score must be in"):
        Pipeline(FakeDetector(), ByWidth(), min_score=1.2)
    with pytest.raises(ValueError, match="needs a recogniser"):
        Pipeline(FakeDetector(), None, min_score=0.3)
