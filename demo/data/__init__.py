"""Data files of the offline web that are not pages (the commentary corpus)."""
