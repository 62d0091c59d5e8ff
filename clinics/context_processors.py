from clinics.stats import has_sample_data


def sample_data(request):
    """Lets the base layout say so while fictional sample clinics are listed."""
    return {"has_sample_data": has_sample_data}
