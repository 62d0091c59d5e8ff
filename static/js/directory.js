// The directory's htmx requests, made a little kinder. The page works the
// same without this file: it only shortens addresses, keeps the clinics ticked
// to compare in the address and moves focus.
(function () {
  "use strict";

  // Leave empty fields out of the request, so the address pushed to the
  // address bar is short enough to share: /clinics/?route=iv, not
  // /clinics/?route=iv&max_price=&insurance=&near=&radius=25&...
  document.addEventListener("htmx:configRequest", function (event) {
    var form = event.detail.elt;
    if (!form.matches || !form.matches(".filter-form")) return;
    var data = event.detail.formData;
    Array.from(new Set(data.keys())).forEach(function (name) {
      if (data.getAll(name).every(function (value) { return value === ""; })) {
        data.delete(name);
      }
    });
    // A distance means nothing without a ZIP code to measure it from.
    if (!data.has("near")) data.delete("radius");
  });

  // Ticking "Compare" writes the ticked clinics into the address, so that a
  // reload, Back to this page or the address shared keeps them ticked (the
  // server renders clinic= as ticked boxes).
  document.addEventListener("change", function (event) {
    var box = event.target;
    if (!box.matches || !box.matches('#results input[name="clinic"]')) return;
    var url = new URL(window.location.href);
    url.searchParams.delete("clinic");
    document.querySelectorAll('#results input[name="clinic"]:checked').forEach(function (ticked) {
      url.searchParams.append("clinic", ticked.value);
    });
    history.replaceState(history.state, "", url);
  });

  // After "Next" or "Previous", start at the top of the new page of results
  // rather than at the bottom of the list, with focus where reading starts.
  document.addEventListener("htmx:afterSettle", function (event) {
    var source = event.detail.requestConfig && event.detail.requestConfig.elt;
    if (!source || !source.closest || !source.closest(".pagination")) return;
    var heading = document.getElementById("results-heading");
    if (heading) heading.focus();
  });
})();
