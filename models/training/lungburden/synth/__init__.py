"""Synthetic-lesion data engine (after Yao et al., IEEE TMI 2021, "Label-free segmentation of COVID-19 lesions in lung CT")."""
