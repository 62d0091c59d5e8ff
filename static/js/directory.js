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

  var TICK_BOXES = '#results input[name="clinic"]';

  // Ticking "Compare" writes the ticked clinics into the address, so that a
  // reload, Back to this page or the address shared keeps them ticked (the
  // server renders clinic= as ticked boxes).
  function ticksChanged() {
    var ticked = document.querySelectorAll(TICK_BOXES + ":checked");
    var url = new URL(window.location.href);
    url.searchParams.delete("clinic");
    ticked.forEach(function (box) {
      url.searchParams.append("clinic", box.value);
    });
    history.replaceState(history.state, "", url);
    document.querySelectorAll(".untick-all").forEach(function (link) {
      link.hidden = ticked.length === 0;
    });
  }

  document.addEventListener("change", function (event) {
    var box = event.target;
    if (box.matches && box.matches(TICK_BOXES)) ticksChanged();
  });

  // "Untick all" is a link to this search without clinic=; here it unticks
  // the boxes where they are, without a new request.
  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest(".untick-all");
    if (!link) return;
    event.preventDefault();
    document.querySelectorAll(TICK_BOXES).forEach(function (box) {
      box.checked = false;
    });
    ticksChanged();
    // Its link is hidden now: leave focus on the form it was in.
    var button = link.closest("form").querySelector("button");
    if (button) button.focus();
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
