// workerd start-up sample without any library: the handler calls the canned fetch itself.

export default {
  async fetch() {
    let called = false;
    const canned = async () => {
      called = true;
      return new Response('{"data":[]}', { headers: { "content-type": "application/json" } });
    };
    const r = await canned("http://127.0.0.1:9/openrouter/api/v1/keys", { headers: { authorization: "Bearer x" } });
    JSON.parse(await r.text());
    if (!called) throw new Error("fetch was never called");
    return new Response("ok");
  },
};
