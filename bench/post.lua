-- wrk script: POST a chat completion; BODY_FILE names the JSON body, TOKEN the bearer, AGENT (if
-- set) the agent (x-openclaw-agent-id).
local f = io.open(os.getenv("BODY_FILE"), "r")
wrk.method = "POST"
wrk.body = f:read("*a")
f:close()
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer " .. os.getenv("TOKEN")
local agent = os.getenv("AGENT")
if agent and agent ~= "" then
  wrk.headers["x-openclaw-agent-id"] = agent
end
