"""Whether a work email belongs to a clinic's own website domain."""

from urllib.parse import urlsplit


def website_domain(url):
    host = (urlsplit(url).hostname or "").lower().rstrip(".")
    return host.removeprefix("www.")


def email_matches_website(email, website):
    """True when the email's domain is the website's domain or a subdomain of it."""
    site = website_domain(website)
    domain = email.rpartition("@")[2].lower().rstrip(".")
    # A bare top-level domain or an IP address proves nothing about a clinic.
    if "." not in site or site.replace(".", "").isdigit():
        return False
    return domain == site or domain.endswith("." + site)
