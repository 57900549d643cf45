// DevTools selectors queried with the semantics of Puppeteer's query handlers, as @puppeteer/replay's
// runner uses them. Evaluated as an expression; `locate` and `count` are called from Python.
//   css     document.querySelectorAll: does not pierce shadow roots
//   aria/   accessible name (and [role="…"]) in Chromium's accessibility tree: the matches Python found
//           with Accessibility.queryAXTree, handed over as `window.__encoreAria[token]` (first part only)
//   text/   the deepest elements whose text (input values and shadow text included) contains the string,
//           case-sensitively
//   xpath/  document.evaluate relative to the scope
//   pierce/ CSS matched inside every (nested) open shadow root (first part only)
// Parts after the first descend into the previous match's shadow root (or the element itself).
(() => {
  const PREFIXES = ["aria", "text", "xpath", "pierce"];
  const IDENT_START = /[-\w\P{ASCII}*]/u;
  const kindOf = (part) => {
    for (const prefix of PREFIXES) if (part.startsWith(prefix + "/")) return [prefix, part.slice(prefix.length + 1)];
    return ["css", part];
  };

  // --- text/ -----------------------------------------------------------------
  const TRIVIAL_VALUE_TYPES = new Set(["checkbox", "image", "radio"]);
  const hasValueText = (n) => n instanceof HTMLSelectElement || n instanceof HTMLTextAreaElement
    || (n instanceof HTMLInputElement && !TRIVIAL_VALUE_TYPES.has(n.type));
  const suitable = (n) => !["SCRIPT", "STYLE"].includes(n.nodeName) && !(document.head && document.head.contains(n));
  const fullText = (root, cache) => {
    if (cache.has(root)) return cache.get(root);
    let full = "";
    if (root.nodeType === Node.ELEMENT_NODE && !suitable(root)) full = "";
    else if (hasValueText(root)) full = root.value;
    else {
      for (let child = root.firstChild; child; child = child.nextSibling) {
        if (child.nodeType === Node.TEXT_NODE) full += child.nodeValue || "";
        else if (child.nodeType === Node.ELEMENT_NODE) full += fullText(child, cache);
      }
      if (root.nodeType === Node.ELEMENT_NODE && root.shadowRoot) full += fullText(root.shadowRoot, cache);
    }
    cache.set(root, full);
    return full;
  };
  const textAll = (root, value, cache, out) => {
    let found = false;
    for (const node of root.childNodes) {
      if (node instanceof Element && suitable(node)) {
        if (textAll(node.shadowRoot || node, value, cache, out)) found = true;
      }
    }
    if (!found && root instanceof Element && suitable(root) && fullText(root, cache).includes(value)) {
      out.push(root);
      found = true;
    }
    return found;
  };

  // --- xpath/ and pierce/ -----------------------------------------------------
  const xpathAll = (root, value, out) => {
    const doc = root.ownerDocument || document;
    const iterator = doc.evaluate(value, root, null, XPathResult.ORDERED_NODE_ITERATOR_TYPE);
    const found = [];
    for (let node = iterator.iterateNext(); node; node = iterator.iterateNext()) found.push(node);
    out.push(...found);
  };
  const shadowRoots = (root) => {
    const roots = [root];
    for (let i = 0; i < roots.length; i++) {
      const walker = document.createTreeWalker(roots[i], NodeFilter.SHOW_ELEMENT);
      for (let n = walker.nextNode(); n; n = walker.nextNode()) if (n.shadowRoot) roots.push(n.shadowRoot);
    }
    return roots;
  };

  // --- one part, one alternative ----------------------------------------------
  // P-selector CSS: a chunk that starts with a type selector searches below; any other chunk
  // (#id, .class, [attr]) applies to the node itself unless it has no parent element.
  const cssOn = (node, css, out) => {
    if (IDENT_START.test(css[0]) || !node.parentElement) {
      out.push(...node.querySelectorAll(css));
      return;
    }
    const parent = node.parentElement;
    const index = Array.prototype.indexOf.call(parent.children, node) + 1;
    out.push(...parent.querySelectorAll(`:scope>:nth-child(${index})${css}`));
  };
  const partOn = (node, part, legacy, out) => {
    const [kind, value] = kindOf(part);
    if (kind === "css") {
      if (legacy) out.push(...node.querySelectorAll(value));
      else cssOn(node, value, out);
    } else if (kind === "text") textAll(node, value, new Map(), out);
    else if (kind === "xpath") xpathAll(node, value, out);
    else if (kind === "aria") throw new Error("aria/ is queried only as a selector's first part");
    else {
      const start = node.nodeType === Node.DOCUMENT_NODE ? node.documentElement : node;
      for (const root of shadowRoots(legacy ? start : (node.shadowRoot || node))) {
        for (const el of root.querySelectorAll(value)) if (!(legacy && el === start)) out.push(el);
      }
    }
  };
  const depth = (node) => {
    const path = [];
    for (let n = node; n; ) {
      if (n instanceof ShadowRoot) n = n.host;
      let index = 0;
      for (let s = n.previousSibling; s; s = s.previousSibling) index++;
      path.unshift(index);
      n = n.parentNode;
    }
    return path;
  };
  const domSort = (nodes) => {
    const unique = [...new Set(nodes)];
    const keyed = unique.map((n) => [n, depth(n)]);
    keyed.sort(([, a], [, b]) => {
      for (let i = 0; i < Math.max(a.length, b.length); i++) {
        const x = a[i] === undefined ? -1 : a[i];
        const y = b[i] === undefined ? -1 : b[i];
        if (x !== y) return x < y ? -1 : 1;
      }
      return 0;
    });
    return keyed.map(([n]) => n);
  };
  // What Python found for a first aria/ part, handed over under a token (and forgotten once read).
  const registered = (token) => {
    const all = window.__encoreAria || {};
    const nodes = (all[token] || []).filter((n) => n.isConnected);
    delete all[token];
    return nodes;
  };
  // Locator semantics (click, hover, change, scroll): a single CSS part is plain querySelectorAll;
  // anything else is a P-selector whose parts are joined by Puppeteer's `>>>>` (into the shadow root).
  const alternative = (scope, parts, token) => {
    if (parts.length === 1 && kindOf(parts[0])[0] === "css") return [...scope.querySelectorAll(parts[0])];
    let nodes = [scope];
    parts.forEach((part, i) => {
      const next = [];
      if (i === 0 && token) next.push(...registered(token));
      else for (const node of nodes) partOn(i === 0 ? node : (node.shadowRoot || node), part, false, next);
      nodes = next;
    });
    return domSort(nodes);
  };
  // waitForElement semantics: frame.$$(first part), then each later part inside shadowRoot || element, unsorted.
  const legacyAlternative = (scope, parts, token) => {
    let nodes = [];
    if (token) nodes.push(...registered(token));
    else partOn(scope, parts[0], true, nodes);
    for (const part of parts.slice(1)) {
      const next = [];
      for (const node of nodes) partOn(node.shadowRoot || node, part, true, next);
      nodes = next;
    }
    return nodes;
  };

  const isVisible = (el) => {
    if (!(el instanceof Element)) return false;
    const style = getComputedStyle(el);
    const rect = el.getBoundingClientRect();
    return !["hidden", "collapse"].includes(style.visibility) && rect.width > 0 && rect.height > 0;
  };
  const involvesAria = (parts) => parts.some((p) => kindOf(p)[0] === "aria");

  return {
    // The element @puppeteer/replay's locator race acts on. Every alternative is queried; the race is
    // won by the first alternative (in order, those involving aria/ last: that query takes a round trip
    // more) that finds something; one the page rejects just never finds anything. A winner with several
    // matches acts on the first, which is trusted only when another alternative singles out that element.
    // `aria`: alternative index -> token of its first part's matches; `deferred`: aria alternatives not
    // queried yet, because an alternative without aria/ may settle the race on its own.
    locate: (selectors, aria, deferred) => {
      const found = selectors.map((parts, i) => {
        if (deferred.includes(i)) return { nodes: [], deferred: true };
        try {
          return { nodes: alternative(document, parts, aria[i]) };
        } catch (e) {
          return { nodes: [], error: String((e && e.message) || e).split("\n")[0].slice(0, 300) };
        }
      });
      const order = selectors.map((parts, i) => i)
        .sort((a, b) => Number(involvesAria(selectors[a])) - Number(involvesAria(selectors[b])) || a - b);
      const winner = order.find((i) => found[i].nodes.length > 0);
      const outcomes = found.map((f) => ({ matches: f.nodes.length, visible: f.nodes.filter(isVisible).length,
        error: f.error || null, deferred: !!f.deferred }));
      if (winner === undefined) {
        return { status: found.some((f) => f.error) ? "error" : "missing", outcomes, winner: null, element: null };
      }
      const element = found[winner].nodes[0];
      if (!(element instanceof Element)) return { status: "not_element", outcomes, winner, element: null };
      if (found[winner].nodes.length > 1
          && !found.some((f) => f.nodes.length === 1 && f.nodes[0] === element)) {
        return { status: "ambiguous", outcomes, winner, element: null };
      }
      const disagree = found.some((f) => f.nodes.length === 1 && f.nodes[0] !== element);
      return { status: "ok", outcomes, winner, element, disagree, visible: isVisible(element) };
    },
    // waitForElement: the first alternative with matches, compared with count/operator, properties and
    // attributes checked on every match; holds when that result equals `visible`.
    count: (selectors, aria, count, operator, visible, properties, attributes) => {
      let nodes = [];
      for (const [i, parts] of selectors.entries()) {
        nodes = legacyAlternative(document, parts, aria[i]);
        if (nodes.length) break;
      }
      for (const token of Object.values(aria)) registered(token);  // the ones not reached
      const compare = { "==": (a, b) => a === b, ">=": (a, b) => a >= b, "<=": (a, b) => a <= b }[operator];
      let result = compare(nodes.length, count);
      const deepMatch = (a, b) => {
        if (a === b) return true;
        if ((a && !b) || (!a && b)) return false;
        if (!(a instanceof Object) || !(b instanceof Object)) return false;
        return Object.entries(a).every(([key, value]) => deepMatch(value, b[key]));
      };
      if (result && (properties || attributes)) {
        result = nodes.every((el) => Object.entries(attributes || {}).every(([k, v]) => el.getAttribute(k) === v))
          && nodes.every((el) => !properties || deepMatch(properties, el));
      }
      return { holds: result === visible, matches: nodes.length };
    },
  };
})()
