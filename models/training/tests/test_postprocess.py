"""Python decision rule / z smoothing: the same cases as test/shared/inference/postprocess-decision.test.ts."""
import numpy as np

from lungburden.postprocess import decide, smooth_split_along_z, z_alternation

PIXELS = np.array([[0.45, 0.3, 0.25], [0.2, 0.5, 0.3], [0.2, 0.35, 0.45], [0.9, 0.06, 0.04]]).T  # [3, 4]


def test_decide_matches_typescript_cases():
    assert decide(PIXELS, 0.5, 0.5)[0].tolist() == [1, 1, 2, 0]
    assert decide(PIXELS, 0.6, 0.5)[0].tolist() == [0, 1, 2, 0]
    assert decide(PIXELS, 0.5, 0.6)[0].tolist() == [1, 1, 1, 0]
    assert decide(PIXELS, 0.05, 0.3)[0].tolist() == [2, 2, 2, 2]
    lab, split = decide(PIXELS, 0.6, 0.5)
    assert split.tolist() == [0, round(255 * 0.375), round(255 * 0.5625), 0]


def test_z_smoothing_matches_typescript_cases():
    lab = np.array([1, 2, 1, 2, 1, 0], np.uint8).reshape(6, 1, 1)
    split = np.array([100, 140, 100, 140, 100, 0], np.uint8).reshape(6, 1, 1)
    assert smooth_split_along_z(lab, split, 1, 0.5).ravel().tolist() == [1, 1, 1, 1, 1, 0]
    lab2 = np.array([2, 1, 2, 1, 2, 0], np.uint8).reshape(6, 1, 1)
    split2 = np.array([250, 120, 250, 120, 250, 0], np.uint8).reshape(6, 1, 1)
    assert smooth_split_along_z(lab2, split2, 1, 0.5).ravel().tolist() == [2, 2, 2, 2, 2, 0]
    # two columns x two slices, as in the TS test ([k][row][col])
    lab3 = np.array([[[1, 2]], [[2, 1]]], np.uint8)
    split3 = np.array([[[10, 255]], [[255, 0]]], np.uint8)
    assert smooth_split_along_z(lab3, split3, 1, 0.5).ravel().tolist() == [2, 2, 2, 2]
    assert smooth_split_along_z(lab3, split3, 0, 0.5).ravel().tolist() == lab3.ravel().tolist()


def test_z_alternation():
    assert z_alternation(np.array([1, 2, 1, 0], np.uint8).reshape(4, 1, 1)) == 1.0
    assert z_alternation(np.array([1, 1, 2, 2], np.uint8).reshape(4, 1, 1)) == 1 / 3
    assert np.isnan(z_alternation(np.zeros((3, 1, 1), np.uint8)))
