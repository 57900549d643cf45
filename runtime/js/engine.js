// The `encore` selector engine: the fingerprint check done inside the element resolution Playwright
// performs for an action, so the element acted on is the element verified, with no extra round trip.
// Evaluated once per frame as an expression; runtime/_pagejs.py fills in the __NAME__ placeholders.
//
// It runs as a content script (Playwright's isolated world, like its own selectors): no script of the
// page sees its state, and it costs the page no second copy of Playwright's injected script.
// The forms of `encore_verify=<json>` used by runtime/_engine.py:
// - `CANDIDATE.or_(:root) >> encore_verify={"m":"v",...}`: each element the candidate found is kept only
//   if it is visible and verifies (and, for a position-only candidate, has no indistinguishable twin).
//   The `:root` element passes first in every resolution and marks its start: a resolution that kept
//   nothing makes the next one throw `encore:<why>`, so a miss is reported in one poll, not at a timeout.
//   The element kept is remembered under the step's token and a guard is armed on it: the first trusted
//   input event of the action (pointerdown, keydown, beforeinput...) re-verifies it and, when the page
//   changed it since, blocks the event and records why; the next call into the frame raises that.
// - `encore_verify={"m":"r","t":...}`: the element a step acted on, as it is now (for its checks).
// - `encore_verify={"m":"s",...}`: nothing; raises what earlier steps left (a blocked guard, a field that
//   lost its value).
(() => {
  const lib = (__VERIFY__)(__FINGERPRINT__, __CONSTANTS__);
  const state = lib.state();
  const fail = lib.fail;
  const settle = (spec) => lib.settle(spec.n, spec.pend);
  const accept = (el, spec) => {
    if (spec.arm) lib.arm(el, spec.fp, spec.min, spec.t);
    else state.tokens.set(spec.t, el);
    return [el];
  };
  const check = (el, spec) => {
    if (!el.isConnected) return "gone";
    if (!lib.isVisible(el)) return "hidden";
    if (spec.fp) {
      const verdict = lib.judge(el, spec.fp);
      if (verdict.mismatch || verdict.score < spec.min)
        return `mismatch:${JSON.stringify(verdict.mismatch || `score ${verdict.score}`)}`;
      if (spec.pos && lib.twins(el, spec.fp, verdict.live)) return "ambiguous";
    }
    if (spec.opts) {
      const offered = Array.from(el.options || []).map((o) => (spec.opts.by === "value" ? o.value : o.label));
      const missing = spec.opts.want.filter((w) => !offered.includes(w));
      if (missing.length) fail(`option:${JSON.stringify(missing[0])}`);
    }
    return null;
  };
  return {
    queryAll(root, body) {
      const spec = JSON.parse(body);
      if (spec.m === "r") {  // read: the element a step acted on, as it is now
        const el = state.tokens.get(spec.t);
        return el && el.isConnected ? [el] : [];
      }
      if (spec.m === "s") {  // settle: only what earlier steps left to confirm
        settle(spec);
        return [];
      }
      const pass = (state.passes[spec.t] = state.passes[spec.t] || { n: 0, hit: false, why: null });
      if (root.ownerDocument && root === root.ownerDocument.documentElement) {
        settle(spec);
        if (pass.n > 0 && !pass.hit) fail(pass.why || "missing");
        pass.n += 1;
        pass.hit = false;
        pass.why = null;
        return [];
      }
      const why = check(root, spec);
      if (why) {
        pass.why = pass.why || why;
        return [];
      }
      pass.hit = true;
      return accept(root, spec);
    },
  };
})()
