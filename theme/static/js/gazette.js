// Dark-mode toggle. Runs in <head> so a saved choice applies before the first paint;
// without JavaScript the page simply follows the system setting.
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

  document.addEventListener("DOMContentLoaded", function () {
    var button = document.querySelector(".theme-toggle");
    if (!button) return;
    function show() { button.setAttribute("aria-pressed", String(isDark())); }
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
