from django.core.exceptions import ValidationError
from django.db import models

from .exceptions import ApplicationError


def apply_changes(
    instance: models.Model, data: dict, fields: tuple[str, ...], exclude: tuple[str, ...] = ()
) -> dict:
    """Set the allowed `fields` from `data`, validate the model, return {field: [old, new]}.

    Raises ApplicationError (with the model's own Chinese messages) before anything is saved.
    """
    unknown = set(data) - set(fields)
    if unknown:
        raise ApplicationError(
            f"不能修改这些字段：{', '.join(sorted(unknown))}", code="field_not_editable"
        )
    changes = {}
    for name in fields:
        if name in data and getattr(instance, name) != data[name]:
            changes[name] = [getattr(instance, name), data[name]]
            setattr(instance, name, data[name])
    try:
        # Check constraints stay in the database as a safety net; services check them first
        # with messages of their own.
        instance.full_clean(exclude=list(exclude), validate_constraints=False)
    except ValidationError as exc:
        messages = [f"{k}: {'；'.join(v)}" for k, v in exc.message_dict.items()]
        raise ApplicationError(
            "；".join(messages), code="invalid", extra=exc.message_dict
        ) from None
    return changes
