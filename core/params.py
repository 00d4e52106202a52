"""Query parameters, strictly: written as their type is written, sent once, never sent empty."""

import re

from django import forms
from django.core.exceptions import ValidationError
from rest_framework import serializers

REPEATED = "Give this parameter once."
EMPTY = "This parameter may not be empty."
# An integer as a query string writes one: an optional minus sign and ASCII digits. Python's
# int(), and with it Django's and DRF's integer fields, also take `5.0`, ` 5`, `1_0` and other
# scripts' digits.
INTEGER_LITERAL = re.compile(r"-?[0-9]+")
# An id in a path: ASCII digits only (a router's `\d` also takes other scripts' digits, and its
# default `[^/.]+` took `1_0`, which int() reads as 10).
ID_PATTERN = r"[0-9]+"


class IntegerParameter(forms.IntegerField):
    """An integer query parameter, written as an integer, refused in the words DRF uses for a
    bad integer in a body."""

    default_error_messages = {"invalid": serializers.IntegerField.default_error_messages["invalid"]}

    def to_python(self, value):
        if value not in self.empty_values and not INTEGER_LITERAL.fullmatch(str(value)):
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        return super().to_python(value)


class ParametersForm(forms.Form):
    """A form of query parameters: one that is sent must have a value (`?published=` is a 400,
    not "all posts"), unless it is in `may_be_empty`; one sent twice is a 400, not "the last one
    wins"."""

    may_be_empty: frozenset[str] = frozenset()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in (self.fields.keys() & self.data.keys()) - self.may_be_empty:
            self.fields[name].required = True
            self.fields[name].error_messages["required"] = EMPTY

    def clean(self):
        cleaned_data = super().clean()
        for name in self.fields:
            if len(self.data.getlist(name)) > 1:
                self.add_error(name, REPEATED)
        return cleaned_data
