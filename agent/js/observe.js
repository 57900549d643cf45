// Lists what an agent can act on or read in one document, in DOM order, through open shadow roots.
// Evaluated as `(limit) => ({elements, info})`; `describe` (the recorder's fingerprint script) is
// prepended by the caller so roles and accessible names are computed exactly as they are recorded.
(limit) => {
  const INTERACTIVE_ROLES = new Set(["button", "link", "checkbox", "radio", "tab", "menuitem", "option",
    "combobox", "textbox", "searchbox", "switch", "slider", "spinbutton", "listbox", "menuitemcheckbox",
    "menuitemradio", "treeitem"]);
  const TEXT_TAGS = new Set(["h1", "h2", "h3", "h4", "h5", "h6", "p", "td", "th", "li", "dt", "dd", "span",
    "div", "label", "strong", "em", "b", "small", "caption", "figcaption", "legend", "output", "pre", "code"]);
  const collapse = (s) => (s || "").replace(/\s+/g, " ").trim();
  const visible = (e) => {
    const r = e.getBoundingClientRect();
    if (r.width <= 0 || r.height <= 0) return false;
    const style = getComputedStyle(e);
    return style.visibility !== "hidden" && style.display !== "none" && style.opacity !== "0";
  };
  const interactive = (e) => {
    const tag = e.tagName.toLowerCase();
    if (tag === "input") return (e.getAttribute("type") || "").toLowerCase() !== "hidden";
    if (["button", "select", "textarea", "summary"].includes(tag)) return true;
    if (tag === "a" && e.hasAttribute("href")) return true;
    if (INTERACTIVE_ROLES.has(e.getAttribute("role") || "")) return true;
    if (e.isContentEditable && !(e.parentElement && e.parentElement.isContentEditable)) return true;
    return e.hasAttribute("onclick") || (e.hasAttribute("tabindex") && e.getAttribute("tabindex") !== "-1");
  };
  const ownText = (e) => {
    let out = "";
    for (const child of e.childNodes) if (child.nodeType === Node.TEXT_NODE) out += child.textContent;
    return collapse(out);
  };
  const state = (e) => {
    const s = [];
    const tag = e.tagName.toLowerCase();
    if ((tag === "input" && ["checkbox", "radio"].includes(e.type)) || e.getAttribute("aria-checked"))
      s.push((e.checked || e.getAttribute("aria-checked") === "true") ? "checked" : "unchecked");
    if (e.disabled || e.getAttribute("aria-disabled") === "true") s.push("disabled");
    if (e.getAttribute("aria-expanded")) s.push(e.getAttribute("aria-expanded") === "true" ? "expanded" : "collapsed");
    if (e.getAttribute("aria-selected") === "true") s.push("selected");
    if (e.required) s.push("required");
    if (e.readOnly) s.push("readonly");
    return s;
  };
  const valueOf = (e) => {
    const tag = e.tagName.toLowerCase();
    if (tag === "input" && (e.type || "").toLowerCase() === "password") return e.value ? "********" : "";
    if (tag === "select") return Array.from(e.selectedOptions).map((o) => collapse(o.label)).join(", ");
    if (tag === "input" || tag === "textarea") return e.value;
    return null;
  };
  const optionsOf = (e) => e.tagName.toLowerCase() === "select"
    ? Array.from(e.options).slice(0, 30).map((o) => collapse(o.label)) : null;

  const isRow = (e) => {
    const tag = e.tagName.toLowerCase();
    const role = e.getAttribute("role");
    return role === "row" || (tag === "tr" && !role) || ((tag === "li" || role === "listitem") && e.children.length > 0);
  };

  const elements = [];
  const info = [];
  let insideInteractive = 0;
  const visit = (root) => {
    for (const e of root.children) {
      if (elements.length >= limit) return;
      const tag = e.tagName.toLowerCase();
      if (["script", "style", "noscript", "template", "head"].includes(tag)) continue;
      const shown = visible(e);
      const isControl = shown && interactive(e);
      if (isControl && !insideInteractive) {
        const d = describe(e);
        elements.push(e);
        info.push({ kind: "control", tag: d.tag, role: d.role, name: d.name, text: d.text ? d.text.slice(0, 80) : null,
          value: valueOf(e), state: state(e), options: optionsOf(e), attributes: d.attributes });
      } else if (shown && !insideInteractive && isRow(e)) {
        // Rows are listed before their cells, so a model can point at a record (for table extraction).
        const text = collapse(Array.from(e.children).map((c) => collapse(c.innerText)).join(" | "));
        elements.push(e);
        info.push({ kind: "row", tag, role: "row", name: null, text: text.slice(0, 160), value: null, state: [],
          options: null, attributes: {} });
      } else if (shown && !insideInteractive && ownText(e) && !(tag === "label" && e.control) && (TEXT_TAGS.has(tag) || e.children.length === 0)) {
        // A leaf's whole text; a mixed element's own words only (its children are listed themselves).
        const text = e.children.length === 0 ? collapse(e.innerText) : ownText(e);
        if (text) {
          elements.push(e);
          info.push({ kind: "text", tag, role: null, name: null, text: text.slice(0, 160), value: null, state: [],
            options: null, attributes: {} });
        }
      }
      if (isControl) insideInteractive++;
      if (e.shadowRoot) visit(e.shadowRoot);
      visit(e);
      if (isControl) insideInteractive--;
    }
  };
  visit(document.body || document.documentElement);
  return { elements, info, truncated: elements.length >= limit };
}
