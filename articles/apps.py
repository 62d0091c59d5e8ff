from django.apps import AppConfig


class ArticlesConfig(AppConfig):
    name = "articles"
    verbose_name = "Guides"

    def ready(self):
        from articles import signals  # noqa: F401
