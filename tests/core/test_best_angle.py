"""Which reading a tall region keeps: steep words rightward, sideways words not as one glyph."""

import numpy as np

from ocrkit import Detection, Recognition
from ocrkit.orientation import best_angle, leftward_penalty, rotated


def slanted(angle_deg: float, length: float = 100.0, thickness: float = 30.0) -> Detection:
    """A tall quad whose long side runs at ``angle_deg`` below the x axis (image coordinates),
    corners as CRAFT orders them: clockwise from the top-left, short side first."""
    t = np.radians(angle_deg)
    along = np.array([np.cos(t), np.sin(t)]) * length
    across = np.array([-np.sin(t), np.cos(t)]) * thickness
    p0 = np.array([200.0, 200.0])
    quad = np.array([p0, p0 - across, p0 - across + along, p0 + along], np.float32)
    # Start at the top-left corner, keeping the clockwise order.
    k = int(np.argmin(quad.sum(axis=1)))
    return Detection(np.roll(quad, -k, axis=0), 1.0)


def readings(det: Detection, texts: dict[int, tuple[str, float]]) -> dict:
    return {a: (Recognition(t, s), rotated(det, a)) for a, (t, s) in texts.items()}


def test_leftward_penalty_only_for_steep_leftward_readings():
    steep = slanted(55)  # a word running down and to the right at 55°
    turned = {a: leftward_penalty(a, rotated(steep, a)) for a in (0, 90, 270)}
    assert sorted(turned.values()) == [0.0, 0.0, 0.2]  # exactly one of the turns runs leftward
    upright = slanted(90)  # vertical: both turns stay open
    assert leftward_penalty(90, rotated(upright, 90)) == 0.0
    assert leftward_penalty(270, rotated(upright, 270)) == 0.0


def test_a_steep_word_keeps_its_rightward_reading_unless_clearly_beaten():
    det = slanted(55)
    left = next(a for a in (90, 270) if leftward_penalty(a, rotated(det, a)))
    right = 360 - left
    close = readings(det, {0: ("1", 0.42), right: ("bread", 0.84), left: ("peaja", 0.89)})
    assert best_angle(close) == right
    clear = readings(det, {0: ("1", 0.42), right: ("bread", 0.30), left: ("peaja", 0.89)})
    assert best_angle(clear) == left


def test_a_sideways_word_is_not_kept_as_one_glyph():
    det = slanted(90)
    word = readings(det, {0: ("8", 0.998), 90: ("ezzid", 0.95), 270: ("Pizza", 0.96)})
    assert best_angle(word) == 270
    glyph = readings(det, {0: ("I", 0.99), 90: ("-", 0.97), 270: ("_", 0.9)})
    assert best_angle(glyph) == 0  # one tall letter: turned readings are marks
    unsure = readings(det, {0: ("8", 0.998), 90: ("ezz", 0.4), 270: ("aZZ", 0.45)})
    assert best_angle(unsure) == 0  # turned readings too unsure to overrule it
    plain = readings(det, {0: ("HOTEL", 0.6), 90: ("word", 0.9)})
    assert best_angle(plain) == 90  # otherwise the most confident reading
