// The staff edit page's insurance grid has a column for each treatment the
// clinic lists. A treatment being added gets its column as soon as its prices
// are typed, so its insurance can be ticked in the same save (without
// JavaScript the column comes with the page after saving, as the hint says).
(function () {
  "use strict";
  var grid = document.querySelector(".insurance-grid");
  if (!grid) return;

  function priced(route) {
    return ["price_min", "price_max"].some(function (name) {
      var input = document.querySelector('input[name="' + route + "-" + name + '"]');
      return input && input.value.trim() !== "";
    });
  }

  function update(route) {
    var cells = grid.querySelectorAll('li[data-route="' + route + '"]');
    var ticked = Array.prototype.some.call(cells, function (cell) {
      return cell.querySelector("input").checked;
    });
    // A ticked box stays in view, so that it can be seen and taken off.
    var shown = priced(route) || ticked;
    cells.forEach(function (cell) { cell.hidden = !shown; });
  }

  document.querySelectorAll(".route-fieldset[data-route]").forEach(function (fieldset) {
    var route = fieldset.getAttribute("data-route");
    fieldset.addEventListener("input", function () { update(route); });
  });
  document.querySelectorAll(".columns-after-save").forEach(function (words) {
    words.hidden = true;
  });
})();
