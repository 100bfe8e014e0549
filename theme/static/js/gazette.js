// Dark-mode toggle. Runs in <head> so a saved choice applies before the first paint;
// without JavaScript the page simply follows the system setting.
// Until the reader chooses, the button shows the system's scheme (prefers-color-scheme);
// a choice is kept in localStorage for every page. Its state is aria-pressed (announced by
// screen readers) and, to the eye, the "on"/"off" after its name.
(function () {
  var KEY = "gazette-theme";
  var root = document.documentElement;
  var dark = window.matchMedia("(prefers-color-scheme: dark)");
  var saved = null;
  try { saved = localStorage.getItem(KEY); } catch (e) { /* storage blocked: follow the system */ }
  if (saved === "dark" || saved === "light") root.dataset.theme = saved;

  function isDark() {
    return root.dataset.theme ? root.dataset.theme === "dark" : dark.matches;
  }

  // On a phone the sections scroll sideways in their row: bring the page's own into view.
  function showCurrentSection() {
    var current = document.querySelector('.sections-nav [aria-current="page"]');
    var row = current && current.closest(".menu");
    if (!row || row.scrollWidth <= row.clientWidth) return;
    var left = current.getBoundingClientRect().left - row.getBoundingClientRect().left;
    row.scrollLeft += left - row.clientWidth / 3;
  }

  document.addEventListener("DOMContentLoaded", function () {
    showCurrentSection();
    var button = document.querySelector(".theme-toggle");
    if (!button) return;
    var state = button.querySelector(".theme-state");
    function show() {
      var on = isDark();
      button.setAttribute("aria-pressed", String(on));
      if (state) state.textContent = on ? "on" : "off";
    }
    button.addEventListener("click", function () {
      root.dataset.theme = isDark() ? "light" : "dark";
      try { localStorage.setItem(KEY, root.dataset.theme); } catch (e) { /* not saved */ }
      show();
    });
    dark.addEventListener("change", show);
    show();
    button.hidden = false;
  });
})();
