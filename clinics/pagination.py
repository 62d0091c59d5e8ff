from django.core.paginator import Paginator
from django.utils.functional import cached_property

from clinics.stats import cached_ids


class CappedCountPaginator(Paginator):
    """
    Pages through a search's first `cap` matches, counting no further.

    Counting every match of a broad search among 100,000 clinics costs far
    more than finding the page (150 ms against 2), while counting to a cap
    stops early. Nobody pages through a thousand clinics: past the cap the
    page says "more than" and suggests narrowing the search.

    The count is taken by fetching the matches' ids (up to the cap, shared
    through the cache under `count_key`). Within the cap the page is then
    looked up among those ids: walking the clinics in page order to find the
    first 20 of a few hundred matches meant visiting most of 100,000 (up to
    450 ms), looking them up among the ids takes a few milliseconds.
    `among(ids)` gives those clinics in the search's order, without checking
    its filters again.
    """

    def __init__(self, object_list, per_page, *, cap, count_key, among, matches=None, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self.cap = cap
        self.among = among
        # The same clinics as object_list, in no order and maybe cheaper to find.
        self.matches = object_list if matches is None else matches
        self.count_key = {**count_key, "counted_to": cap}

    @cached_property
    def ids(self):
        """Ids of the matching clinics, up to one past the cap."""
        return cached_ids(self.matches, self.cap + 1, self.count_key)

    @cached_property
    def count(self):
        return min(len(self.ids), self.cap)

    @property
    def has_more(self):
        """Whether more clinics match than the pages reach."""
        return len(self.ids) > self.cap

    def get_page(self, number):
        # Django shows the last page for any number out of range; a page
        # below 1 is nearer the start.
        try:
            if int(number) < 1:
                number = 1
        except (TypeError, ValueError):
            pass
        return super().get_page(number)

    def page(self, number):
        if self.has_more:
            # Many matches: walking in page order finds a page's worth quickly.
            return super().page(number)
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        rows = self.among(self.ids)[bottom : bottom + self.per_page]
        return self._get_page(rows, number, self)
