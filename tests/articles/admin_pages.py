"""The guide admin's pages as tests read and send them."""

from django.contrib.messages import get_messages

from tests.pages import form_data


def change_url(guide):
    return f"/admin/articles/guide/{guide.pk}/change/"


def said(response):
    """The messages the admin showed after a request, as one string."""
    return " ".join(str(message) for message in get_messages(response.wsgi_request))


def save_with(client, guide, **changes):
    """Open the guide's admin page and save it with these fields changed."""
    data = form_data(client.get(change_url(guide)).text, "guide_form")
    return client.post(change_url(guide), data | changes, follow=True)
