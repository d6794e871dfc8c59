"""Teacher terms for training (issue 14, levers 4 and 5): distil a frozen, mirror-averaged teacher into the student.

The teacher is a shipped model (e.g. 1.3.0's ``checkpoint.pt``) wrapped in :class:`nets.mirror_tta.MirrorAveraged`,
i.e. exactly the network of the accurate bundle. It sees the same augmented batch as the student, without gradients.

* :func:`distillation_loss` (lever 5, "a TTA teacher distilled into the shipped student"): per-pixel KL divergence
  from the teacher's softened class distribution to the student's, times ``T^2`` (Hinton et al.), on every sample.
* :func:`pseudo_split_loss` (lever 4, self-training on the Ma images): the Ma slices carry a binary lesion mask only;
  inside that **true** lesion the teacher's GGO-vs-high-opacity decision becomes a hard pseudo-label wherever the
  teacher is confident (``p(class | lesion) >= min_confidence``), trained with the class-balanced split cross-entropy of
  :func:`losses.split_loss`. Lesion vs background stays supervised by the true mask alone.

Config block (``train`` reads it): ``"teacher": {"checkpoint": "<path relative to the training folder>",
"arch_kwargs": {...}, "distill_weight": 1.0, "temperature": 1.0, "pseudo_split_weight": 0.5, "min_confidence": 0.8}``.
"""
from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import nn

from .losses import split_loss
from .nets.mirror_tta import MirrorAveraged
from .nets.registry import build_net
from .paths import TRAINING_ROOT


def load_teacher(spec: dict, arch: str, device: torch.device) -> nn.Module:
    """The frozen, mirror-averaged teacher named by a config's ``teacher`` block (eval mode, no gradients)."""
    net = build_net(spec.get("arch", arch), **spec.get("arch_kwargs", {}))
    ck = torch.load(TRAINING_ROOT / spec["checkpoint"], map_location="cpu")
    net.load_state_dict(ck["model"])
    teacher = MirrorAveraged(net) if spec.get("mirror", True) else net
    teacher.to(device).eval()
    for p in teacher.parameters():
        p.requires_grad_(False)
    return teacher


def distillation_loss(student: torch.Tensor, teacher: torch.Tensor, temperature: float = 1.0) -> torch.Tensor:
    """Mean over pixels and samples of ``T^2 KL(softmax(teacher / T) || softmax(student / T))``; logits ``[B, C, H, W]``."""
    t = float(temperature)
    log_q = F.log_softmax(teacher / t, dim=1)
    log_p = F.log_softmax(student / t, dim=1)
    kl = (log_q.exp() * (log_q - log_p)).sum(1)
    return kl.mean() * t * t


def pseudo_split_target(teacher: torch.Tensor, lesion: torch.Tensor, min_confidence: float) -> torch.Tensor:
    """Labels ``[B, H, W]``: 1 (GGO) / 2 (HO) where the pixel is truly lesion and the teacher's ``p(class | lesion)``
    reaches ``min_confidence``; 0 elsewhere (not trained by the split term)."""
    p_ho = F.softmax(teacher[:, 1:], dim=1)[:, 1]
    confident = torch.maximum(p_ho, 1 - p_ho) >= min_confidence
    target = torch.where(p_ho >= 0.5, 2, 1)
    return torch.where(lesion & confident, target, torch.zeros_like(target))


def pseudo_split_loss(student: torch.Tensor, teacher: torch.Tensor, lesion: torch.Tensor,
                      min_confidence: float = 0.8) -> torch.Tensor:
    """Class-balanced GGO-vs-HO cross-entropy of the student against the teacher's confident split inside ``lesion``."""
    return split_loss(student, pseudo_split_target(teacher, lesion, min_confidence))


def teacher_terms(spec: dict, student: torch.Tensor, teacher: torch.Tensor, target: torch.Tensor,
                  partial: torch.Tensor) -> torch.Tensor:
    """The weighted teacher terms of one batch: distillation on all samples, the pseudo split on partial-label ones."""
    loss = float(spec.get("distill_weight", 1.0)) * distillation_loss(student, teacher, float(spec.get("temperature", 1.0)))
    w_split = float(spec.get("pseudo_split_weight", 0.0))
    part = partial != 0
    if w_split and part.any():
        n = student.shape[0]
        loss = loss + w_split * (part.sum() / n) * pseudo_split_loss(
            student[part], teacher[part], target[part] > 0, float(spec.get("min_confidence", 0.8)))
    return loss
