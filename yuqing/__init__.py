"""yuqing: public-opinion tracker for the closure of Chinese government new-media accounts."""

__version__ = "0.1.0"
