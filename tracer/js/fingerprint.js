// Describes one element as Encore records and verifies it. Evaluated as `element => fingerprint`.
// Kept free of dependencies: it runs inside arbitrary pages, in every frame.
(element) => {
  const collapse = (s) => (s || "").replace(/\s+/g, " ").trim();
  const cap = (s, n) => (s.length > n ? s.slice(0, n) : s);
  const tag = element.tagName.toLowerCase();
  const type = (element.getAttribute("type") || "").toLowerCase();

  const implicitRole = () => {
    switch (tag) {
      case "a": case "area": return element.hasAttribute("href") ? "link" : null;
      case "button": return "button";
      case "select": return element.multiple || element.size > 1 ? "listbox" : "combobox";
      case "textarea": return "textbox";
      case "img": return element.getAttribute("alt") === "" ? "presentation" : "img";
      case "h1": case "h2": case "h3": case "h4": case "h5": case "h6": return "heading";
      case "nav": return "navigation";
      case "main": return "main";
      case "form": return "form";
      case "table": return "table";
      case "tr": return "row";
      case "td": return "cell";
      case "th": return "columnheader";
      case "ul": case "ol": return "list";
      case "li": return "listitem";
      case "option": return "option";
      case "dialog": return "dialog";
      case "input":
        if (["button", "submit", "reset", "image"].includes(type)) return "button";
        if (type === "checkbox") return "checkbox";
        if (type === "radio") return "radio";
        if (type === "range") return "slider";
        if (type === "number") return "spinbutton";
        if (type === "search") return element.hasAttribute("list") ? "combobox" : "searchbox";
        if (["", "text", "email", "tel", "url", "password"].includes(type))
          return element.hasAttribute("list") ? "combobox" : (type === "password" ? null : "textbox");
        return null;
      default: return null;
    }
  };
  const role = element.getAttribute("role") || implicitRole();

  const textOf = (el) => collapse(el.innerText !== undefined ? el.innerText : el.textContent);
  // A label's own words, without the controls inside it (their values change as the user types).
  const labelText = (label) => {
    let out = "";
    const walk = (node) => {
      for (const child of node.childNodes) {
        if (child.nodeType === Node.TEXT_NODE) out += child.textContent;
        else if (child.nodeType === Node.ELEMENT_NODE
          && !["INPUT", "SELECT", "TEXTAREA", "SCRIPT", "STYLE"].includes(child.tagName)) walk(child);
      }
    };
    walk(label);
    return collapse(out);
  };
  const accessibleName = () => {
    const labelledBy = element.getAttribute("aria-labelledby");
    if (labelledBy) {
      const root = element.getRootNode();
      const parts = labelledBy.split(/\s+/).map((id) => root.getElementById ? root.getElementById(id) : document.getElementById(id));
      const joined = collapse(parts.filter(Boolean).map(textOf).join(" "));
      if (joined) return joined;
    }
    const ariaLabel = collapse(element.getAttribute("aria-label"));
    if (ariaLabel) return ariaLabel;
    if (element.labels && element.labels.length)
      return collapse(Array.from(element.labels).map(labelText).join(" "));
    if (tag === "img" || (tag === "input" && type === "image")) {
      const alt = collapse(element.getAttribute("alt"));
      if (alt) return alt;
    }
    if (tag === "input" && ["button", "submit", "reset"].includes(type))
      return collapse(element.value) || (type === "submit" ? "Submit" : type === "reset" ? "Reset" : "");
    const fromContent = ["button", "link", "heading", "tab", "menuitem", "option", "cell", "columnheader",
      "checkbox", "radio", "listitem", "row", "switch"];
    if (fromContent.includes(role) || ["button", "a", "summary", "label", "legend", "option"].includes(tag)) {
      const text = textOf(element);
      if (text) return text;
    }
    const title = collapse(element.getAttribute("title"));
    if (title) return title;
    return collapse(element.getAttribute("placeholder"));
  };

  // Ids and names made by frameworks change on every build; they identify nothing.
  const generated = (value) => /[0-9a-f]{8,}|\d{5,}|^[a-z]{1,3}-[A-Za-z0-9_-]{6,}$|^:r[0-9a-z]+:$|^ember\d|^react-/i.test(value);
  const stable = {};
  for (const attr of Array.from(element.attributes)) {
    const n = attr.name;
    const keep = ["id", "name", "type", "href", "placeholder", "title", "alt", "role", "for"].includes(n)
      || n.startsWith("aria-") || n.startsWith("data-test") || n === "data-qa" || n === "data-cy";
    // `value` only where it is a label rather than user input (it could be a password).
    const labelValue = n === "value" && tag === "input" && ["button", "submit", "reset", "radio", "checkbox"].includes(type);
    if ((keep || labelValue) && !(n === "id" && generated(attr.value)))
      stable[n] = cap(attr.value, 200);
  }

  const summary = (el) => {
    const t = el.tagName.toLowerCase();
    const id = el.getAttribute("id");
    if (id && !generated(id)) return `${t}#${id}`;
    const r = el.getAttribute("role");
    if (r) return `${t}[role=${r}]`;
    const nm = el.getAttribute("name");
    if (nm) return `${t}[name=${nm}]`;
    return t;
  };
  const ancestors = [];
  let node = element;
  while (ancestors.length < 6) {
    node = node.parentElement || (node.getRootNode && node.getRootNode().host) || null;
    if (!node || node.tagName.toLowerCase() === "html") break;
    ancestors.push(summary(node));
  }

  // The form the element submits or fills, as method and resolved action path: a button that looks the
  // same but posts elsewhere is another button. A widget standing for a field (a contenteditable
  // textbox) belongs to the form around it; a link that happens to sit inside one (a layout that wraps
  // the page in a search form) sends nothing.
  const owner = element.form || (tag !== "a" && element.closest ? element.closest("form") : null);
  let form = null;
  if (owner) {
    const action = owner.getAttribute("action") || "";
    let path = action ? action.split(/[?#]/)[0] : location.pathname;
    try { if (action) path = new URL(action, document.baseURI).pathname; } catch (e) { /* a page without a base: as written */ }
    // and the names of the fields it sends: the contract with its server, which releases rarely change
    const fields = Array.from(owner.elements || [])
      .filter((f) => f.name && !["submit", "button", "reset", "image"].includes((f.type || "").toLowerCase()))
      .map((f) => f.name);
    const names = Array.from(new Set(fields)).sort().slice(0, 30).join(",");
    form = `${(owner.getAttribute("method") || "get").toLowerCase()} ${path}${names ? " " + names : ""}`;
  }

  const rect = element.getBoundingClientRect();
  const isField = ["input", "textarea", "select"].includes(tag);
  const text = isField ? "" : cap(textOf(element), 200);
  return {
    tag,
    role: role || null,
    name: cap(accessibleName() || "", 200) || null,
    text: text || null,
    attributes: stable,
    ancestors,
    form,
    box: { x: Math.round(rect.x), y: Math.round(rect.y), width: Math.round(rect.width), height: Math.round(rect.height) },
  };
}
