"""The learned lung mask: a small 2-D U-Net (``net``), its training cache (``dataset``), training
(``train``), evaluation against the MA20 radiologist lung masks and the classical mask (``evaluate``)
and its ONNX bundle (``export``). Axis order everywhere: ``[slice k, row j, column i]``, rows
anterior -> posterior, columns patient right -> left (LPS-aligned volumes, radiological display)."""
