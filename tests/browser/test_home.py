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
