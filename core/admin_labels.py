"""Names for the inputs the admin draws without a label.

A tabular inline shows its fields' labels once, as column headings, and not as
labels of each row's inputs: a screen reader announced the 20 role selects of a
story's people as "combo box". `LabelledInlineMixin` names each input after its
column and row ("Role, row 3"). `LabelledSplitDateTime` names the date and the
time inputs of a date-and-time field, which the admin marks up as text."""

from django.contrib.admin.widgets import AdminSplitDateTime


class LabelledFormSetMixin:
    def add_fields(self, form, index):
        super().add_fields(form, index)
        row = "new row" if index is None else f"row {index + 1}"
        for name, field in form.fields.items():
            if field.widget.is_hidden:
                continue
            label = "Delete" if name == "DELETE" else str(field.label or name)
            field.widget.attrs["aria-label"] = f"{label}, {row}"


class LabelledInlineMixin:
    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        return type(formset.__name__, (LabelledFormSetMixin, formset), {})


class LabelledSplitDateTime(AdminSplitDateTime):
    def __init__(self, label: str, attrs=None):
        super().__init__(attrs)
        date, time = self.widgets
        date.attrs["aria-label"] = f"{label.capitalize()}: date"
        time.attrs["aria-label"] = f"{label.capitalize()}: time"
