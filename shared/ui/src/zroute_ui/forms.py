"""Form errors: one message per field, shown in the error summary at the top (a link to
the field) and again beside the field."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class FormErrors:
    """Field id -> message id (translated where it is shown), in the form's order."""

    fields: dict[str, str] = field(default_factory=dict)

    def add(self, field_id: str, message: str) -> None:
        self.fields.setdefault(field_id, message)

    def __bool__(self) -> bool:
        return bool(self.fields)

    def get(self, field_id: str) -> str | None:
        return self.fields.get(field_id)

    def items(self) -> list[tuple[str, str]]:
        return list(self.fields.items())
