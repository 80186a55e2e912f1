// A box in the text column that scrolls sideways (a wide table, say) says so: while its content is wider than the
// box, it has the class hm-scrolls, which book_site/static/hmbook.css turns into a visible line above the content
// ("Scroll sideways for more"), and it can take keyboard focus, so that it can be scrolled with the arrow keys. Re-
// checked whenever the box changes size (a window narrowed to a phone's width, a solution opened).
(() => {
  "use strict";
  const BOXES = "article.bd-article div.output, article.bd-article .pst-scrollable-table-container";
  const mark = box => {
    const wide = box.scrollWidth > box.clientWidth + 1;
    box.classList.toggle("hm-scrolls", wide);
    if (wide && !box.hasAttribute("tabindex")) {
      box.setAttribute("tabindex", "0");
      box.setAttribute("role", "region");
      box.setAttribute("aria-label", "Wide content: scroll sideways for more");
    }
  };
  const start = () => {
    const boxes = document.querySelectorAll(BOXES);
    const watch = new ResizeObserver(entries => entries.forEach(e => mark(e.target)));
    boxes.forEach(box => { mark(box); watch.observe(box); });
  };
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
