"""heatlens: a terminal explorer for accuracy and confusion matrices."""

__version__ = "0.1.0"
