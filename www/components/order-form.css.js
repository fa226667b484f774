// The order form's styles, adopted by its shadow root (a constructable stylesheet: no inline style,
// so a strict CSP holds). The host themes it through the custom properties and ::part().
export const FORM_CSS = `
:host { display: block; font-family: var(--onbehalf-font, system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", sans-serif); color: var(--onbehalf-text, #1f2933);
  --accent: var(--onbehalf-accent, #c7000b); --fail: var(--onbehalf-fail, #cf222e); --border: var(--onbehalf-border, #d9e2ec); --muted: #627d98; }
* { box-sizing: border-box; }
[hidden] { display: none !important; }
.orderpage { display: grid; grid-template-columns: minmax(0, 3fr) minmax(22rem, 2fr); align-items: start; }
@media (max-width: 1100px) { .orderpage { grid-template-columns: 1fr; } }
.card { background: var(--onbehalf-card, #fff); border: 1px solid var(--border); border-radius: var(--onbehalf-radius, 8px); padding: 1rem 1.25rem; margin: 1rem; }
h2 { font-size: 1.1rem; margin: 0 0 .75rem; } h2 small { color: var(--muted); font-weight: normal; font-size: .8rem; }
.grid { display: grid; grid-template-columns: repeat(auto-fill, minmax(14rem, 1fr)); gap: .25rem 1rem; }
.field label { display: block; font-size: .8rem; color: var(--muted); }
input { font: inherit; padding: .4rem .5rem; border: 1px solid var(--border); border-radius: 6px; width: 100%; display: block; margin: .25rem 0 .75rem; }
input[type="checkbox"], input[type="radio"] { display: inline; width: auto; margin: 0 .4rem 0 0; }
select { font: inherit; padding: .4rem .5rem; border: 1px solid var(--border); border-radius: 6px; width: 100%; background: #fff; margin: .25rem 0 .75rem; }
fieldset { border: 1px solid var(--border); border-radius: 6px; margin-bottom: .75rem; }
fieldset.tabs label { display: inline-block; margin-right: 1rem; }
.checks2 label { display: block; padding: .2rem 0; font-size: .9rem; }
.disks { padding-left: 1.25rem; margin: 0; }
.disk { display: grid; grid-template-columns: 12rem 7rem auto 7rem auto; gap: .5rem; align-items: center; }
.disk input, .disk select { margin: .25rem 0; }
button { background: var(--accent); color: #fff; border: 0; border-radius: 6px; padding: .45rem .9rem; font: inherit; cursor: pointer; }
button:disabled { background: #bcccdc; cursor: not-allowed; }
button:focus-visible, input:focus-visible, select:focus-visible { outline: 2px solid var(--accent); outline-offset: 1px; }
button.link { background: transparent; color: var(--accent); border: 1px solid var(--accent); }
button.small { padding: .1rem .5rem; font-size: .8rem; }
.actions { display: flex; gap: .5rem; align-items: center; margin-top: .75rem; flex-wrap: wrap; }
.field-error { display: block; color: var(--fail); font-size: .8rem; margin: -.5rem 0 .5rem; }
[aria-invalid="true"] { border-color: var(--fail); outline: 1px solid var(--fail); }
.error { color: var(--fail); } .warn { color: #9a6700; } .muted { color: var(--muted); font-size: .85rem; }
.payload { background: #1f2933; color: #e4e7eb; padding: .75rem; border-radius: 6px; font-size: .78rem; max-height: 32rem; overflow: auto; white-space: pre; }
.payload:empty { display: none; }
table { width: 100%; border-collapse: collapse; font-size: .8rem; }
th, td { text-align: left; padding: .3rem .4rem; border-bottom: 1px solid var(--border); }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
.total { font-size: 1.1rem; }
.budget { display: inline-block; width: 8rem; height: .5rem; background: #e4e7eb; border-radius: 4px; overflow: hidden; }
.budget .fill { display: block; height: 100%; background: #1a7f37; }
.budget.lvl-75 .fill { background: #d4a72c; } .budget.lvl-90 .fill { background: #fb8500; } .budget.lvl-100 .fill { background: var(--fail); }
`;
