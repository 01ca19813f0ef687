// Tells the site when a reader clicks one of a search's results, so that editors can see which
// searches were left without one (articles/search_log.py). It sends only the search's words, once
// per results page, with navigator.sendBeacon so that following the link is not held up. Without
// JavaScript (or sendBeacon) no click is counted; the search page works the same.
(function () {
  "use strict";
  var script = document.currentScript;
  var url = script && script.getAttribute("data-click-url");
  var query = new URLSearchParams(window.location.search).get("q");
  if (!url || !query || !navigator.sendBeacon || !window.FormData) return;
  var sent = false;
  function clicked(event) {
    var link = event.target.closest && event.target.closest(".search-hits a[href], .search-articles a[href]");
    if (!link || sent) return;
    var data = new FormData();
    data.append("q", query);
    sent = navigator.sendBeacon(url, data);
  }
  document.addEventListener("click", clicked);
  document.addEventListener("auxclick", clicked); // the middle button: opened in a new tab
})();
