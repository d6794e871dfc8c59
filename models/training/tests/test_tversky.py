"""The Tversky option of the 3-class loss (lungburden.losses): Dice at alpha = beta = 0.5, misses cost more at beta > alpha."""
import torch

from lungburden.losses import full_label_loss, mixed_loss, soft_dice_loss, soft_tversky_loss


def _probs_and_truth():
    torch.manual_seed(0)
    prob = torch.rand(2, 3, 8, 8)
    truth = (torch.rand(2, 3, 8, 8) > 0.6).float()
    return prob, truth


def test_tversky_at_one_half_is_the_soft_dice_term():
    prob, truth = _probs_and_truth()
    assert torch.allclose(soft_tversky_loss(prob, truth, 0.5, 0.5), soft_dice_loss(prob, truth), atol=1e-6)


def test_with_beta_above_alpha_a_miss_costs_more_than_an_equal_false_alarm():
    truth = torch.zeros(1, 1, 4, 4)
    truth[..., :2, :] = 1  # 8 true pixels
    miss = truth.clone()
    miss[..., 0, :2] = 0  # 2 missed
    alarm = truth.clone()
    alarm[..., 3, :2] = 1  # 2 false
    tv_gap = soft_tversky_loss(miss, truth, 0.3, 0.7) - soft_tversky_loss(alarm, truth, 0.3, 0.7)
    dice_gap = soft_dice_loss(miss, truth) - soft_dice_loss(alarm, truth)
    assert tv_gap > 2 * dice_gap > 0


def test_the_option_reaches_only_three_class_samples():
    torch.manual_seed(1)
    logits = torch.randn(4, 3, 16, 16)
    target = torch.randint(0, 3, (4, 16, 16))
    partial = torch.tensor([0, 0, 1, 1])
    assert not torch.isclose(mixed_loss(logits, target, partial, 0.0, (0.3, 0.7)), mixed_loss(logits, target, partial))
    only_binary = torch.ones(4)
    assert torch.isclose(mixed_loss(logits, target, only_binary, 0.0, (0.3, 0.7)), mixed_loss(logits, target, only_binary))
    assert torch.isclose(full_label_loss(logits, target, (0.5, 0.5)), full_label_loss(logits, target), atol=1e-6)
