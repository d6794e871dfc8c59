"""Networks: the faithful Killekar et al. 2022 architecture and the fast variant that ships."""
