from django.conf import settings


def is_signed_in(request):
    """
    Whether someone is signed in. Only a session cookie can mean so, and only
    then is the session read: visitors' pages must not vary on the cookie, so
    that the page cache serves them all the same page.
    """
    return settings.SESSION_COOKIE_NAME in request.COOKIES and request.user.is_authenticated
