// The repeated container an element sits in (a table row, a list item, a menu item, a card) and the
// text that tells it from its siblings. Evaluated as `element => context | null`:
//   { container: CSS for Element.closest(), scope: {strategy: "role"|"css", value}, text, inner: [css...] }
// `text` is the whole text of an element inside the container, outside the target, that no sibling
// container contains (Playwright's has-text matches case-insensitive substrings); `inner` are CSS
// paths from the container down to the element, for candidates scoped to it.
(element) => {
  const collapse = (s) => (s || "").replace(/\s+/g, " ").trim();
  const textOf = (el) => collapse(el.innerText !== undefined ? el.innerText : el.textContent);
  const generated = (c) => /[0-9a-f]{6,}|\d{3,}|^css-|^sc-|^jsx-|^_|__/i.test(c);
  const ROLES = { row: "tr, [role=row]", listitem: "li, [role=listitem]", option: "[role=option]",
    menuitem: "[role=menuitem], [role=menuitemcheckbox], [role=menuitemradio]", gridcell: "[role=gridcell]",
    article: "article, [role=article]", treeitem: "[role=treeitem]", tab: "[role=tab]" };
  const roleOf = (el) => {
    const explicit = el.getAttribute("role");
    if (explicit && ROLES[explicit]) return explicit;
    const tag = el.tagName.toLowerCase();
    if (tag === "tr") return "row";
    if (tag === "li" && el.parentElement && ["UL", "OL", "MENU"].includes(el.parentElement.tagName)) return "listitem";
    if (tag === "article") return "article";
    return null;
  };
  const shape = (el) => Array.from(el.classList).filter((c) => !generated(c)).sort().join(".");
  // A card: its parent holds several children of its tag and stable classes, and another of them has
  // an element like the target (same tag and type), so the target's own markup repeats.
  const cardSelector = (el) => {
    const classes = Array.from(el.classList).filter((c) => !generated(c));
    const parent = el.parentElement;
    if (!classes.length || !parent) return null;
    const mine = shape(el);
    const peers = Array.from(parent.children).filter((c) => c !== el && shape(c) === mine);
    const like = `${element.tagName.toLowerCase()}${element.getAttribute("type") ? `[type="${element.getAttribute("type")}"]` : ""}`;
    if (!peers.some((p) => p.querySelector(like))) return null;
    return `.${classes.map((c) => CSS.escape(c)).join(".")}`;  // classes, not the tag: restyles swap div for article
  };

  const segment = (el) => {
    const tag = el.tagName.toLowerCase();
    const same = Array.from(el.parentElement.children).filter((c) => c.tagName === el.tagName);
    return same.length === 1 ? tag : `${tag}:nth-of-type(${same.indexOf(el) + 1})`;
  };
  const pathWithin = (box) => {
    const parts = [];
    for (let el = element; el && el !== box; el = el.parentElement) parts.unshift(segment(el));
    return parts.join(" > ");
  };
  // A row or item repeats the target only when a sibling holds an element of its kind at the same place
  // (each order's Cancel button, each todo's checkbox). A layout table's rows (a login box in one, a
  // search box in the next) are not a repeated structure; nor does their text tell anything apart.
  const repeats = (el, selector) => {
    const peers = Array.from(el.parentElement ? el.parentElement.children : []).filter((c) => c !== el && c.matches(selector));
    if (!peers.length) return true;  // a lone row: the rows added later are its siblings
    const path = pathWithin(el);
    return peers.some((p) => {
      try {
        const twin = p.querySelector(`:scope > ${path}`);
        return Boolean(twin) && twin.tagName === element.tagName;
      } catch (e) {
        return false;
      }
    });
  };

  let box = null, container = null, scope = null;
  for (let el = element.parentElement, depth = 0; el && depth < 8 && el.tagName !== "BODY"; el = el.parentElement, depth++) {
    const role = roleOf(el);
    if (role && repeats(el, ROLES[role])) { box = el; container = ROLES[role]; scope = { strategy: "role", value: role }; break; }
    const card = cardSelector(el);
    if (card) { box = el; container = card; scope = { strategy: "css", value: card }; break; }
  }
  if (!box) return null;

  const siblings = Array.from(box.parentElement ? box.parentElement.children : []).filter((c) => c !== box && c.matches(container));
  const lowered = siblings.map((s) => collapse(s.textContent).toLowerCase());
  const SKIP = ["BUTTON", "INPUT", "SELECT", "TEXTAREA", "OPTION", "SCRIPT", "STYLE", "svg"];
  const texts = [];
  for (const el of Array.from(box.querySelectorAll("*")).slice(0, 300)) {
    if (el === element || element.contains(el) || el.contains(element) || SKIP.includes(el.tagName)) continue;
    if (el.closest("button, select, textarea") && box.contains(el.closest("button, select, textarea"))) continue;
    const own = Array.from(el.childNodes).some((n) => n.nodeType === Node.TEXT_NODE && n.textContent.trim());
    const text = textOf(el);
    if (own && text && text.length <= 80 && !texts.includes(text)) texts.push(text);
  }
  const unique = texts.find((t) => lowered.every((s) => !s.includes(t.toLowerCase())));
  // With siblings, only a text they lack tells the container apart; a lone row still gets its first text.
  const text = unique || (siblings.length ? null : texts[0]);
  if (!text) return null;

  const inner = [pathWithin(box)];
  const stable = Array.from(element.classList).filter((c) => !generated(c));
  if (stable.length) inner.unshift(`${element.tagName.toLowerCase()}.${stable.map((c) => CSS.escape(c)).join(".")}`);
  return { container, scope, text, inner };
}
