"""Admin pieces for tags typed by editors: what a typed name was filed under, and
the tag form that refuses a second tag reading as an existing one."""

from django import forms
from django.contrib import messages
from taggit.models import Tag

from core.tags import normalise_tag, tag_key
from tagging.models import TagKey, folded_names


class FoldedTagsMessageMixin:
    """For a ModelAdmin with a `tags` field: after a save, say which typed tags
    were filed under an existing tag of another spelling."""

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        for name, tag in folded_names(form.cleaned_data.get("tags") or []):
            self.message_user(
                request,
                f"“{name}” was filed under the existing tag “{tag.name}”.",
                messages.INFO,
            )


class TagForm(forms.ModelForm):
    class Meta:
        model = Tag
        fields = ["name", "slug"]

    def clean_name(self):
        name = normalise_tag(self.cleaned_data["name"])
        if not name:
            raise forms.ValidationError("A tag needs a name.", code="empty_tag")
        clash = (
            TagKey.objects.filter(key=tag_key(name))
            .exclude(tag_id=self.instance.pk)
            .select_related("tag")
            .first()
        )
        if clash is not None:
            raise forms.ValidationError(
                "“%(name)s” reads as the existing tag “%(existing)s”: use that one, "
                "or merge the two.",
                params={"name": name, "existing": clash.tag.name},
                code="folded_tag",
            )
        return name
