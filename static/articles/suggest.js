// Questions suggested under a search box as the reader types, where JavaScript runs (without it the
// box is a plain search form, as it always was). The box becomes a combobox with a listbox popup
// (the WAI-ARIA Authoring Practices' pattern, autocomplete="list"): Down and Up move through the
// suggestions (aria-activedescendant; focus stays in the box), Enter opens the one chosen or else
// searches as usual, Escape closes the list, a click or tap opens a suggestion, and a polite live
// region says how many there are. Each box names its source: <input data-suggest="/search/suggest/">.
(function () {
  "use strict";
  var DELAY = 150; // ms after the last key before asking: one request per pause, not per key
  var MIN_LETTERS = 2; // as the server: fewer letters are not searched

  function letters(text) {
    return (text.match(/[\p{L}\p{N}]/gu) || []).length;
  }

  function squeezed(text) {
    return text.trim().replace(/\s+/g, " ");
  }

  function sameSite(url) {
    // Only addresses on this site are opened (they come from our own server; checked anyway).
    try {
      var target = new URL(url, window.location.href);
      return target.origin === window.location.origin ? target.href : null;
    } catch (error) {
      return null;
    }
  }

  function enhance(input) {
    var endpoint = input.getAttribute("data-suggest");
    var form = input.form;
    var listId = input.id + "-suggestions";
    var list = document.createElement("ul");
    list.id = listId;
    list.className = "suggestions";
    list.setAttribute("role", "listbox");
    list.setAttribute("aria-label", "Suggested questions");
    list.hidden = true;
    var status = document.createElement("div");
    status.className = "visually-hidden";
    status.setAttribute("aria-live", "polite"); // a live region, not a second role="status" on the page
    status.setAttribute("aria-atomic", "true");
    var row = input.closest(".search-row") || input;
    row.after(list, status);
    form.classList.add("has-suggestions");

    // A text box, as in the Authoring Practices' example: the Nu HTML checker the tests run (20.6)
    // allows role="combobox" on type="text" only (the form stays a role="search" landmark).
    input.type = "text";
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", listId);
    input.setAttribute("autocomplete", "off"); // the browser's own list would cover ours

    var timer = null;
    var controller = null;
    var shownFor = null; // the query whose suggestions the list holds
    var active = -1;

    function options() {
      return list.querySelectorAll("[role=option]");
    }

    function isOpen() {
      return !list.hidden;
    }

    function open() {
      if (!options().length) return;
      list.hidden = false;
      input.setAttribute("aria-expanded", "true");
    }

    function close() {
      list.hidden = true;
      input.setAttribute("aria-expanded", "false");
      choose(-1);
    }

    function choose(index) {
      var all = options();
      active = index;
      all.forEach(function (option, n) {
        if (n === index) {
          option.setAttribute("aria-selected", "true");
        } else {
          option.removeAttribute("aria-selected");
        }
      });
      if (index >= 0 && all[index]) {
        input.setAttribute("aria-activedescendant", all[index].id);
        all[index].scrollIntoView({block: "nearest"});
      } else {
        input.removeAttribute("aria-activedescendant");
      }
    }

    function move(step) {
      var count = options().length;
      if (!count) return;
      if (!isOpen()) {
        open();
        choose(step > 0 ? 0 : count - 1);
        return;
      }
      // From the last suggestion Down goes back to the first, and from the first Up to the last.
      choose(active < 0 ? (step > 0 ? 0 : count - 1) : (active + step + count) % count);
    }

    function follow(option) {
      var url = sameSite(option.getAttribute("data-url"));
      if (url) window.location.assign(url);
    }

    function say(text) {
      if (status.textContent !== text) status.textContent = text;
    }

    function show(query, suggestions) {
      shownFor = query;
      list.replaceChildren();
      suggestions.forEach(function (suggestion, n) {
        var option = document.createElement("li");
        option.id = listId + "-" + n;
        option.className = "suggestion";
        option.setAttribute("role", "option");
        option.setAttribute("data-url", suggestion.url);
        var question = document.createElement("span");
        question.className = "suggestion-question";
        question.textContent = suggestion.question;
        var article = document.createElement("span");
        article.className = "suggestion-article";
        article.textContent = "In “" + suggestion.article + "”";
        option.append(question, " ", article);
        list.append(option);
      });
      var count = suggestions.length;
      if (count) {
        open();
        choose(-1);
        say(count === 1 ? "1 suggested question." : count + " suggested questions.");
      } else {
        close();
        say("No suggested questions. Press Enter to search.");
      }
    }

    function forget() {
      window.clearTimeout(timer);
      if (controller) controller.abort();
      controller = null;
      shownFor = null;
      list.replaceChildren();
      close();
      say("");
    }

    function ask(query) {
      if (controller) controller.abort(); // an answer to an older query is no longer wanted
      controller = new AbortController();
      var mine = controller;
      fetch(endpoint + "?q=" + encodeURIComponent(query), {
        signal: mine.signal,
        headers: {Accept: "application/json"},
      })
        .then(function (response) {
          if (!response.ok) throw new Error("suggestions: " + response.status);
          return response.json();
        })
        .then(function (data) {
          if (mine !== controller) return;
          controller = null;
          if (document.activeElement === input) show(query, data.suggestions || []);
        })
        .catch(function (error) {
          if (mine !== controller) return; // aborted for a newer query
          controller = null;
          close(); // no suggestions this time; the form still searches
          if (error.name !== "AbortError") say("");
        });
    }

    input.addEventListener("input", function () {
      window.clearTimeout(timer);
      var query = squeezed(input.value);
      if (letters(query) < MIN_LETTERS) {
        forget();
        return;
      }
      if (query === shownFor) {
        open();
        return;
      }
      choose(-1);
      timer = window.setTimeout(function () {
        ask(query);
      }, DELAY);
    });

    input.addEventListener("keydown", function (event) {
      if (event.isComposing || event.altKey || event.ctrlKey || event.metaKey) return;
      if (event.key === "ArrowDown" || event.key === "Down") {
        event.preventDefault();
        move(1);
      } else if (event.key === "ArrowUp" || event.key === "Up") {
        event.preventDefault();
        move(-1);
      } else if (event.key === "Enter") {
        var chosen = isOpen() && active >= 0 ? options()[active] : null;
        if (chosen) {
          event.preventDefault();
          follow(chosen);
        } else {
          close(); // and the form is sent as usual
        }
      } else if (event.key === "Escape" || event.key === "Esc") {
        if (isOpen()) {
          event.preventDefault(); // close the list only; the text stays
          close();
        } else if (input.value) {
          event.preventDefault(); // as a search box does: Escape again clears it
          input.value = "";
          forget();
        }
      }
    });

    input.addEventListener("blur", close);
    // A press on a suggestion leaves the focus in the box (so the list stays), and the click opens it.
    list.addEventListener("mousedown", function (event) {
      event.preventDefault();
    });
    list.addEventListener("click", function (event) {
      var option = event.target.closest("[role=option]");
      if (option) follow(option);
    });
    // Back to this page from the one a suggestion opened: the list is not left open.
    window.addEventListener("pageshow", close);
  }

  document.querySelectorAll("input[data-suggest][id]").forEach(function (input) {
    if (input.form && window.fetch && window.AbortController) enhance(input);
  });
})();
