from accounts.signed_in import is_signed_in


def signed_in(request):
    """Lets the header offer the account's pages to whoever is signed in."""
    return {"signed_in": is_signed_in(request)}
