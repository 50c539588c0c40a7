// The keys table: filtering, searching, sorting and the rows themselves (which become
// cards at phone width, each cell labelled by its column).
import { h, time, amount } from "./ui.js";
import { meter } from "./chart.js";

export const INACTIVE = new Set(["disabled", "revoked", "expired", "archived"]);

export function statusBadge(status) {
  return h("span", { class: `badge status-${status}` }, status);
}

/**
 * A key's name for sentences ("Delete …?", the status line, titles), isolated (U+2068 … U+2069)
 * so that right-to-left text or a bidi override in a name (U+202E) cannot reorder the
 * words around it: "Delete Billing \u202Eyek-dlo?" must not read "Delete Billing ?old-key".
 */
export function keyLabel(key) {
  return `\u2068${keyName(key)}\u2069`;
}

/** A key's name as it is, for an element of its own (isolated by CSS, so a copy has no extra characters). */
export function keyName(key) {
  return key.name || key.hint || key.id;
}

/** `filter`: "active" | "inactive" | "all"; `search` matches name, hint and id. */
export function filterKeys(keys, filter, search) {
  const needle = search.trim().toLowerCase();
  return keys.filter((k) => {
    if (filter === "active" && k.status !== "active") return false;
    if (filter === "inactive" && k.status === "active") return false;
    if (!needle) return true;
    return [k.name, k.hint, k.id].some((v) => v && v.toLowerCase().includes(needle));
  });
}

const SORTS = {
  name: (k) => k.name ?? "",
  status: (k) => k.status,
  created: (k) => k.createdAt ?? "",
  lastUsed: (k) => k.lastUsedAt ?? "",
  expires: (k) => k.expiresAt ?? "9999",
  budget: (k) => (k.budget?.limit ? (k.budget.used ?? 0) / k.budget.limit : -1),
};

export function sortKeys(keys, { column, direction }) {
  const get = SORTS[column];
  if (!get) return keys;
  const sign = direction === "ascending" ? 1 : -1;
  // Names as people read them: "bulk-2" before "bulk-10", case aside.
  const compare = column === "name" ? byName.compare : (x, y) => (x < y ? -1 : x > y ? 1 : 0);
  return [...keys].sort((a, b) => compare(get(a), get(b)) * sign);
}

export const byName = new Intl.Collator(undefined, { numeric: true, sensitivity: "base" });

function budgetCell(key) {
  const b = key.budget;
  if (!b) {
    const total = key.usage?.total;
    return total !== null && total !== undefined
      ? h("span", {}, amount(total, key.usage.unit), h("span", { class: "muted" }, " used"))
      : h("span", { class: "muted" }, "—");
  }
  const used = b.used ?? 0;
  if (b.limit === null || b.limit === undefined) {
    return h("span", {}, amount(used, b.unit), h("span", { class: "muted" }, " · no limit"));
  }
  const fraction = b.limit > 0 ? used / b.limit : 1;
  return h("div", { class: "budget-cell" },
    meter(fraction),
    h("span", { class: "budget-text" }, `${amount(used, b.unit, { short: true })} / ${amount(b.limit, b.unit, { short: true })}`,
      b.period ? h("span", { class: "muted" }, ` ${b.period}`) : null));
}

/**
 * The `<tr>`s of `keys`; a click on a key's name calls `onOpen(key)`. A key in `replaced`
 * (a rotation made a new one, and it works until its grace period ends) says so by its status.
 */
export function keyRows(keys, { onOpen, highlight, replaced = new Set() }) {
  return keys.map((key) => {
    const cell = (label, ...content) => h("td", { "data-label": label }, ...content);
    return h("tr", { dataset: { id: key.id }, class: key.id === highlight ? "highlight" : null },
      h("th", { scope: "row", class: "name-cell" },
        h("button", { type: "button", class: "link key-open", dir: "auto", title: key.name ?? null, onclick: () => onOpen(key), "aria-haspopup": "dialog" },
          key.name || h("span", { class: "muted" }, "(unnamed)")),
        h("span", { class: "key-id", title: key.id }, key.id)),
      cell("Hint", key.hint ? h("code", { class: "hint-code" }, key.hint) : h("span", { class: "muted" }, "—")),
      cell("Status", statusBadge(key.status),
        replaced.has(key.id) && key.status === "active" ? h("span", { class: "muted" }, " · replaced") : null),
      cell("Created", time(key.createdAt, "unknown")),
      cell("Last used", time(key.lastUsedAt, "never")),
      cell("Expires", time(key.expiresAt, "never")),
      cell("Budget", budgetCell(key)));
  });
}
