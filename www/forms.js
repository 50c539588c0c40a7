// The forms of each provider (create, update, set budget, rotate) described as data, built
// into labelled inputs, read into the library's input objects, and the library's
// ValidationError.fields shown next to the inputs they name.
import { h } from "./ui.js";

const FLUXBASE_SCOPES = [
  "read:tables", "write:tables", "read:storage", "write:storage", "read:functions", "execute:functions",
  "read:auth", "write:auth", "read:clientkeys", "write:clientkeys", "read:webhooks", "write:webhooks",
  "read:monitoring", "realtime:connect", "realtime:broadcast", "read:rpc", "execute:rpc", "read:jobs",
  "write:jobs", "read:ai", "write:ai", "read:secrets", "write:secrets", "*",
];

const f = (path, label, kind, options = {}) => ({ path, label, kind, ...options });

const EXPIRES = f("expiresAt", "Expires", "datetime", { hint: "Optional; your local time. Leave empty for never." });
const name = (required) =>
  f("name", "Name", "text", { required, placeholder: "e.g. Production backend", from: (k) => k.name ?? "" });
const PERIOD_NAMES = { daily: "Daily", weekly: "Weekly", monthly: "Monthly", yearly: "Yearly", lifetime: "Lifetime (never resets)" };
const periodOptions = (periods) => [["", "Never (no reset)"], ...periods.map((p) => [p, PERIOD_NAMES[p]])];
const PER_MINUTE = { "rateLimit.periodSeconds": 60 };

/** Budget periods each provider's `setBudget` / `create` accepts. */
export const BUDGET_PERIODS = {
  openrouter: ["daily", "weekly", "monthly"],
  gptcore: ["daily", "weekly", "monthly", "yearly", "lifetime"],
};

export const CREATE_FIELDS = {
  openrouter: [
    name(true),
    f("budget.limit", "Spending limit (USD)", "number", { hint: "Optional. Leave empty for no limit.", placeholder: "e.g. 25" }),
    f("budget.period", "Limit resets", "select", { options: periodOptions(BUDGET_PERIODS.openrouter) }),
    f("includeByokInLimit", "Count bring-your-own-key usage towards the limit", "checkbox", { omitFalse: true }),
    EXPIRES,
  ],
  gptcore: [
    name(false),
    f("keyType", "Key type", "select", {
      options: [["", "Default"], ["server", "Server"], ["application", "Application"], ["user", "User"], ["system", "System"]],
    }),
    f("scopes", "Scopes", "list", { hint: "Comma-separated, e.g. read, write.", placeholder: "read, write" }),
    f("budget.limit", "Credit limit", "number", { hint: "Whole credits. Leave empty for no limit." }),
    f("budget.period", "Limit resets", "select", { options: periodOptions(BUDGET_PERIODS.gptcore) }),
    f("rateLimit.requests", "Rate limit: requests", "number", { hint: "Optional." }),
    f("rateLimit.periodSeconds", "Rate limit: per seconds", "number", { placeholder: "60" }),
    EXPIRES,
  ],
  quantum: [
    name(true),
    f("region", "Region", "select", {
      options: [["", "Any region"], ["americas", "Americas"], ["europe", "Europe"], ["asia", "Asia"]],
    }),
    f("endpoints", "Allowed endpoints", "list", { hint: "Comma-separated, e.g. chat, embeddings. Empty: all.", placeholder: "chat, embeddings" }),
    f("budget.limit", "Spend cap (USD)", "number", { hint: "Optional. Quantum AI caps never reset and cannot be changed later." }),
    f("rateLimit.requests", "Requests per minute", "number", { hint: "Optional.", extra: PER_MINUTE }),
  ],
  fluxbase: [
    name(true),
    f("description", "Description", "textarea", { placeholder: "What uses this key?" }),
    f("scopes", "Scopes", "scopes", { required: true, choices: FLUXBASE_SCOPES, hint: "At least one. * grants everything." }),
    f("rateLimit.requests", "Requests per minute", "number", { hint: "Optional; the server default is 100.", extra: PER_MINUTE }),
    EXPIRES,
  ],
};

export const UPDATE_FIELDS = {
  openrouter: [
    name(false),
    f("includeByokInLimit", "Count bring-your-own-key usage towards the limit", "checkbox", {
      from: (k) => Boolean(k.raw?.include_byok_in_limit),
    }),
  ],
  gptcore: [
    name(false),
    f("scopes", "Scopes", "list", { from: (k) => (k.scopes ?? []).join(", "), hint: "Comma-separated." }),
    f("rateLimit.requests", "Rate limit: requests", "number", { from: (k) => k.rateLimit?.requests ?? "" }),
    // A rate limit is requests per period: a changed period goes with the requests shown.
    f("rateLimit.periodSeconds", "Rate limit: per seconds", "number", { from: (k) => k.rateLimit?.periodSeconds ?? "", alongWith: "rateLimit.requests" }),
  ],
  anthropic: [name(false)],
  fluxbase: [
    name(false),
    f("description", "Description", "textarea", { from: (k) => k.raw?.description ?? "" }),
    f("scopes", "Scopes", "scopes", { choices: FLUXBASE_SCOPES, from: (k) => k.scopes ?? [] }),
    f("rateLimit.requests", "Requests per minute", "number", { extra: PER_MINUTE, from: (k) => k.rateLimit?.requests ?? "" }),
  ],
};

export function budgetFields(provider, key) {
  const unit = key.budget?.unit === "credits" || provider === "gptcore" ? "credits" : "USD";
  return [
    f("limit", `Limit (${unit})`, "number", {
      emptyValue: null,
      hint: "Leave empty to remove the limit.",
      from: (k) => k.budget?.limit ?? "",
    }),
    f("period", "Resets", "select", {
      emptyValue: null,
      options: periodOptions(BUDGET_PERIODS[provider] ?? []),
      from: (k) => k.budget?.period ?? "",
    }),
  ];
}

export const ROTATE_FIELDS = {
  quantum: [
    f("graceSeconds", "Grace period (seconds)", "number", {
      hint: "How long the old secret keeps working, so clients can switch. Empty or 0: it stops working at once.",
      placeholder: "e.g. 3600",
    }),
  ],
};

// ---- building and reading ----

/** What an emptied field of each kind sends in an edit. */
const CLEARED = { text: "", textarea: "", list: [], scopes: [] };

const idFor = (prefix, path) => `${prefix}-${path.replace(/[^a-zA-Z0-9]+/g, "-")}`;

function localInputValue(iso) {
  if (!iso) return "";
  const d = new Date(iso);
  const pad = (n) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

function setPath(target, path, value) {
  const parts = path.split(".");
  let at = target;
  for (const part of parts.slice(0, -1)) at = at[part] ??= {};
  at[parts.at(-1)] = value;
}

/**
 * Builds the inputs of `specs` into `container` (ids prefixed with `prefix`), filled from
 * `key` where a spec has `from`. Returns `{ read, showErrors, clearErrors }`.
 */
export function buildFields(container, specs, prefix, key = null) {
  const entries = specs.map((spec) => {
    const id = idFor(prefix, spec.path);
    const hintId = `${id}-hint`;
    const errorId = `${id}-error`;
    const describedBy = [spec.hint ? hintId : null, errorId].filter(Boolean).join(" ");
    const initial = key && spec.from ? spec.from(key) : spec.kind === "scopes" ? [] : spec.kind === "checkbox" ? false : "";
    const error = h("p", { class: "field-error", id: errorId, hidden: true });
    const hint = spec.hint ? h("p", { class: "hint", id: hintId }, spec.hint) : null;
    const required = spec.required ? h("span", { class: "required" }, " (required)") : null;
    let control;
    let wrapper;
    if (spec.kind === "scopes") {
      // A key's scopes outside the list are shown too: unticked, they would be dropped unsaid.
      const choices = [...spec.choices, ...initial.filter((scope) => !spec.choices.includes(scope))];
      const boxes = choices.map((choice) =>
        h("label", { class: "check" },
          h("input", { type: "checkbox", value: choice, checked: initial.includes(choice) }),
          h("span", {}, choice)));
      control = h("fieldset", { class: "scopes", id, "aria-describedby": describedBy },
        h("legend", {}, spec.label, required),
        h("div", { class: "scope-grid" }, boxes));
      wrapper = h("div", { class: "field wide", dataset: { path: spec.path } }, control, hint, error);
    } else if (spec.kind === "checkbox") {
      control = h("input", { type: "checkbox", id, checked: initial, "aria-describedby": describedBy });
      wrapper = h("div", { class: "field wide", dataset: { path: spec.path } },
        h("label", { class: "check", for: id }, control, h("span", {}, spec.label)), hint, error);
    } else {
      const common = { id, name: spec.path, "aria-describedby": describedBy, "aria-required": spec.required ? "true" : null };
      if (spec.kind === "select") {
        control = h("select", common, spec.options.map(([value, text]) => h("option", { value }, text)));
        control.value = initial ?? "";
      } else if (spec.kind === "textarea") {
        control = h("textarea", { ...common, rows: 2, placeholder: spec.placeholder });
        control.value = initial;
      } else {
        const type = spec.kind === "datetime" ? "datetime-local" : "text";
        control = h("input", {
          ...common, type, autocomplete: "off", spellcheck: "false", placeholder: spec.placeholder,
          inputmode: spec.kind === "number" ? "decimal" : null,
        });
        control.value = spec.kind === "datetime" ? localInputValue(initial) : String(initial ?? "");
      }
      const wide = spec.kind === "textarea" || spec.path === "name";
      wrapper = h("div", { class: `field${wide ? " wide" : ""}`, dataset: { path: spec.path } },
        h("label", { for: id }, spec.label, required), control, hint, error);
    }
    container.append(wrapper);
    return { spec, control, error, initialValue: null };
  });

  const valueOf = ({ spec, control }) => {
    switch (spec.kind) {
      case "checkbox":
        return control.checked;
      case "scopes": {
        const picked = [...control.querySelectorAll("input:checked")].map((i) => i.value);
        return picked.length ? picked : undefined;
      }
      case "list": {
        const items = control.value.split(/[,\n]/).map((x) => x.trim()).filter(Boolean);
        return items.length ? items : undefined;
      }
      case "number": {
        const text = control.value.trim();
        if (!text) return undefined;
        // Not a number: passed on as typed so the library names the problem.
        return /^-?(\d+\.?\d*|\.\d+)(e-?\d+)?$/i.test(text) ? Number(text) : text;
      }
      case "datetime": {
        const text = control.value.trim();
        if (!text) return undefined;
        const date = new Date(text);
        return Number.isNaN(date.getTime()) ? text : date.toISOString();
      }
      default: {
        const text = control.value.trim();
        return text === "" ? undefined : text;
      }
    }
  };
  for (const entry of entries) entry.initialValue = JSON.stringify(valueOf(entry) ?? null);
  // A field's error goes once the field is changed: it told what was wrong with the old value.
  const clearError = ({ control, error }) => {
    error.hidden = true;
    error.textContent = "";
    control.removeAttribute("aria-invalid");
  };
  for (const entry of entries) entry.control.addEventListener("input", () => clearError(entry));

  return {
    /** The input object; with `changedOnly`, only what differs from the initial values. */
    read({ changedOnly = false } = {}) {
      const out = {};
      for (const entry of entries) {
        const { spec } = entry;
        let value = valueOf(entry);
        if (changedOnly && JSON.stringify(value ?? null) === entry.initialValue) continue;
        if (value === undefined) {
          if (spec.emptyValue !== undefined) value = spec.emptyValue;
          // A field emptied in an edit is a change: for text "" (which the library refuses
          // by field where a value is required, e.g. a name; a description becomes empty),
          // for lists [] (refused by field where one item is required, e.g. Fluxbase scopes),
          // else cleared (null). A null text or list reads as "unchanged" to the library,
          // which then answers "input must change at least one field".
          else if (changedOnly) value = CLEARED[spec.kind] ?? null;
          else continue;
        }
        if (value === false && spec.omitFalse) continue;
        setPath(out, spec.path, value);
        if (spec.extra && value !== null) for (const [path, v] of Object.entries(spec.extra)) setPath(out, path, v);
        const partner = spec.alongWith && entries.find((other) => other.spec.path === spec.alongWith);
        if (partner && value !== null) setPath(out, spec.alongWith, valueOf(partner));
      }
      return out;
    },
    clearErrors() {
      entries.forEach(clearError);
    },
    /** Shows each problem next to its input; returns the problems no input matched. */
    showErrors(problems) {
      this.clearErrors();
      const unmatched = [];
      let first = null;
      for (const problem of problems) {
        const entry = matchField(entries, problem.field);
        if (!entry) {
          unmatched.push(problem);
          continue;
        }
        const item = problem.field.match(/\[(\d+)\]/);
        const subject = item ? `${entry.spec.label} (item ${Number(item[1]) + 1})` : entry.spec.label;
        // Text typed into a number field reaches the library as typed, so it says "not a string".
        const said = entry.spec.kind === "number" ? problem.message.replace(/, not a string$/, "") : problem.message;
        const sentence = /^[a-z]/.test(said) ? `${subject} ${said}` : said;
        const text = `${sentence.replace(/[.\s]+$/, "")}.`;
        entry.error.textContent = entry.error.textContent ? `${entry.error.textContent} ${text}` : text;
        entry.error.hidden = false;
        entry.control.setAttribute("aria-invalid", "true");
        first ??= entry.control;
      }
      const focusable = first?.matches("fieldset") ? first.querySelector("input") : first;
      focusable?.focus();
      return unmatched;
    },
  };
}

/** The input a problem's `field` ("budget.limit", "scopes[2]", "rateLimit.periodSeconds") belongs to. */
function matchField(entries, field) {
  const plainField = (field || "").replace(/\[\d+\]/g, "");
  const parent = plainField.split(".")[0];
  return (
    entries.find((e) => e.spec.path === field) ||
    entries.find((e) => e.spec.path === plainField) ||
    entries.find((e) => plainField.startsWith(`${e.spec.path}.`)) ||
    entries.find((e) => e.spec.path.startsWith(`${parent}.`) || e.spec.path === parent)
  );
}
