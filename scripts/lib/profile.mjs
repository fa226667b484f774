// A V8 CPU profile (CDP `Profiler.stop`) as self time per function and per crate, printed as two
// tables (scripts/profile-wasm.mjs, scripts/profile-worker.mjs). `glue` names the JS functions that
// are the module's own glue (counted as "js glue").
export function printProfile(profile, { glue = () => false, top = 30 } = {}) {
  const dt = new Map();
  profile.samples.forEach((id, i) => {
    dt.set(id, (dt.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0));
  });
  const self = new Map();
  let total = 0;
  for (const n of profile.nodes) {
    const t = dt.get(n.id) ?? 0;
    total += t;
    const file = n.callFrame.url.split('/').pop();
    const js = n.callFrame.functionName && file && !file.endsWith('.wasm') && !n.callFrame.url.startsWith('wasm');
    const name = js ? `${n.callFrame.functionName} (${file})` : n.callFrame.functionName || `(${file || 'native'})`;
    self.set(name, (self.get(name) ?? 0) + t);
  }
  const crate = (name) => {
    if (name.startsWith('(')) return name;
    const m = name.match(/^(?:<)?([a-z_][a-z0-9_]*)::(?:([a-z_][a-z0-9_]*)::)?/);
    if (m?.[1] === 'onbehalf' && m[2]) return `onbehalf::${m[2]}`;
    return m ? m[1] : glue(name) ? 'js glue' : 'other';
  };
  const byCrate = new Map();
  for (const [name, t] of self) byCrate.set(crate(name), (byCrate.get(crate(name)) ?? 0) + t);
  const pct = (t) => `${((100 * t) / total).toFixed(1).padStart(6)} %`;
  console.log('self time by crate:');
  for (const [k, t] of [...byCrate].sort((a, b) => b[1] - a[1]).slice(0, 16)) console.log(`${pct(t)}  ${k}`);
  console.log('self time by function:');
  for (const [k, t] of [...self].sort((a, b) => b[1] - a[1]).slice(0, top))
    console.log(`${pct(t)}  ${k.slice(0, 140)}`);
  // PROFILE_TOTAL=<regex>: also the inclusive time (the function and what it calls) of the functions
  // whose names match, each counted once per sample however deep it recurses.
  if (process.env.PROFILE_TOTAL) {
    const only = new RegExp(process.env.PROFILE_TOTAL);
    const byId = new Map(profile.nodes.map((n) => [n.id, n]));
    const parent = new Map();
    for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
    const inclusive = new Map();
    profile.samples.forEach((id, i) => {
      const names = new Set();
      for (let at = id; at !== undefined; at = parent.get(at)) names.add(byId.get(at).callFrame.functionName);
      for (const name of names)
        if (name && only.test(name)) inclusive.set(name, (inclusive.get(name) ?? 0) + (profile.timeDeltas[i] ?? 0));
    });
    console.log(`inclusive time of /${process.env.PROFILE_TOTAL}/:`);
    for (const [k, t] of [...inclusive].sort((a, b) => b[1] - a[1]).slice(0, top))
      console.log(`${pct(t)}  ${k.slice(0, 140)}`);
  }
  return total;
}
