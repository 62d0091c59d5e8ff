// The directory's htmx requests, made a little kinder. The page works the
// same without this file: it only shortens addresses, keeps the clinics ticked
// to compare in the address and counted on the Compare buttons, and moves focus.
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

  // Loaded again from history (Back, or a reload), a page may have its tick
  // boxes as they were left (the filter fields have autocomplete=off): without
  // JavaScript that keeps what was ticked but not yet sent. Here every tick is
  // in the address already, and one restored from an older state of the page
  // would not match it (Firefox restores even on a reload, which is how htmx
  // answers Back here): the form goes back to what the page was rendered with.
  var navigation = window.performance && performance.getEntriesByType
    ? performance.getEntriesByType("navigation")[0]
    : null;
  var filterForm = document.getElementById("filter-form");
  if (filterForm && navigation && navigation.type !== "navigate") filterForm.reset();

  // A city is in one state: another state chosen lets go of it, or the
  // search would be for "Austin, California", which is nowhere.
  document.addEventListener("change", function (event) {
    var field = event.target;
    if (!field.matches || !field.matches('#filter-form select[name="state"]')) return;
    var city = field.form.querySelector('input[name="city"]');
    if (city) city.value = "";
  });

  var TICK_BOXES = '#results input[name="clinic"]';
  // Long enough for a run of ticks to be told once, when it stops.
  var ANNOUNCE_AFTER_MS = 1000;
  var announceTimer = null;
  // The count a screen reader last heard, or saw rendered by the server.
  var countKnown = null;

  // Worded as clinics/includes/results.html words it.
  function compareLabel(count, most) {
    if (count === 0) return "Compare selected";
    if (count === 1) return "Compare 1 clinic";
    if (count <= most) return "Compare " + count + " clinics";
    return "Compare " + most + " of " + count + " clinics";
  }

  function announcement(count, most) {
    if (count === 0) return "No clinics ticked to compare.";
    if (count === 1) return "1 clinic ticked to compare.";
    if (count <= most) return count + " clinics ticked to compare.";
    return count + " clinics ticked. Compare takes at most " + most + " at a time.";
  }

  function serverCount() {
    var form = document.getElementById("compare-form");
    return form ? Number(form.dataset.ticked) : 0;
  }

  // Politely, once the ticking stops, and only when the count has changed.
  function announceSoon(count, most) {
    if (countKnown === null) countKnown = serverCount();
    clearTimeout(announceTimer);
    announceTimer = setTimeout(function () {
      var live = document.getElementById("ticked-live");
      if (!live || count === countKnown) return;
      countKnown = count;
      live.textContent = announcement(count, most);
    }, ANNOUNCE_AFTER_MS);
  }

  // Ticking "Compare" writes the ticked clinics into the address, so that a
  // reload, Back to this page or the address shared keeps them ticked (the
  // server renders clinic= as ticked boxes), and counts them on the buttons.
  function ticksChanged() {
    var form = document.getElementById("compare-form");
    var boxes = document.querySelectorAll(TICK_BOXES);
    var ticked = document.querySelectorAll(TICK_BOXES + ":checked");
    var url = new URL(window.location.href);
    url.searchParams.delete("clinic");
    ticked.forEach(function (box) {
      url.searchParams.append("clinic", box.value);
    });
    history.replaceState(history.state, "", url);

    var most = form ? Number(form.dataset.compareMax) : 4;
    var count = ticked.length;
    announceSoon(count, most);
    // Before the count on the buttons, as the stylesheet has it: each box's
    // default is now what the count is from.
    boxes.forEach(function (box) {
      box.defaultChecked = box.checked;
    });
    document.querySelectorAll("#results .ticked-count").forEach(function (label) {
      label.textContent = compareLabel(count, most);
    });
    var limit = document.getElementById("compare-limit");
    if (limit) limit.hidden = count <= most;
    // As many ticked as an address keeps: the other boxes wait, and say why.
    var carried = form ? Number(form.dataset.carriedMax) : 8;
    boxes.forEach(function (box) {
      var waits = count >= carried && !box.checked;
      box.disabled = waits;
      if (waits) box.setAttribute("aria-describedby", "carry-limit");
      else box.removeAttribute("aria-describedby");
    });
    var carryLimit = document.getElementById("carry-limit");
    if (carryLimit) carryLimit.hidden = count < carried;
    // What the server left out was of the ticks it was sent, not of these.
    document.querySelectorAll("#carry-limit .ticks-left-out").forEach(function (note) {
      note.hidden = true;
    });
    document.querySelectorAll(".untick-all").forEach(function (link) {
      link.hidden = count === 0;
    });
    // The empty state's suggestions were written with the ticks the page came
    // with: following one must not tick again a clinic unticked since.
    document.querySelectorAll('#results .empty-state a[href^="/clinics/"]').forEach(function (link) {
      var target = new URL(link.getAttribute("href"), window.location.href);
      target.searchParams.delete("clinic");
      ticked.forEach(function (box) {
        target.searchParams.append("clinic", box.value);
      });
      link.setAttribute("href", target.pathname + target.search);
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
    // Its link is hidden now: leave focus on the Compare button beside it.
    var button = link.closest(".compare-form").querySelector("button");
    if (button) button.focus();
  });

  // With JavaScript a tick box is only ticked: Enter on it would otherwise
  // submit the form (clicking "Show clinics"), dropping the page number and
  // adding an entry to the history for the same search.
  document.addEventListener("keydown", function (event) {
    var box = event.target;
    if (event.key === "Enter" && box.matches && box.matches(TICK_BOXES)) {
      event.preventDefault();
    }
  });

  function isResults(target) {
    return target && target.id === "results";
  }

  // The boxes ticked or unticked since a search set off: its results come
  // back with the boxes as they were sent, and would silently undo them.
  var changedInFlight = null;

  function tickName(box) {
    var card = box.closest("[data-clinic]");
    if (!card) return box.labels.length ? box.labels[0].textContent.trim() : box.value;
    var place = card.querySelector(".card-place").textContent.split(" · ")[0];
    return card.querySelector("h3").textContent.trim() + ", " + place.trim();
  }

  function fromPagination(detail) {
    var source = detail.requestConfig && detail.requestConfig.elt;
    return Boolean(source && source.closest && source.closest(".pagination"));
  }

  // A page of the same results: the heading, given focus, says the count and
  // the page number, so #live-count must not say the count again.
  var pageSwap = false;

  document.addEventListener("htmx:oobBeforeSwap", function (event) {
    if (pageSwap && event.detail.target.id === "live-count") event.preventDefault();
  });

  document.addEventListener("htmx:beforeSwap", function (event) {
    changedInFlight = null;
    pageSwap = isResults(event.detail.target) && fromPagination(event.detail);
    var config = event.detail.requestConfig;
    if (!isResults(event.detail.target) || !config || !config.formData) return;
    var sent = new Set(config.formData.getAll("clinic"));
    changedInFlight = [];
    document.querySelectorAll(TICK_BOXES).forEach(function (box) {
      if (box.checked !== sent.has(box.value)) {
        changedInFlight.push({ slug: box.value, checked: box.checked, name: tickName(box) });
      }
    });
  });

  // A clinic ticked that the new results do not list waits where the server
  // would put it, under "Also ticked to compare", still sent with the form.
  function keepTicked(change) {
    var compare = document.getElementById("compare-form");
    if (!compare) return;
    var kept = compare.querySelector(".compared-elsewhere");
    if (!kept) {
      kept = document.createElement("fieldset");
      kept.className = "compared-elsewhere";
      var legend = document.createElement("legend");
      legend.textContent = "Also ticked to compare";
      kept.appendChild(legend);
      compare.prepend(kept);
    }
    var check = document.createElement("div");
    check.className = "check";
    var box = document.createElement("input");
    box.type = "checkbox";
    box.name = "clinic";
    box.value = change.slug;
    box.id = "compare-kept-" + change.slug;
    box.checked = true;
    box.setAttribute("form", "filter-form");
    var label = document.createElement("label");
    label.htmlFor = box.id;
    label.textContent = change.name;
    check.append(box, label);
    kept.appendChild(check);
  }

  function reapplyTicks() {
    var changes = changedInFlight;
    changedInFlight = null;
    if (!changes || !changes.length) return;
    changes.forEach(function (change) {
      var box = Array.from(document.querySelectorAll(TICK_BOXES)).find(function (each) {
        return each.value === change.slug;
      });
      if (box) box.checked = change.checked;
      else if (change.checked) keepTicked(change);
    });
    // The address htmx has just pushed, the buttons' count and what is said.
    ticksChanged();
  }

  // The errors come swapped in out of band, beside fields left in place (so
  // that focus and what is typed stay): mark each field as they say.
  function markInvalidFields() {
    document.querySelectorAll("#filter-form .field-errors").forEach(function (errors) {
      var invalid = errors.querySelector(".field-error") !== null;
      var field = errors.closest(".field");
      if (field) field.classList.toggle("has-error", invalid);
      var controls = document.querySelectorAll('[aria-describedby~="' + errors.id + '"]');
      controls.forEach(function (control) {
        if (invalid) control.setAttribute("aria-invalid", "true");
        else control.removeAttribute("aria-invalid");
      });
    });
  }

  // New results come counted by the server: nothing to say about them.
  // After "Next" or "Previous", start at the top of the new page of results
  // rather than at the bottom of the list, with focus where reading starts:
  // here, in the step that removed the button pressed, so that focus never
  // falls to the page's body in between.
  document.addEventListener("htmx:afterSwap", function (event) {
    if (!isResults(event.detail.target)) return;
    clearTimeout(announceTimer);
    countKnown = serverCount();
    markInvalidFields();
    reapplyTicks();
    var paged = pageSwap;
    pageSwap = false;
    var shown = showRequested;
    showRequested = false;
    if (!paged && !shown) return;
    var heading = document.getElementById("results-heading");
    if (heading) heading.focus();
  });

  // "Show clinics" asks to see the results: on a phone they are far below
  // the filters, and nothing in sight would change (the search may even have
  // run already, as the filters changed). Its search ends with focus on the
  // results. Enter in a box "clicks" it too, but there focus stays in the box,
  // to correct what was typed.
  var showRequested = false;
  var showButton = document.getElementById("show-clinics");
  if (showButton) {
    showButton.addEventListener("click", function (event) {
      showRequested = event.detail > 0 || document.activeElement === showButton;
    });
  }

  // A search or a page of results that fails (no network, an error from the
  // server, no answer in time) leaves the old results in place: htmx swaps
  // nothing. Say so, beside them and to a screen reader, with a full page
  // load of the search that failed. The next results come with the message
  // hidden again, and #live-count and #filter-count swapped in anew.
  var FAILED_MESSAGE =
    "We couldn't update the results. The clinics shown are still from before your last change. " +
    "Check your connection, then choose Show the results, above them.";

  function say(text) {
    var live = document.getElementById("live-count");
    if (!live) return;
    // Emptied first, so that the same words, said again after a second
    // failure, are a change a screen reader announces.
    live.textContent = "";
    setTimeout(function () {
      live.textContent = text;
    }, 100);
  }

  function requestFailed(event) {
    if (!isResults(event.detail.target)) return;
    var notice = document.getElementById("results-error");
    if (!notice) return;
    var path = event.detail.pathInfo && event.detail.pathInfo.finalRequestPath;
    var retry = notice.querySelector(".results-error-retry");
    // Only an address on this site: a plain GET of what htmx asked for.
    if (retry && path && path.charAt(0) === "/" && path.charAt(1) !== "/") {
      retry.setAttribute("href", path);
    }
    notice.hidden = false;
    // On a phone the open filters hide the results: the bar at their foot,
    // which would otherwise go on counting the old results, says it too.
    var bar = document.querySelector("#filter-count a");
    if (bar) {
      bar.textContent = "Results not updated: see why";
      bar.setAttribute("href", "#results-error");
    }
    // Nothing came to show: the next results must not take focus for this.
    showRequested = false;
    say(FAILED_MESSAGE);
  }

  ["htmx:sendError", "htmx:responseError", "htmx:timeout"].forEach(function (name) {
    document.addEventListener(name, requestFailed);
  });
})();
