"""The explorer's widgets, one module each; they read a `Matrix`, never files."""
