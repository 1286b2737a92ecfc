"""The window's behaviour in plain Python and asyncio, no Qt: which project is shown and how its list is
kept fresh, what a change sends, what a form's values mean to the server. `ui/` binds widgets to these
(napari's split: models here, Qt views there); unit tests drive them against a real sandbox."""
