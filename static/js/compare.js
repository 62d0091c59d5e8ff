// The comparison on a phone: the row labels stick just under the clinics'
// names (site.css), whose height depends on how the names wrap, so it is
// measured here and kept up to date as they rewrap (rotation, text size).
(function () {
  "use strict";
  var region = document.querySelector(".table-scroll");
  var head = region && region.querySelector(".compare-table thead");
  if (!head) return;

  function measure() {
    region.style.setProperty("--compare-head", head.getBoundingClientRect().height + "px");
  }

  measure();
  if (window.ResizeObserver) new ResizeObserver(measure).observe(head);

  // A link taking focus half out of the box is brought in whole: browsers
  // scroll the box only to one wholly out of sight, and its focus ring is
  // otherwise cut off (scroll-padding keeps it clear of the sticky labels).
  region.addEventListener("focusin", function (event) {
    if (event.target !== region) {
      event.target.scrollIntoView({ block: "nearest", inline: "nearest" });
    }
  });
})();
