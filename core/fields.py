"""Serializer fields that accept only the JSON type they declare (the contract's strict types)."""

from django.db import models
from rest_framework import serializers


class CounterField(models.PositiveIntegerField):
    """A count of other rows kept on this one, by the apps that write those rows, with F()
    updates in the same transaction. A full save of the instance never writes it (see
    `CountersKeptMixin`): it would write back the value read earlier, over concurrent ones."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("default", 0)
        # In the column too: a row written without it (by SQL, by the previous release during an
        # upgrade) starts at zero.
        kwargs.setdefault("db_default", 0)
        kwargs.setdefault("editable", False)
        super().__init__(*args, **kwargs)


class CountersKeptMixin:
    """For models with CounterFields: a save of an existing row leaves its counters alone (and,
    as Django's own save does, the fields it did not load)."""

    def save(self, *args, **kwargs):
        if not self._state.adding and kwargs.get("update_fields") is None:
            deferred = self.get_deferred_fields()
            kwargs["update_fields"] = [
                field.name
                for field in self._meta.concrete_fields
                if not field.primary_key
                and not isinstance(field, CounterField)
                and field.attname not in deferred
            ]
        super().save(*args, **kwargs)


def is_text(value):
    """Whether a database can store `value` and a cache client encode it: no NUL character
    (PostgreSQL refuses it) and no lone surrogate (JSON's escape `\\ud800` on its own decodes to
    one, which UTF-8 cannot encode). DRF's CharField refuses both too, but only once a serializer
    validates the body; this is for what must be read before that."""
    if "\x00" in value:
        return False
    try:
        value.encode()
    except UnicodeEncodeError:
        return False
    return True


def _as_sent(field, data):
    """Refuse what is not a string, or longer than the field's maximum as it was sent: DRF trims
    before checking the length, so "   " + 254 characters passed a 255 limit (and the schema's
    maxLength, which is about what is sent)."""
    if not isinstance(data, str):
        field.fail("invalid")
    if field.max_length is not None and len(data) > field.max_length:
        field.fail("max_length", max_length=field.max_length)


class StrictCharField(serializers.CharField):
    """A string, and only a string: `5` or `true` is a 400, not silently `"5"`."""

    def to_internal_value(self, data):
        _as_sent(self, data)
        return super().to_internal_value(data)


class StrictEmailField(serializers.EmailField):
    """An email given as a JSON string, as it is: " ada@example.com" is not an email address."""

    def __init__(self, **kwargs):
        kwargs.setdefault("trim_whitespace", False)
        super().__init__(**kwargs)

    def to_internal_value(self, data):
        _as_sent(self, data)
        return super().to_internal_value(data)


class StrictIntegerField(serializers.IntegerField):
    """A JSON integer: `"5"`, `5.0` and `true` are rejected."""

    def to_internal_value(self, data):
        if isinstance(data, bool) or not isinstance(data, int):
            self.fail("invalid")
        return super().to_internal_value(data)


class StrictBooleanField(serializers.BooleanField):
    """A JSON boolean: `0`, `1` and `"true"` are rejected."""

    default_error_messages = {"invalid": "Must be a JSON boolean, true or false."}

    def to_internal_value(self, data):
        if not isinstance(data, bool):
            self.fail("invalid")
        return data


class StrictModelSerializer(serializers.ModelSerializer):
    """A ModelSerializer whose generated fields use the strict types above."""

    serializer_field_mapping = {
        **serializers.ModelSerializer.serializer_field_mapping,
        models.CharField: StrictCharField,
        models.TextField: StrictCharField,
        models.EmailField: StrictEmailField,
        models.IntegerField: StrictIntegerField,
        models.BigIntegerField: StrictIntegerField,
        models.PositiveIntegerField: StrictIntegerField,
        models.BooleanField: StrictBooleanField,
    }
