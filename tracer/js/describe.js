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

  // Semantic class names (messagelist, success, historylink) survive releases; generated ones
  // (css-1x2y3z, sc-abc, jsx-123, _abc12, kJhbeI), utilities (mt-2, flex) and states (active) do not.
  const generatedClass = /^(css|sc|jsx|svelte|emotion|styled|astro|chakra|ember|ng|tw|mui|v)-|^[a-z]+[A-Z][A-Za-z]*$/;
  // Utility classes: a known prefix with a value (mt-2, text-sm, bg-white, w-1/2 has a slash and is
  // refused anyway), or a utility word on its own (flex, hidden, truncate).
  // Only prefixes no semantic name starts with: `order-summary` or `list-item` stay.
  const utilityClass = new RegExp("^(?:[mp][trblxyse]?|w|h|min-w|max-w|min-h|max-h|gap|space-[xy]|text|font|leading"
    + "|tracking|bg|border|rounded|shadow|opacity|flex|grid|items|justify|z|inset|overflow|cursor|ring|duration"
    + "|ease|whitespace|decoration|col-(?:xs|sm|md|lg|xl))-."
    + "|^(?:clearfix|container|row|col|flex|grid|block|inline|inline-block|inline-flex|hidden|visible|invisible"
    + "|sr-only|truncate|border|rounded|shadow|underline|italic|uppercase|lowercase|capitalize|static|fixed"
    + "|absolute|relative|sticky|pull-left|pull-right|float-left|float-right|text-center|text-left|text-right"
    + "|grow|shrink|transition|transform)$"
    // Framework classes every such control carries: they tell the kind of control, not which one.
    + "|^(?:btn|button|form|input|field|control|nav|navbar|card|badge|icon|fa|fas|far|glyphicon|dropdown"
    + "|list-group|modal|panel|mdc|mat|el|ant|custom)(?:-|$)");
  const stateClass = /^(?:is|has)-|^(?:active|selected|focus|focused|hover|open|opened|closed|show|shown|hide|collapsed|expanded|disabled|enabled|checked|current|loading|loaded|in|fade|dirty|pristine|touched|untouched|valid|invalid|odd|even|first|last|new|highlighted)$/;
  const semantic = (c) => c.length >= 3 && /^[A-Za-z][A-Za-z_-]*$/.test(c)
    && !generatedClass.test(c) && !utilityClass.test(c) && !stateClass.test(c);
  const classesOf = (el) => Array.from(el.classList || []).filter(semantic).slice(0, 4);
  // Inside a repeated item (a row, a list item) a class names every item's element alike: it singles
  // this one out only while the list has one item. Such an element gets no class candidate; an item
  // itself keeps its own classes (`li.success`) but not its list's (`.messagelist li`).
  const repeated = (el) => ["LI", "TR", "DT", "DD", "OPTION"].includes(el.tagName)
    || ["row", "listitem", "option", "article", "gridcell"].includes(el.getAttribute("role"));
  // A list or table that holds items is not part of one, even inside a layout table's cell.
  const holdsItems = !!element.querySelector("li, tr, dt, [role=row], [role=listitem]");
  let insideItem = false;
  for (let el = element.parentElement; el && el.tagName !== "BODY" && !holdsItems; el = el.parentElement) {
    if (repeated(el)) { insideItem = true; break; }
  }
  let contextClass = null;
  for (let el = element.parentElement, depth = 0; el && depth < 4 && !contextClass; el = el.parentElement, depth++) {
    if (el.tagName === "BODY") break;
    contextClass = classesOf(el)[0] || null;
  }

  const label = element.labels && element.labels.length ? element.labels[0] : null;
  return {
    classes: inShadow || insideItem ? [] : classesOf(element),
    contextClass: inShadow || insideItem ? null : contextClass,
    isItem: repeated(element),
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
