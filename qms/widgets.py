"""Form widgets shared by the modules."""

from __future__ import annotations

from django import forms
from django.forms.utils import flatatt
from django.utils.html import format_html
from django.utils.safestring import mark_safe


class PeopleSelect(forms.Select):
    """A ``<select>`` whose options are written in Python instead of one template per option.

    A case page offers the people of a whole sector (hundreds) in two pickers; rendered through
    the per-option templates they were most of the page's time. The markup is the same as our
    ``django/forms/widgets/select.html`` gives (a test holds the two equal). No option groups.
    """

    def render(self, name, value, attrs=None, renderer=None):
        final = self.build_attrs(self.attrs, attrs)
        classes = " ".join(filter(None, ["ds-input", final.pop("class", "")]))
        selected = set(self.format_value(value))
        options = []
        for option_value, label in self.choices:
            if isinstance(label, list | tuple):
                raise ValueError("PeopleSelect does not draw option groups.")
            text = "" if option_value is None else str(option_value)
            options.append(
                format_html(
                    '<option value="{}"{}>{}</option>',
                    text,
                    mark_safe(" selected") if text in selected else "",  # noqa: S308
                    label,
                )
            )
            if text in selected and not self.allow_multiple_selected:
                selected = set()  # like Django: only the first match is selected
        return format_html(
            '<select name="{}" class="{}"{}>{}</select>',
            name,
            classes,
            flatatt(final),
            mark_safe("".join(options)),  # noqa: S308 - each option built with format_html
        )


class FileUpload(forms.FileInput):
    """Designsystemet's file-upload box around the file input, and on phones a "Ta bilde" button
    whose input asks for the camera (``capture``) and sends its picture under the same name.

    The camera has its own input because ``capture`` on the only input would hide the gallery
    and PDFs; the two share the field's name, so the form reads them as one list. qms.js lists
    the chosen files' names below the box (the input itself is transparent).
    """

    template_name = "widgets/file_upload.html"
    allow_multiple_selected = True

    def __init__(self, attrs=None, camera: bool = True):
        super().__init__(attrs)
        self.camera = camera

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["widget"]["camera"] = self.camera
        return context
