"""The names of the views a reader can choose, apart from the code that makes them.

The command line offers these as choices before it reads a file, and must not
pay for importing numpy to do so.
"""

NORMALISATIONS = ("none", "row", "column", "total")
"""The ways `normalise` can divide a matrix, in the order a key cycles them."""

ORDERS = ("stored", "label", "diagonal", "similarity")
"""The orders `reorder` can put rows and columns in, in the order a key cycles."""
