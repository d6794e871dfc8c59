"""HU -> 8-bit through eightBitWindow (the synthetic_8bit set of DECISION-1.13.0.md, the orientation evaluation)."""
import numpy as np

from lungburden.data.preprocess import PreprocessConfig, eight_bit_to_hu, hu_to_eight_bit


def test_hu_to_eight_bit_clips_rounds_and_round_trips_within_half_a_grey_level():
    pre = PreprocessConfig()
    hu = np.array([-3000.0, -1250.0, -500.0, 250.0, 2000.0, -861.3])
    v = hu_to_eight_bit(hu, pre)
    assert v.dtype == np.uint8 and v[0] == 0 and v[1] == 0 and v[3] == 255 and v[4] == 255
    back = eight_bit_to_hu(v, pre)
    step = pre.eight_bit_width_hu / 255
    assert abs(back[2] - -500.0) <= step / 2 and abs(back[5] - -861.3) <= step / 2
