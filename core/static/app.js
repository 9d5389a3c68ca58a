// Starts the GOV.UK Frontend components on every page.
import { initAll } from "./build/govuk-frontend.min.js";

initAll();

// A wide table scrolls inside its own container, never the page (a 375 px phone): the
// container can take the keyboard's focus, so it can be scrolled without a mouse.
for (const table of document.querySelectorAll("table.govuk-table")) {
  if (table.closest(".app-table-container")) {
    continue;
  }
  const container = document.createElement("div");
  container.className = "app-table-container";
  container.tabIndex = 0;
  container.setAttribute("role", "region");
  const caption = table.querySelector("caption");
  const name = caption ? caption.textContent.trim() : "Table";
  container.setAttribute("aria-label", `${name} (scrolls sideways)`);
  table.replaceWith(container);
  container.append(table);
}

// The agency pickers load only on the pages that have one.
if (document.querySelector("select[data-picker]")) {
  import("./pickers.js");
}
