"""The one error a theory setting raises: it carries the field's name as data."""

from __future__ import annotations

from models.fields import FieldError


class SettingError(FieldError):
    """A theory setting that is not allowed.

    Parameters
    ----------
    field : str
        The setting's name in `models.theory.sections.DEFAULT_SETTINGS` (``"width"``,
        ``"prune_lr"`` ...); callers map it to their own option or widget, never by parsing
        the message.
    problem : str
        What is wrong and what is allowed, one line.
    related : tuple of str
        Other settings that lowering would also fix (a size limit names them all).
    """

    def __init__(self, field: str, problem: str, related: tuple[str, ...] = ()) -> None:
        super().__init__(field, problem)
        self.related = tuple(related)

    @property
    def fields(self) -> tuple[str, ...]:
        """The field first, then the related ones."""
        return (self.field, *self.related)
