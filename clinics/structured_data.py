"""schema.org data for clinic pages (rendered as JSON-LD)."""


def clinic_json_ld(clinic, request):
    data = {
        "@context": "https://schema.org",
        "@type": "MedicalClinic",
        "name": clinic.name,
        "url": request.build_absolute_uri(clinic.get_absolute_url()),
        "address": {
            "@type": "PostalAddress",
            "streetAddress": clinic.street_address,
            "addressLocality": clinic.city,
            "addressRegion": clinic.state,
            "postalCode": clinic.zip_code,
            "addressCountry": "US",
        },
        "medicalSpecialty": "Psychiatric",
        "availableService": [
            {
                "@type": "MedicalTherapy",
                "name": offering.get_route_display(),
                "offers": {
                    "@type": "Offer",
                    "priceCurrency": "USD",
                    "priceSpecification": {
                        "@type": "PriceSpecification",
                        "minPrice": offering.price_min,
                        "maxPrice": offering.price_max,
                        "priceCurrency": "USD",
                    },
                },
            }
            for offering in clinic.sorted_offerings()
        ],
    }
    if clinic.description:
        data["description"] = clinic.description
    if clinic.phone:
        data["telephone"] = clinic.phone
    if clinic.website:
        data["sameAs"] = clinic.website
    if clinic.latitude is not None:
        data["geo"] = {
            "@type": "GeoCoordinates",
            "latitude": clinic.latitude,
            "longitude": clinic.longitude,
        }
    return data
