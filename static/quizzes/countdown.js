// A timed quiz's time left, counted down where JavaScript runs (the page says the end time in
// words without it). Counted from the seconds the server gave, so the reader's clock doesn't matter.
(function () {
  "use strict";
  var box = document.querySelector("[data-seconds-left]");
  if (!box) return;
  var end = Date.now() + Number(box.getAttribute("data-seconds-left")) * 1000;
  var live = box.querySelector(".time-left-live");
  var announce = document.getElementById("time-announcement");
  function tick() {
    var left = Math.max(0, Math.round((end - Date.now()) / 1000));
    var minutes = Math.floor(left / 60);
    var seconds = String(left % 60).padStart(2, "0");
    live.textContent = left ? minutes + ":" + seconds + " left" : "time is up";
    // Said aloud once each by screen readers: 5 minutes, 1 minute, the end.
    var say = {300: "5 minutes left.", 60: "1 minute left.", 0: "Time is up: answers now don't count."}[left];
    if (say && announce) announce.textContent = say;
    if (left) window.setTimeout(tick, 1000);
  }
  tick();
})();
