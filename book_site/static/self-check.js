/* Self-check questions on the static site (hmbook_site's {self-check} directive): no kernel, no network.
   A reader picks an answer and presses "Check"; the verdict appears in a live region that screen readers
   announce. Written for this book (about 30 lines) rather than pulling in a quiz library: the questions are plain
   HTML forms, so they work with the keyboard and without any framework. */
document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll("form.self-check").forEach((form) => {
    const status = form.querySelector(".self-check-feedback");
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      const chosen = form.querySelector("input[type=radio]:checked");
      form.classList.remove("self-check-right", "self-check-wrong");
      if (!chosen) {
        status.textContent = "Choose an answer first.";
        return;
      }
      const right = chosen.value === form.dataset.answer;
      form.classList.add(right ? "self-check-right" : "self-check-wrong");
      status.textContent = right
        ? "Correct. " + form.dataset.explain
        : "Not quite. Have another look at the question and try again.";
    });
  });
});
