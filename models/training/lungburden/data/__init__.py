"""Data loaders and the preprocessing contract (see :mod:`lungburden.data.preprocess`)."""
