"""Everything Qt: windows, widgets, models. The only package that imports PySide6."""
