# Writes fuzz/seeds/<target>/: provider-shaped starting inputs for each fuzz target.
# Run from fuzz/: python3 make_seeds.py (the files are committed; rerun after a layout change).
import json, os, itertools
P = {"gptcore":0,"quantum":1,"openrouter":2,"anthropic":3,"fluxbase":4}
O = {n:i for i,n in enumerate("list listAll get current create update revoke enable rotate delete setBudget resetBudgetPeriod usage listActive".split())}
UUID="0df9e665-d932-5740-b2c7-b52af166bc11"
def d(x): return json.dumps(x, separators=(",",":")).encode()
orkey={"hash":"f01d5260","name":"n","label":"sk-or-v1-0e6...1c96","disabled":False,"limit":100,"limit_remaining":74.5,"limit_reset":"monthly","usage":25.5,"usage_daily":1,"usage_weekly":2,"usage_monthly":3,"created_at":"2025-08-24T10:30:00Z","updated_at":None,"workspace_id":UUID,"expires_at":"2027-12-31T23:59:59Z"}
gk={"id":"k1","type":"api_key","attributes":{"name":"n","status":"active","prefix":"sk_live_ab","scopes":["read"],"credit_limit":100,"credit_limit_period":"monthly","period_credits_used":3,"total_requests":9,"rate_limit_requests":10,"rate_limit_period_seconds":60,"expires_at":"2030-01-01T00:00:00Z","created_at":1700000000,"generated_api_key":"sk_live_secret0123456"}}
qk={"id":"key_1","name":"n","key_prefix":"qai_k_3f9a","spent_ticks":125000000000,"revoked":False,"created_at":"2026-03-01T10:00:00Z","last_used":1780000000000,"spend_cap_usd":50.0,"rate_limit":120}
qflat={"prefix":"qai_k_77aa00ff","name":"zig","spent_ticks":5,"created_at":1780000000000,"spend_cap_ticks":10000000000,"rate_limit_rpm":60}
ak={"id":"apikey_01","type":"api_key","name":"n","status":"active","created_at":"2024-10-30T23:58:27.427722Z","partial_key_hint":"sk-ant-api03-R2D...igAA","workspace_id":"wrkspc_1","created_by":{"id":"user_1","type":"user"},"expires_at":None}
fk={"id":UUID,"name":"n","key_prefix":"fbk_ab","scopes":["read:tables"],"rate_limit_per_minute":100,"created_at":"2026-01-01T00:00:00Z","expires_at":None,"revoked_at":None}
bodies = {
 "openrouter": {"get":d({"data":orkey}),"list":d({"data":[orkey,orkey]}),"current":d({"data":{"label":"sk-or-v1-au7...890","limit":None,"usage":3}}),
   "create":d({"data":orkey,"key":"sk-or-v1-"+"ab"*32}),"delete":d({"deleted":True}),"update":d({"data":orkey}),"setBudget":d({"data":orkey}),
   "listActive":d({"data":[orkey]})},
 "gptcore": {"get":d({"data":gk}),"list":d({"data":[gk]}),"create":d({"data":gk}),"rotate":d({"data":gk}),"usage":d({"data":[gk,gk]}),
   "update":d({"data":gk}),"revoke":d({"data":gk}),"setBudget":d({"data":gk}),"resetBudgetPeriod":d({"data":gk}),"listActive":d({"data":[gk]}),"delete":b""},
 "quantum": {"list":d({"keys":[qk,qflat]}),"create":d({"key":"qai_k_"+"5e"*32,"details":qk}),"rotate":d(dict(qflat,key="qai_k_"+"5e"*32,old_key_id="key_0")),
   "revoke":d({"status":"revoked"}),"usage":d({"days":[{"day":"2026-05-01","requests":3,"cost_usd":0.1,"input_tokens":5,"output_tokens":6}],"total_cost_usd":0.1})},
 "anthropic": {"get":d(ak),"list":d({"data":[ak],"has_more":True,"first_id":"a","last_id":"apikey_01"}),"update":d(ak),"revoke":d(ak),"enable":d(ak),"listActive":d({"data":[ak],"has_more":False})},
 "fluxbase": {"get":d(fk),"list":d([fk]),"create":d(dict(fk,key="fbk_"+"Ab"*16)),"update":d({"success":True,"message":"updated"}),
   "revoke":d({"success":True}),"delete":b""},
}
errors = {"openrouter":d({"error":{"code":401,"message":"bad key"}}),
 "gptcore":d({"errors":[{"code":"invalid","detail":"must not be blank","source":{"pointer":"/data/attributes/name"},"meta":{"retry_after":3}}]}),
 "quantum":d({"error":{"message":"slow down","type":"rate_limit","code":"rate_limited"}}),
 "anthropic":d({"type":"error","error":{"type":"not_found_error","message":"no key"},"request_id":"req_1"}),
 "fluxbase":d({"error":"Insufficient permissions","required_scope":"write:clientkeys","retry_after":"2"})}
hdr = b"request-id: req_1\nx-qai-request-id: qreq_1\nretry-after: 2\ncontent-type: application/json"
for t in ("responses","inputs","requests"): os.makedirs(f"seeds/{t}", exist_ok=True)
n=0
for prov, ops in bodies.items():
    for op, body in ops.items():
        for st in (0,1):
            second = d(fk) if prov=="fluxbase" else body
            open(f"seeds/responses/{prov}-{op}-{st}", "wb").write(bytes([P[prov],O[op],st*3,st,0])+hdr+b"\0"+body+b"\0"+second); n+=1
    for op in list(ops)[:3]:
        for st in (7,14,15):
            open(f"seeds/responses/{prov}-{op}-err{st}", "wb").write(bytes([P[prov],O[op],0,st,0])+hdr+b"\0"+errors[prov]); n+=1
# inputs
inputs = {
 "openrouter": [("create",None,{"name":"CI","budget":{"limit":50,"period":"monthly"},"includeByokInLimit":True,"expiresAt":"2027-12-31T23:59:59+00:00","creatorUserId":"user_1","workspaceId":UUID}),
   ("update","abc",{"name":"New","disabled":False,"budget":{"limit":None},"includeByokInLimit":False}),("list",None,{"offset":200,"includeDisabled":True,"workspaceId":UUID}),
   ("setBudget","abc",{"limit":12.5,"period":"weekly"})],
 "gptcore": [("create",None,{"name":"n","keyType":"server","scopes":["a"],"applicationId":UUID,"tenantId":UUID,"userId":UUID,"workspaceId":UUID,"budget":{"limit":100,"period":"monthly"},"rateLimit":{"requests":10,"periodSeconds":60},"expiresAt":"2030-01-01T00:00:00Z"}),
   ("update","k1",{"name":"n","scopes":["a"],"budget":{"limit":5,"period":None},"rateLimit":{"requests":1}}),("list",None,{"limit":50,"offset":0,"status":"active"}),
   ("usage",None,{"tenantId":UUID,"keyType":"user"}),("resetBudgetPeriod","k1",{"periodStartedAt":"2026-01-01T00:00:00Z"})],
 "quantum": [("create",None,{"name":"n","endpoints":["/qai/v1/chat"],"budget":{"limit":5},"rateLimit":{"requests":120,"periodSeconds":60},"region":"europe"}),("rotate","key_1",{"graceSeconds":60}),("usage",None,{"keyId":"key_1"})],
 "anthropic": [("update","apikey_01",{"name":"n","archived":True}),("list",None,{"cursor":"apikey_01","limit":20,"workspaceId":"wrkspc_1","createdByUserId":"user_1","status":"active"})],
 "fluxbase": [("create",None,{"name":"n","description":"d","scopes":["read:tables","*"],"rateLimit":{"requests":100,"periodSeconds":60},"expiresAt":"2030-01-01T00:00:00Z"}),("update",UUID,{"scopes":["write:tables"]}),("list",None,{"userId":UUID})],
}
for prov, cases in inputs.items():
    for i,(op,id_,inp) in enumerate(cases):
        open(f"seeds/inputs/{prov}-{op}-{i}","wb").write(bytes([P[prov],O[op],0])+(d(id_) if id_ else b"null")+b"\0"+d(inp))
# requests
for prov in P:
    for op in ("get","update","list","usage","delete","create"):
        for ti, text in enumerate(("key_1", UUID, "../x?y#z", "a/b%2e%2e", "\u043a\u043b\u044e\u0447")):
            open(f"seeds/requests/{prov}-{op}-{ti}","wb").write(bytes([P[prov],O[op],0,1])+text.encode()+b"\0"+b"https://proxy.example.com/base/v1/")
print(n, len(os.listdir("seeds/inputs")), len(os.listdir("seeds/requests")))
