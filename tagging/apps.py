from django.apps import AppConfig


class TaggingConfig(AppConfig):
    name = "tagging"
    verbose_name = "Tag identity"

    def ready(self):
        # taggit's Tag is not ours to give a field or a save(): whatever writes a
        # tag (tags.add(), the tag admin, Tag.objects.create) passes these.
        from django.db.models.signals import post_save, pre_save
        from taggit.models import Tag

        from tagging.models import tag_cleaned, tag_key_saved

        pre_save.connect(tag_cleaned, sender=Tag, dispatch_uid="tag-cleaned")
        post_save.connect(tag_key_saved, sender=Tag, dispatch_uid="tag-key-saved")
