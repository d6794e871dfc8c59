"""What a cache file records about itself, readable without the data loaders (``train`` on a machine without pydicom
or nibabel imports this, not :mod:`lungburden.prepare`)."""
from __future__ import annotations


def cache_antialias(z) -> bool:
    """Whether an opened cache file's crops were resized with the antialiasing prefilter (files written before the
    flag was recorded were not)."""
    return bool(z["antialias"]) if "antialias" in z.files else False
