"""The story body's widget: a textarea that the rich-text editor takes over.

The editor is django-prose-editor's bundle (ProseMirror/Tiptap, BSD), served from
this site's static files. Its own widget loads it through an inline import map,
which the admin's Content-Security-Policy (`script-src 'self'`, no nonce) blocks;
this one names the bundle's URL on the textarea and loads a module of ours that
imports it, so nothing inline runs.
"""

from django import forms
from django.templatetags.static import static

EDITOR_MODULE = "django_prose_editor/editor.js"


class BodyEditorWidget(forms.Textarea):
    class Media:
        css = {
            "all": [
                "django_prose_editor/material-icons.css",
                "django_prose_editor/editor.css",
                "django_prose_editor/overrides.css",
                "articles/body_editor.css",
            ]
        }
        js = [forms.Script("articles/body_editor.js", type="module")]

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["widget"]["attrs"]["data-body-editor-module"] = static(EDITOR_MODULE)
        return context

    def use_required_attribute(self, initial):
        # The editor hides the textarea; a hidden required field cannot be focused.
        return False
