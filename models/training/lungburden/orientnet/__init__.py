"""OrientNet: a tiny CNN that tells the stored orientation of one 8-bit axial chest slice up to
left-right (4 classes: upright, upside-down, transposed, transposed + upside-down), for the
`segment` command on PNG/JPEG. ``d4`` (the 8 orientations and their action on the classes),
``net`` (the CNN and its D4-symmetrised wrapper), ``dataset`` (the training cache), ``augment``
(8-bit rendering, table / field-of-view / contrast augmentations), ``train``, ``evaluate``,
``export`` (ONNX bundle ``models/orientation/orientnet``). Arrays are ``[row, col]``; upright =
radiological display (anterior up, patient right on the image left)."""
