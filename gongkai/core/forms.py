"""What every public filter form shares."""


class ErrorTextMixin:
    """`error_text()`: the form's errors as one Chinese sentence, for a 400 page or message."""

    def error_text(self) -> str:
        return "；".join(
            f"{self.fields[name].label}：{'、'.join(errors)}"
            if name in self.fields
            else "、".join(errors)
            for name, errors in self.errors.items()
        )
