"""The home page in a real browser."""

from tests.browser.conftest import PHONE


def test_the_search_box_hint_fits_in_the_box_on_a_phone(new_page):
    page = new_page(viewport=PHONE)
    page.goto("/")
    fit = page.locator("#id_where").evaluate(
        """input => {
            const style = getComputedStyle(input, '::placeholder');
            const context = document.createElement('canvas').getContext('2d');
            context.font = [style.fontStyle, style.fontWeight, style.fontSize, style.fontFamily]
                .join(' ');
            const padding = parseFloat(style.paddingLeft) + parseFloat(style.paddingRight);
            return {
                placeholder: input.placeholder,
                text: context.measureText(input.placeholder).width,
                room: input.clientWidth - padding,
            };
        }"""
    )
    assert fit["text"] <= fit["room"], f"the hint is cut off on a {PHONE['width']}px phone: {fit}"


def test_the_search_box_is_on_the_first_screen_of_a_small_phone(new_page, directory_data):
    # The crisis line and the sample-data note are on every page; on a phone
    # they must still leave room for what the visitor came for.
    page = new_page(viewport={"width": 360, "height": 640})
    page.goto("/")
    box = page.locator("#id_where").bounding_box()
    assert box["y"] + box["height"] <= 640, box
    bar = page.get_by_role("complementary", name="Crisis support")
    assert bar.is_visible() and bar.bounding_box()["height"] <= 64
    assert page.get_by_role("note").filter(has_text="fictional").is_visible()


def test_the_crisis_line_is_easy_to_tap(new_page):
    page = new_page(viewport=PHONE)
    page.goto("/")
    for name in ("Call 988", "text 988"):
        link = page.get_by_role("link", name=name, exact=True)
        box = link.bounding_box()
        assert box["height"] >= 44 and box["width"] >= 44, (name, box)
