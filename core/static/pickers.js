// The agency pickers (docs/pages.md, "Pickers"). A select marked data-picker="agencies"
// holds the case's council's agencies and works as it is without JavaScript. Here it
// becomes the GOV.UK accessible autocomplete: typing searches every active agency
// (data-search-url, with the page's session), the council's first. The agency chosen is
// written back to the select, added as an option when the council's list lacks it, so the
// form posts the agency's id exactly as it does without script.
import "./build/accessible-autocomplete.min.js";

const { accessibleAutocomplete } = window;

const ESCAPES = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

function escape(text) {
  return String(text).replace(/[&<>"']/g, (c) => ESCAPES[c]);
}

function nameOf(agency) {
  return typeof agency === "string" ? agency : (agency?.name ?? "");
}

function suggestion(agency) {
  if (typeof agency === "string") {
    return escape(agency);
  }
  const codes = [agency.ods_code, agency.cqc_code].filter(Boolean).join(", ");
  const hint = [codes, agency.serves_council ? "" : "serves other councils"].filter(Boolean);
  const extra = hint.length ? ` <span class="autocomplete__hint-text">(${escape(hint.join("; "))})</span>` : "";
  return `${escape(agency.name)}${extra}`;
}

function enhance(select) {
  const url = new URL(select.dataset.searchUrl, window.location.href);
  const id = select.id;
  let latest = 0;

  function source(query, populate) {
    const text = query.trim();
    if (!text) {
      populate([]);
      return;
    }
    const asked = ++latest;
    url.searchParams.set("q", text.slice(0, 100));
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then((response) => (response.ok ? response.json() : []))
      .catch(() => [])
      .then((found) => {
        if (asked === latest) {
          populate(Array.isArray(found) ? found : []);
        }
      });
  }

  function choose(agency) {
    if (!agency || typeof agency === "string") {
      const input = document.getElementById(id);
      if (input && !input.value.trim()) {
        select.value = "";
      }
      return;
    }
    const value = String(agency.id);
    let option = Array.from(select.options).find((o) => o.value === value);
    if (!option) {
      option = new Option(agency.name, value);
      select.add(option);
    }
    select.value = value;
  }

  accessibleAutocomplete.enhanceSelectElement({
    selectElement: select,
    source,
    minLength: 2,
    autoselect: false,
    confirmOnBlur: false,
    showNoOptionsFound: true,
    defaultValue: select.value ? select.selectedOptions[0].textContent.trim() : "",
    templates: { inputValue: nameOf, suggestion },
    onConfirm: choose,
    tNoResults: () => "No active agency found",
    tStatusQueryTooShort: (n) => `Type ${n} or more characters to search the agencies`,
  });
}

for (const select of document.querySelectorAll("select[data-picker='agencies']")) {
  enhance(select);
}
