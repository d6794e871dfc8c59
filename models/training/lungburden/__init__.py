"""Lung Burden training pipeline (Killekar et al. 2022 ConvLSTM lesion model), laid out by stage.

Axis order and frames (stated once, used everywhere in this package):

* A CT volume is a numpy array ``hu[k, row, col]`` of Hounsfield units (int16 or float32):
  ``k`` = axial slice index in increasing order of the volume (the TypeScript ``Volume`` k axis),
  ``row`` runs anterior -> posterior (LPS +y), ``col`` runs patient right -> left (LPS +x), i.e. the
  radiological display of an axial slice. Spacing is ``(dz, dy, dx)`` in mm in that order.
* A network input is float32 ``[batch, F, H, W]``: F adjacent slices ``k-F//2 .. k+F//2`` (clamped at
  the volume ends, i.e. the edge slice is repeated), preprocessed by :mod:`lungburden.data.preprocess`.
  The label / logits ``[batch, 3, H, W]`` belong to the middle slice.
* Label values: 0 background, 1 ground-glass opacity (GGO), 2 high opacity (consolidation + effusion).
"""

CLASS_NAMES = ("background", "ground-glass opacity", "high opacity")
CLASS_COLORS = ((0, 0, 0), (30, 110, 255), (255, 215, 0))
