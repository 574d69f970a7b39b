"""Form fields shared by the modules."""

from __future__ import annotations

from collections import Counter

from django import forms
from django.forms.models import ModelChoiceIterator, ModelChoiceIteratorValue


class PeopleIterator(ModelChoiceIterator):
    """People by name; when two share the name a picker shows, each also gets their e-mail (or
    user name), so the two Kari Hansens can be told apart.

    Not their unit: who works where is visible only to some (``qms.rules.membership_rule``),
    and a picker does not know who is looking. No extra query.
    """

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        people = [(person, self.field.label_from_instance(person)) for person in self.queryset]
        counts = Counter(label for _person, label in people)
        for person, label in people:
            if counts[label] > 1:
                label = f"{label} ({person.email or person.username})"
            yield (ModelChoiceIteratorValue(self.field.prepare_value(person), person), label)


class PeopleChoiceField(forms.ModelChoiceField):
    """Choose one person (with ``qms.widgets.PeopleSelect`` where the list is long)."""

    iterator = PeopleIterator


class PeopleMultipleChoiceField(forms.ModelMultipleChoiceField):
    """Choose several people."""

    iterator = PeopleIterator
