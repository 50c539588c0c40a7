// apikeys-wasm: the browser entry (index.js); all five providers, every operation.
import { ApiKeys } from "../../pkg/index.js";

export async function demo({ baseUrl, apiKey, fetch }) {
  const keys = new ApiKeys({ provider: "openrouter", baseUrl, apiKey, fetch });
  const created = await keys.create({ name: "bench", budget: { limit: 5, period: "monthly" } });
  await keys.get(created.key.id);
  await keys.update(created.key.id, { name: "bench 2" });
  await keys.current();
  const all = await keys.listAll().toArray();
  await keys.delete(created.key.id);
  const admin = new ApiKeys({ provider: "anthropic", baseUrl, apiKey, fetch });
  const page = await admin.list({ limit: 20 });
  await admin.update(page.items.find((k) => k.status === "active").id, { name: "renamed" });
  return all.length;
}
