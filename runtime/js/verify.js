// Verifying a live element against a recorded fingerprint inside the page: the twin of runtime/_score.py
// (same features, weights and mismatches; tests/runtime/test_score.py keeps the two equal).
// Evaluated as `(fingerprint, K) => library`, K holding the weights and attribute lists from Python.
// Kept free of dependencies: it runs inside arbitrary pages, in every frame.
(fingerprint, K) => {
  const words = (s) => (s || "").split(/\s+/).filter(Boolean).map((w) => w.toLowerCase());
  const norm = (s) => words(s).join(" ");
  const lcsRatio = (a, b) => {
    if (!a.length && !b.length) return 1;
    if (!a.length || !b.length) return 0;
    let previous = new Array(b.length + 1).fill(0);
    for (const x of a) {
      const current = [0];
      for (let j = 0; j < b.length; j++)
        current.push(x === b[j] ? previous[j] + 1 : Math.max(previous[j + 1], current[j]));
      previous = current;
    }
    return (2 * previous[b.length]) / (a.length + b.length);
  };
  const similarity = (a, b) => lcsRatio(words(a), words(b));
  const pathOf = (url) => {
    let s = String(url).replace(/^[a-z][a-z0-9+.-]*:\/\/[^/?#]*/i, "").replace(/^\/\/[^/?#]*/, "");
    s = s.split(/[?#]/)[0].replace(/\/+$/, "") || "/";
    return s.split("/").map((seg) => (/^\d+$/.test(seg) ? "*" : seg)).join("/");
  };
  const formParts = (form) => {
    const [method, action = "", names = ""] = form.split(" ");
    return [method.toLowerCase(), pathOf(action), new Set(names.split(",").filter(Boolean))];
  };
  // Same method and action path (record ids aside), and mostly the same field names (runtime/_score.py).
  const sameForm = (recorded, live) => {
    if (!live) return false;
    const [method, path, fields] = formParts(recorded);
    const [liveMethod, livePath, liveFields] = formParts(live);
    if (method !== liveMethod || path !== livePath) return false;
    const union = new Set([...fields, ...liveFields]);
    const common = [...fields].filter((f) => liveFields.has(f)).length;
    return union.size === 0 || 2 * common >= union.size;
  };
  const sameAttribute = (key, recorded, live) =>
    live !== undefined && live !== null && (key === "href" ? pathOf(recorded) === pathOf(live) : recorded === live);
  // A contract attribute (a field's name, a link's path) present with another value (runtime/_score.py).
  const contradicts = (key, recorded, live) =>
    K.contract.includes(key) && live !== undefined && live !== null && !sameAttribute(key, recorded, live);
  const otherField = (rec, live) => {
    const recAttrs = rec.attributes || {};
    if (!K.fieldTags.includes(rec.tag) || !("name" in recAttrs) || K.buttonTypes.includes(recAttrs.type)) return null;
    const sent = (live.attributes || {}).name;
    return sent !== undefined && sent !== null && sent !== recAttrs.name ? sent : null;
  };
  const isLabelled = (rec) => (rec.role ? K.labelledRoles.includes(rec.role) : K.labelledTags.includes(rec.tag));
  const stale = (rec, field) => (rec.stale || []).includes(field);

  // The recorded name is still the element's own text or a naming attribute of it (runtime/_score.py).
  const stillShows = (words, live) => {
    const want = norm(words);
    const attrs = live.attributes || {};
    return want === norm(live.text) || K.naming.some((k) => want === norm(attrs[k]));
  };
  const score = (rec, live) => {
    const W = K.weights;
    const parts = [[W.tag, rec.tag === live.tag ? 1 : 0]];
    if (rec.role) parts.push([W.role, rec.role === live.role ? 1 : 0]);
    if (rec.name && !stale(rec, "name"))
      parts.push([W.name, isLabelled(rec)
        ? (norm(rec.name) === norm(live.name) || stillShows(rec.name, live) ? 1 : 0) : similarity(rec.name, live.name)]);
    if (rec.text && !stale(rec, "text") && norm(rec.text) !== norm(rec.name))
      parts.push([W.text, similarity(rec.text, live.text)]);
    const recAttrs = rec.attributes || {};
    const liveAttrs = live.attributes || {};
    const identity = K.identity.filter((k) => k in recAttrs);
    let same = identity.filter((k) => sameAttribute(k, recAttrs[k], liveAttrs[k])).length;
    const contradicted = identity.filter((k) => contradicts(k, recAttrs[k], liveAttrs[k])).length;
    if (rec.form) { identity.push("form"); same += sameForm(rec.form, live.form) ? 1 : 0; }
    if (identity.length) {
      const share = same / identity.length;
      parts.push([1 + (W.identity - 1) * ((same + contradicted) / identity.length), share]);
    }
    const others = Object.keys(recAttrs).filter((k) => !K.identity.includes(k) && !K.volatile.includes(k));
    if (others.length)
      parts.push([W.attributes, others.filter((k) => recAttrs[k] === liveAttrs[k]).length / others.length]);
    if (rec.ancestors && rec.ancestors.length) parts.push([W.ancestors, lcsRatio(rec.ancestors, live.ancestors || [])]);
    const total = parts.reduce((sum, [w]) => sum + w, 0);
    return Math.round((parts.reduce((sum, [w, s]) => sum + w * s, 0) / total) * 1e4) / 1e4;
  };

  const mismatch = (rec, live) => {
    const q = (s) => JSON.stringify(s === undefined ? null : s).replace(/^"|"$/g, "'");
    if (rec.name && isLabelled(rec)) {
      if (stale(rec, "name")) return `it was recorded by a name holding data typed during the recording (${q(rec.name)})`;
      if (norm(rec.name) !== norm(live.name) && !stillShows(rec.name, live))
        return `its name is ${q(live.name)}, recorded ${q(rec.name)}`;
    }
    const sent = otherField(rec, live);
    if (sent !== null) return `it is the form field ${q(sent)}, recorded ${q(rec.attributes.name)}`;
    if (rec.form && formParts(rec.form)[0] !== "get" && !sameForm(rec.form, live.form))
      return `it belongs to ${live.form ? "form " + q(live.form) : "no form"}, recorded in form ${q(rec.form)}`;
    if (rec.context) {
      if (stale(rec, "context"))
        return `its container was told apart by data typed during the recording (${q(rec.context.text)})`;
      const found = live.context;
      if (found && !found.ok)
        return found.text ? `its container holds ${q(found.text)}, not ${q(rec.context.text)}`
          : `it is not in a container holding ${q(rec.context.text)}`;
    }
    return null;
  };

  const isVisible = (e) => {
    const r = e.getBoundingClientRect();
    return r.width > 0 && r.height > 0 && getComputedStyle(e).visibility !== "hidden";
  };
  const textOf = (e) => norm(e.innerText !== undefined ? e.innerText : e.textContent);
  // Does the element's container (nearest `context.container`) hold an element whose whole text is
  // `context.text`? `text` reports the container's first text otherwise, for the divergence message.
  const contextOf = (el, context) => {
    const box = el.closest(context.container);
    if (!box) return { ok: false, text: null };
    const want = norm(context.text);
    let first = null;
    if (textOf(box).includes(want)) {
      for (const d of Array.from(box.querySelectorAll("*")).slice(0, 300)) {
        if (d === el || el.contains(d) || d.contains(el)) continue;
        if (textOf(d) === want) return { ok: true, text: context.text };
      }
    }
    for (const d of Array.from(box.querySelectorAll("*")).slice(0, 300)) {
      if (d === el || el.contains(d) || d.contains(el) || d.children.length) continue;
      const t = textOf(d);
      if (t) { first = t.slice(0, 80); break; }
    }
    return { ok: false, text: first };
  };
  // A recorded counter ("Clear completed (1)") is a pattern (`rec.pat`, see runtime/_templates.py): a live
  // name or text of that shape counts as the recorded one, since the count moved and the element did not.
  const shaped = (rec, key, value) => {
    const pattern = rec && rec.pat && rec.pat[key];
    return Boolean(pattern && value && new RegExp(pattern).test(String(value).replace(/\s+/g, " ").trim()));
  };
  const live = (el, rec) => {
    const fp = fingerprint(el);
    if (rec && rec.context) fp.context = contextOf(el, rec.context);
    for (const key of ["name", "text"]) if (shaped(rec, key, fp[key])) fp[key] = rec[key];
    return fp;
  };
  const judge = (el, rec) => {
    const fp = live(el, rec);
    return { score: score(rec, fp), mismatch: mismatch(rec, fp), live: fp };
  };
  // Other visible elements that the recording cannot tell from `el`: same fingerprint, and (when a
  // context was recorded) a container holding the same text. A position is all that separates them.
  const twins = (el, rec, fp) => {
    const key = (f) => JSON.stringify([f.tag, f.role, f.name, f.text, f.attributes, f.ancestors, f.form]);
    const mine = key(fp);
    const root = el.getRootNode();
    const all = Array.from((root.querySelectorAll ? root : document).querySelectorAll(fp.tag)).slice(0, 300);
    return all.filter((e) => e !== el && isVisible(e) && key(fingerprint(e)) === mine
      && (!rec.context || contextOf(e, rec.context).ok)).length;
  };
  // Shared by the engine and the probes of one frame: the elements steps acted on (by token, which
  // starts with the replay's nonce), the armed guard, and what a guard blocked.
  const state = () => (window[Symbol.for("encore.state")] = window[Symbol.for("encore.state")]
    || { passes: {}, tokens: new Map(), guard: null, blocked: null, onEvent: null });
  const fail = (why) => { throw new Error(`encore:${why}`); };
  const held = (el) => ("value" in el && el.tagName !== "BUTTON") ? String(el.value) : (el.innerText || "").trim();
  // What earlier steps of this replay left to check: a guard that blocked, fields that must still hold
  // the value typed into them. Throws `encore:blocked:<token>:<why>` or `encore:unkept:<token>:<held>`.
  const settle = (nonce, pending) => {
    if (!nonce) return;  // a caller outside any replay (a check of its own) has nothing to settle
    const s = state();
    if (s.blocked && !String(s.blocked.t).startsWith(nonce + ".")) s.blocked = null;  // an earlier replay's
    if (s.blocked) fail(`blocked:${s.blocked.t}:${JSON.stringify(s.blocked.why)}`);
    for (const [t, value] of pending || []) {
      const el = s.tokens.get(t);
      const now = el && el.isConnected ? held(el) : null;
      if (now !== value) fail(`unkept:${t}:${JSON.stringify(now === null ? null : now.slice(0, 200))}`);
    }
  };
  // The guard: the first trusted input event of an action that reaches the armed element (pointerdown,
  // keydown, beforeinput...) re-verifies it. When the page changed it since it was verified, the event
  // and the rest of the gesture are blocked and the reason kept for `settle` to raise.
  const GUARDED = ["pointerdown", "mousedown", "pointerup", "mouseup", "click", "dblclick", "auxclick",
    "contextmenu", "keydown", "keypress", "keyup", "beforeinput"];
  const onEvent = (event) => {
    const s = state();
    if (!event.isTrusted) return;
    const path = event.composedPath();
    if (s.blocked && s.blocked.el && path.includes(s.blocked.el)) {
      event.preventDefault();
      event.stopImmediatePropagation();
      return;
    }
    const guard = s.guard;
    if (!guard || !path.includes(guard.el)) return;
    s.guard = null;  // one check per action: what the page does in answer to it is its own business
    const verdict = guard.el.isConnected ? judge(guard.el, guard.fp) : null;
    if (verdict && !verdict.mismatch && verdict.score >= guard.min) return;
    event.preventDefault();
    event.stopImmediatePropagation();
    const why = !verdict ? "the element left the page" : verdict.mismatch || `its score fell to ${verdict.score}`;
    s.blocked = { t: guard.t, why, el: guard.el };
  };
  const arm = (el, fp, min, t) => {
    const s = state();
    s.tokens.set(t, el);
    s.guard = fp ? { el, fp, min, t } : null;
    // One listener per window, added again each time: adding the same function twice is a no-op, and
    // document.open() (a page rewriting itself) drops every listener a window had.
    s.onEvent = s.onEvent || onEvent;
    for (const type of GUARDED) window.addEventListener(type, s.onEvent, { capture: true });
  };
  return { score, mismatch, judge, live, twins, isVisible, contextOf, similarity, norm, state, fail, settle, held, arm };
}
