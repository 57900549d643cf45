// Structural selectors for one element: a short CSS path and an XPath, both anchored at the
// nearest ancestor with a stable id. Evaluated as `element => {...}`; the recorder ranks and
// verifies them alongside the semantic candidates it builds from the fingerprint.
(element) => {
  const generated = (value) => /[0-9a-f]{8,}|\d{5,}|^[a-z]{1,3}-[A-Za-z0-9_-]{6,}$|^:r[0-9a-z]+:$|^ember\d|^react-/i.test(value);
  const stableId = (el) => {
    const id = el.getAttribute("id");
    return id && !generated(id) ? id : null;
  };
  const inShadow = element.getRootNode() instanceof ShadowRoot;

  const cssSegment = (el) => {
    const tag = el.tagName.toLowerCase();
    const parent = el.parentElement;
    if (!parent) return tag;
    const same = Array.from(parent.children).filter((c) => c.tagName === el.tagName);
    return same.length === 1 ? tag : `${tag}:nth-of-type(${same.indexOf(el) + 1})`;
  };
  // anchored: stop at the nearest stable id (short); otherwise walk to <body> (survives id renames).
  const cssPath = (anchored) => {
    const parts = [];
    let el = element;
    while (el && el.nodeType === Node.ELEMENT_NODE) {
      const id = anchored ? stableId(el) : null;
      if (id) { parts.unshift(`#${CSS.escape(id)}`); break; }
      parts.unshift(cssSegment(el));
      if (el.tagName.toLowerCase() === "body") break;
      el = el.parentElement;
    }
    return parts.join(" > ");
  };

  const xpathLiteral = (s) => (!s.includes('"') ? `"${s}"` : !s.includes("'") ? `'${s}'`
    : `concat(${s.split('"').map((p) => `"${p}"`).join(", '\"', ")})`);
  const xpath = (anchored) => {
    const parts = [];
    let el = element;
    while (el && el.nodeType === Node.ELEMENT_NODE) {
      const id = anchored ? stableId(el) : null;
      if (id) { parts.unshift(`//*[@id=${xpathLiteral(id)}]`); return parts.join("/"); }
      const tag = el.tagName.toLowerCase();
      const parent = el.parentElement;
      const same = parent ? Array.from(parent.children).filter((c) => c.tagName === el.tagName) : [el];
      parts.unshift(same.length === 1 ? tag : `${tag}[${same.indexOf(el) + 1}]`);
      el = parent;
    }
    return "/" + parts.join("/");
  };

  const label = element.labels && element.labels.length ? element.labels[0] : null;
  return {
    cssPath: inShadow ? null : cssPath(true),
    cssFull: inShadow ? null : cssPath(false),
    xpath: inShadow ? null : xpath(true),
    stableId: stableId(element),
    testId: element.getAttribute("data-testid"),
    dataTest: ["data-test", "data-test-id", "data-qa", "data-cy"]
      .filter((a) => element.hasAttribute(a)).map((a) => [a, element.getAttribute(a)]),
    hasLabel: !!label || element.hasAttribute("aria-label") || element.hasAttribute("aria-labelledby"),
    labelText: label ? Array.from(label.childNodes).filter((n) => n.nodeType === Node.TEXT_NODE)
      .map((n) => n.textContent).join(" ").replace(/\s+/g, " ").trim() : null,
  };
}
