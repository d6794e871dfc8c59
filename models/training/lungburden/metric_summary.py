"""The flat metric summary of an evaluation: what goes into ``metadata.json`` ``metrics`` and ``comparison.json``."""
from __future__ import annotations

import numpy as np


def flat_metrics(m: dict) -> dict:
    """The numeric summary that goes into metadata.json ``metrics``."""
    keys = {
        "medseg_val_dice_ggo": ("medseg", "dice_ggo"), "medseg_val_dice_ho": ("medseg", "dice_ho"),
        "medseg_val_dice_lesion": ("medseg", "dice_lesion"), "medseg_val_dice_ggo_pooled": ("medseg", "dice_ggo_pooled"),
        "medseg_val_dice_ho_pooled": ("medseg", "dice_ho_pooled"), "medseg_val_area_r2": ("medseg", "area_px_r2"),
        "medseg_val_mirror_dice_ggo": ("medseg_mirror", "dice_ggo"), "medseg_val_mirror_dice_ho": ("medseg_mirror", "dice_ho"),
        "medseg_val_mirror_dice_lesion": ("medseg_mirror", "dice_lesion"),
        "ma20_val_dice_lesion": ("ma20", "dice_lesion"),
        "ma20_patients_val_dice_lesion": ("ma20_patients", "dice_lesion"),
        "medseg_val_dice_ggo_infnet": ("medseg", "dice_ggo_infnet"), "medseg_val_dice_ho_infnet": ("medseg", "dice_ho_infnet"),
        "medseg_val_dice_lesion_infnet": ("medseg", "dice_lesion_infnet"),
        "medseg_val_post_dice_ggo": ("medseg_post", "dice_ggo"), "medseg_val_post_dice_ho": ("medseg_post", "dice_ho"),
        "medseg_val_post_dice_lesion": ("medseg_post", "dice_lesion"),
        "synth_val_volume_dice_ggo": ("synthetic", "volume_dice_ggo"),
        "synth_val_volume_dice_ho": ("synthetic", "volume_dice_ho"),
        "synth_val_volume_dice_lesion": ("synthetic", "volume_dice_lesion"),
        "synth_val_lesion_ml_r2": ("synthetic", "lesion_ml_r2"),
        "synth_val_lesion_ml_ba_bias": ("synthetic", "lesion_ml_ba_bias"),
        "synth_val_lesion_in_lung_ml_r2": ("synthetic", "lesion_in_lung_ml_r2"),
        "synth_val_lesion_in_lung_ml_ba_bias": ("synthetic", "lesion_in_lung_ml_ba_bias"),
    }
    out = {}
    for k, (a, b) in keys.items():
        v = m.get(a, {}).get(b)
        out[k] = None if v is None or not np.isfinite(v) else float(v)
    return out
