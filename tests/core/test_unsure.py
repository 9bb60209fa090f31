"""Regions a detector is unsure of are kept only where the recogniser reads them confidently."""

from dataclasses import replace

import numpy as np
from helpers import FakeDetector, FakeRecognizer

from ocrkit import Pipeline, Recognition
from ocrkit.types import Detection
from ocrkit.unsure import MIN_SCORE, confirmed


def _box(x: float) -> np.ndarray:
    return np.array([[x, 0], [x + 10, 0], [x + 10, 10], [x, 10]], np.float32)


def test_unsure_regions_stay_where_read_confidently():
    image = np.zeros((20, 80, 3), np.uint8)
    dets = [Detection(_box(0), 0.9), Detection(_box(20), 0.5, unsure=True),
            Detection(_box(40), 0.5, unsure=True), Detection(_box(60), 0.5, unsure=True)]  # fmt: skip
    texts = {20: ("F", 0.99), 40: ("F", MIN_SCORE - 0.01), 60: ("-", 0.99)}
    seen = []

    def read(pairs):
        seen.extend(pairs)
        return [Recognition(*texts[int(det.polygon[0, 0])]) for _, det in pairs]

    out = confirmed([image], [dets], read)[0]
    assert [int(d.polygon[0, 0]) for d in out] == [0, 20]  # unsure, or no letter or digit: out
    assert not any(d.unsure for d in out) and out[1].score == 0.5
    assert len(seen) == 3 and all(img is image for img, _ in seen)  # only the unsure are read
    assert [int(d.polygon[0, 0]) for d in confirmed([image], [dets], None)[0]] == [0]  # no reader
    sure = [[dets[0]], []]
    assert confirmed([image, image], sure, read) == sure  # nothing unsure: nothing read


class _WithUnsure(FakeDetector):
    """FakeDetector's words, the last of each image flagged unsure."""

    def detect(self, images):
        return [[*dets[:-1], replace(dets[-1], unsure=True)] if dets else dets
                for dets in super().detect(images)]  # fmt: skip


def test_the_pipeline_keeps_an_unsure_word_only_when_read_confidently(fake_pm, text_image):
    image, _ = text_image
    every = FakeDetector().detect([image])[0]
    last = every[-1].polygon.tolist()

    class Sure(FakeRecognizer):
        def __init__(self, score):
            self.score = score

        def recognize(self, crops):
            return [Recognition(f"w{c.shape[1]}", self.score) for c in crops]

    def polygons(recognizer):
        pipe = Pipeline(_WithUnsure(), recognizer, plugin_manager=fake_pm, retry_margins=())
        return [w.polygon.tolist() for w in pipe.read([image])[0]]

    assert last in polygons(Sure(0.99)) and len(polygons(Sure(0.99))) == len(every)
    assert last not in polygons(Sure(0.5)) and len(polygons(Sure(0.5))) == len(every) - 1
    assert last not in polygons(None)  # detection only: no word on an unsure region
