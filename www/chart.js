// Hand-written SVG pictures: budget meters per key, usage per day as columns, and totals
// per key as horizontal bars. Every picture has a text alternative (label + data table).
import { h, s, amount, number } from "./ui.js";

/** A thin horizontal meter (0..1, can overflow) drawn to the width of its box. */
export function meter(fraction, { tone = toneFor(fraction), label } = {}) {
  const clamped = Math.max(0, Math.min(1, fraction));
  return s("svg", {
    class: `meter ${tone}`, viewBox: "0 0 100 8", preserveAspectRatio: "none",
    role: label ? "img" : null, "aria-label": label ?? null, "aria-hidden": label ? null : "true",
  },
  s("rect", { class: "meter-track", x: 0, y: 0, width: 100, height: 8, rx: 0 }),
  s("rect", { class: "meter-fill", x: 0, y: 0, width: (clamped * 100).toFixed(2), height: 8 }));
}

export function toneFor(fraction) {
  if (fraction >= 0.9) return "bad";
  if (fraction >= 0.7) return "warn";
  return "ok";
}

/** Budget used vs limit, one row per key with a limit, fullest first. */
export function budgetChart(container, keys, { onSelect, max = 8, budgets = true } = {}) {
  const limited = keys
    .filter((k) => k.budget && k.budget.limit !== null && k.budget.limit !== undefined)
    .map((k) => ({ key: k, used: k.budget.used ?? (k.budget.limit - (k.budget.remaining ?? k.budget.limit)), limit: k.budget.limit }))
    .map((row) => ({ ...row, fraction: row.limit > 0 ? row.used / row.limit : row.used > 0 ? 1 : 0 }))
    .sort((a, b) => b.fraction - a.fraction);
  const unlimited = keys.filter((k) => k.budget && (k.budget.limit === null || k.budget.limit === undefined));
  const none = keys.filter((k) => !k.budget);

  if (!limited.length) {
    const noBudgets = !budgets || (keys.length && none.length === keys.length);
    container.replaceChildren(h("p", { class: "empty" },
      noBudgets ? "This provider has no per-key budgets."
        : keys.length ? "No key has a spending limit. Set one from a key's details." : "No keys yet."));
    return;
  }
  const list = h("ul", { class: "budget-list" });
  for (const { key, used, limit, fraction } of limited.slice(0, max)) {
    const unit = key.budget.unit;
    const pct = Math.round(fraction * 100);
    const period = key.budget.period ? ` · resets ${key.budget.period}` : " · never resets";
    const nameEl = onSelect
      ? h("button", { type: "button", class: "link", onclick: () => onSelect(key) }, key.name ?? key.hint ?? key.id)
      : h("span", {}, key.name ?? key.id);
    list.append(h("li", { class: `budget-row ${toneFor(fraction)}` },
      h("div", { class: "budget-label" }, nameEl, h("span", { class: "pct" }, `${pct}%`)),
      meter(fraction, { label: `${key.name ?? key.id}: ${amount(used, unit)} of ${amount(limit, unit)} used (${pct}%)` }),
      h("div", { class: "budget-sub" }, `${amount(used, unit)} of ${amount(limit, unit)}${period}`,
        key.status !== "active" ? h("span", { class: "muted" }, ` · ${key.status}`) : null)));
  }
  const notes = [];
  if (limited.length > max) notes.push(`${limited.length - max} more ${limited.length - max === 1 ? "key has" : "keys have"} a limit (the fullest are shown).`);
  if (unlimited.length) notes.push(`${unlimited.length} ${unlimited.length === 1 ? "key has" : "keys have"} no limit.`);
  container.replaceChildren(list, notes.length ? h("p", { class: "muted small" }, notes.join(" ")) : "");
}

function niceStep(raw) {
  if (raw <= 0) return 1;
  const pow = 10 ** Math.floor(Math.log10(raw));
  const n = raw / pow;
  return (n <= 1 ? 1 : n <= 2 ? 2 : n <= 2.5 ? 2.5 : n <= 5 ? 5 : 10) * pow;
}

const METRICS = {
  cost: { label: "Cost", get: (d) => d.cost, format: (v, unit) => amount(v, unit) },
  requests: { label: "Requests", get: (d) => d.requests, format: (v) => number(v) },
  tokens: { label: "Tokens", get: (d) => (d.inputTokens ?? 0) + (d.outputTokens ?? 0), format: (v) => number(v, { short: true }) },
};

/**
 * Usage per day as columns (`days`: the library's `UsageDay[]`), sized to the container's
 * width so its text stays readable on a phone.
 */
export function dayChart(container, days, { metric = "cost", unit = "usd", title = "Usage per day" } = {}) {
  const m = METRICS[metric];
  const values = days.map((d) => m.get(d) ?? 0);
  const width = Math.max(280, Math.floor(container.clientWidth || 600));
  const height = 220;
  const pad = { top: 22, right: 8, bottom: 34, left: metric === "cost" ? 52 : 48 };
  const innerW = width - pad.left - pad.right;
  const innerH = height - pad.top - pad.bottom;
  const max = Math.max(...values, 0);
  const step = niceStep(max / 4 || 1);
  const top = Math.max(step, Math.ceil(max / step) * step);
  const y = (v) => pad.top + innerH - (v / top) * innerH;
  const band = innerW / Math.max(1, days.length);
  const barW = Math.min(48, band * 0.62);
  const fmtAxis = (v) => (metric === "cost" ? amount(v, unit, { short: true }) : number(v, { short: true }));
  const total = values.reduce((a, b) => a + b, 0);
  const peak = days[values.indexOf(max)];
  const summary = `${title}: ${m.label.toLowerCase()} over ${days.length} days, total ${m.format(total, unit)}` +
    (peak ? `, highest on ${peak.date} (${m.format(max, unit)})` : "");

  const chart = s("svg", { class: "day-chart", width, height, viewBox: `0 0 ${width} ${height}`, role: "img", "aria-label": summary });
  for (let v = 0; v <= top + 1e-9; v += step) {
    chart.append(
      s("line", { class: "grid", x1: pad.left, x2: width - pad.right, y1: y(v), y2: y(v) }),
      s("text", { class: "axis", x: pad.left - 6, y: y(v) + 4, "text-anchor": "end" }, fmtAxis(v)));
  }
  const showValues = band > 44;
  days.forEach((day, i) => {
    const v = values[i];
    const cx = pad.left + band * i + band / 2;
    const date = new Date(`${day.date}T00:00:00Z`);
    const label = date.toLocaleDateString(undefined, { weekday: "short", timeZone: "UTC" });
    const sub = date.toLocaleDateString(undefined, { day: "numeric", month: "numeric", timeZone: "UTC" });
    chart.append(s("rect", {
      class: "col", x: cx - barW / 2, y: y(v), width: barW, height: Math.max(0, pad.top + innerH - y(v)), rx: 3,
    }, s("title", {}, `${day.date}: ${m.format(v, unit)}`)));
    if (showValues && v > 0) {
      chart.append(s("text", { class: "value", x: cx, y: y(v) - 5, "text-anchor": "middle" }, fmtAxis(v)));
    }
    chart.append(
      s("text", { class: "axis", x: cx, y: height - pad.bottom + 15, "text-anchor": "middle" }, label),
      s("text", { class: "axis faint", x: cx, y: height - pad.bottom + 28, "text-anchor": "middle" }, sub));
  });

  const table = h("table", { class: "data-table" },
    h("thead", {}, h("tr", {}, h("th", { scope: "col" }, "Day"), h("th", { scope: "col" }, "Requests"),
      h("th", { scope: "col" }, "Cost"), h("th", { scope: "col" }, "Input tokens"), h("th", { scope: "col" }, "Output tokens"))),
    h("tbody", {}, days.map((d) => h("tr", {},
      h("th", { scope: "row" }, d.date), h("td", {}, number(d.requests)), h("td", {}, amount(d.cost, unit)),
      h("td", {}, number(d.inputTokens)), h("td", {}, number(d.outputTokens))))));
  container.replaceChildren(
    h("div", { class: "chart-box" }, chart),
    h("details", { class: "data" }, h("summary", {}, "Show the numbers"), table));
}

/** Horizontal bars: `items` `{ label, value, sub }`, largest first. */
export function barList(container, items, { unit = null, title = "Totals per key", empty = "Nothing to show.", limit = 8 } = {}) {
  const reported = items.filter((i) => i.value !== null && i.value !== undefined);
  const rows = reported.filter((i) => i.value > 0).sort((a, b) => b.value - a.value);
  const zero = reported.length - rows.length;
  if (!rows.length) {
    container.replaceChildren(h("p", { class: "empty" }, empty));
    return;
  }
  const max = Math.max(...rows.map((r) => r.value), 0) || 1;
  const list = h("ul", { class: "bar-list", "aria-label": title });
  for (const row of rows.slice(0, limit)) {
    const text = unit ? amount(row.value, unit) : number(row.value);
    list.append(h("li", {},
      h("div", { class: "budget-label" }, h("span", {}, row.label), h("span", { class: "pct" }, text)),
      meter(row.value / max, { tone: "accent", label: `${row.label}: ${text}` }),
      row.sub ? h("div", { class: "budget-sub" }, row.sub) : null));
  }
  const rest = rows.slice(limit);
  const total = rest.reduce((a, r) => a + r.value, 0);
  const notes = [];
  if (rest.length) notes.push(`${rest.length} more ${rest.length === 1 ? "key" : "keys"}: ${unit ? amount(total, unit) : number(total)} together.`);
  if (zero) notes.push(`${zero} ${zero === 1 ? "key has" : "keys have"} none.`);
  container.replaceChildren(list, notes.length ? h("p", { class: "muted small" }, notes.join(" ")) : "");
}
