"""Editors in a real browser: reading an edit to a published guide before saving it."""

from articles.models import Guide
from tests.builders import make_editor

PASSWORD = "a long test password"


def test_an_editor_previews_an_unsaved_edit_in_a_new_tab(new_page):
    make_editor("editor@site.example")
    guide = Guide.objects.visible().order_by("title").first()
    page = new_page()
    errors = []  # from every tab, the preview's included
    page.context.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.goto("/admin/login/")
    page.get_by_label("Email").or_(page.get_by_label("Username")).fill("editor@site.example")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.goto(f"/admin/articles/guide/{guide.pk}/change/")
    page.get_by_label("Body").fill("A sentence no visitor has seen yet.\n\n## Fresh part\n\nText.")

    with page.context.expect_page() as opened:
        page.get_by_role("button", name="Preview unsaved changes").click()
    preview = opened.value
    preview.wait_for_load_state()

    assert preview.get_by_text("Preview of unsaved changes").is_visible()
    assert preview.get_by_role("heading", name="Fresh part").is_visible()
    assert preview.get_by_text("A sentence no visitor has seen yet.").is_visible()
    assert page.url.endswith(f"/admin/articles/guide/{guide.pk}/change/"), "the form stays open"
    guide.refresh_from_db()
    assert "no visitor has seen" not in guide.body
    assert not errors
