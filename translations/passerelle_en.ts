<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en_US" sourcelanguage="en_US">
<context>
    <name>ProviderType</name>
    <message>
        <source>OpenAI-compatible (chat completions)</source>
        <translation>OpenAI-compatible (chat completions)</translation>
    </message>
    <message>
        <source>Base URL:</source>
        <translation>Base URL:</translation>
    </message>
    <message>
        <source>https://api.example.com/v1</source>
        <translation>https://api.example.com/v1</translation>
    </message>
    <message>
        <source>Enter the provider&apos;s base URL.</source>
        <translation>Enter the provider&apos;s base URL.</translation>
    </message>
    <message>
        <source>The base URL must start with http:// or https://.</source>
        <translation>The base URL must start with http:// or https://.</translation>
    </message>
    <message>
        <source>API key:</source>
        <translation>API key:</translation>
    </message>
    <message>
        <source>none</source>
        <translation>none</translation>
    </message>
    <message>
        <source>Models:</source>
        <translation>Models:</translation>
    </message>
    <message>
        <source>model ids, separated by commas</source>
        <translation>model ids, separated by commas</translation>
    </message>
    <message>
        <source>List at least one model id.</source>
        <translation>List at least one model id.</translation>
    </message>
    <message>
        <source>Headers:</source>
        <translation>Headers:</translation>
    </message>
    <message>
        <source>one per line: Name: value</source>
        <translation>one per line: Name: value</translation>
    </message>
    <message>
        <source>Write each header on its own line as “Name: value”.</source>
        <translation>Write each header on its own line as “Name: value”.</translation>
    </message>
    <message>
        <source>Connect timeout:</source>
        <translation>Connect timeout:</translation>
    </message>
    <message>
        <source>First answer within:</source>
        <translation>First answer within:</translation>
    </message>
    <message>
        <source>Silence allowed between events:</source>
        <translation>Silence allowed between events:</translation>
    </message>
    <message>
        <source>Echo (answers with the prompt, for testing)</source>
        <translation>Echo (answers with the prompt, for testing)</translation>
    </message>
    <message>
        <source>Pause between pieces:</source>
        <translation>Pause between pieces:</translation>
    </message>
    <message>
        <source>Max concurrent runs:</source>
        <translation>Max concurrent runs:</translation>
    </message>
    <message>
        <source>unlimited</source>
        <translation>unlimited</translation>
    </message>
    <message>
        <source>Max queued runs:</source>
        <translation>Max queued runs:</translation>
    </message>
</context>
<context>
    <name>passerelle::AgentDialog</name>
    <message>
        <source>New agent</source>
        <translation>New agent</translation>
    </message>
    <message>
        <source>Edit agent “%1”</source>
        <translation>Edit agent “%1”</translation>
    </message>
    <message>
        <source>e.g. writer</source>
        <translation>e.g. writer</translation>
    </message>
    <message>
        <source>Clients reach this agent with the model “openclaw/&lt;id&gt;”.</source>
        <translation>Clients reach this agent with the model “openclaw/&lt;id&gt;”.</translation>
    </message>
    <message>
        <source>Id:</source>
        <translation>Id:</translation>
    </message>
    <message>
        <source>Name:</source>
        <translation>Name:</translation>
    </message>
    <message>
        <source>Model:</source>
        <translation>Model:</translation>
    </message>
    <message>
        <source>provider/model, tried in order when the model fails</source>
        <translation>provider/model, tried in order when the model fails</translation>
    </message>
    <message>
        <source>Fallbacks:</source>
        <translation>Fallbacks:</translation>
    </message>
    <message>
        <source>Optional instructions sent before every conversation</source>
        <translation>Optional instructions sent before every conversation</translation>
    </message>
    <message>
        <source>System prompt:</source>
        <translation>System prompt:</translation>
    </message>
    <message>
        <source>Default agent (answers “openclaw” and requests naming no agent)</source>
        <translation>Default agent (answers “openclaw” and requests naming no agent)</translation>
    </message>
    <message>
        <source>“%1” is not of the form provider/model.</source>
        <translation>“%1” is not of the form provider/model.</translation>
    </message>
    <message>
        <source>No provider named “%1” is declared (see Providers below).</source>
        <translation>No provider named “%1” is declared (see Providers below).</translation>
    </message>
    <message>
        <source>Give the agent an id.</source>
        <translation>Give the agent an id.</translation>
    </message>
    <message>
        <source>An id has 1 to 64 characters: lower-case letters, digits, “-” and “_”, starting with a letter or a digit.</source>
        <translation>An id has 1 to 64 characters: lower-case letters, digits, “-” and “_”, starting with a letter or a digit.</translation>
    </message>
    <message>
        <source>An agent with the id “%1” already exists.</source>
        <translation>An agent with the id “%1” already exists.</translation>
    </message>
    <message>
        <source>Choose the model the agent uses.</source>
        <translation>Choose the model the agent uses.</translation>
    </message>
    <message>
        <source>Fallback: %1</source>
        <translation>Fallback: %1</translation>
    </message>
    <message>
        <source>model names such as claude-* (“*” matches anything)</source>
        <translation>model names such as claude-* (“*” matches anything)</translation>
    </message>
    <message>
        <source>Clients that name one of these models reach this agent, on every endpoint: Claude Code asks for models named claude-…</source>
        <translation>Clients that name one of these models reach this agent, on every endpoint: Claude Code asks for models named claude-…</translation>
    </message>
    <message>
        <source>Also answers to:</source>
        <translation>Also answers to:</translation>
    </message>
    <message>
        <source>“%1” already answers for the agent “%2”.</source>
        <translation>“%1” already answers for the agent “%2”.</translation>
    </message>
</context>
<context>
    <name>passerelle::AgentsPage</name>
    <message>
        <source>The change could not be saved: %1</source>
        <translation>The change could not be saved: %1</translation>
    </message>
    <message>
        <source>Agent “%1” added: clients reach it with the model “openclaw/%1”.</source>
        <translation>Agent “%1” added: clients reach it with the model “openclaw/%1”.</translation>
    </message>
    <message>
        <source>Agent “%1” saved.</source>
        <translation>Agent “%1” saved.</translation>
    </message>
    <message>
        <source>The last agent cannot be removed: the gateway needs one to answer.</source>
        <translation>The last agent cannot be removed: the gateway needs one to answer.</translation>
    </message>
    <message>
        <source>Agent “%1” removed.</source>
        <translation>Agent “%1” removed.</translation>
    </message>
    <message>
        <source>“%1” is now the default agent.</source>
        <translation>“%1” is now the default agent.</translation>
    </message>
    <message>
        <source>Provider “%1” saved.</source>
        <translation>Provider “%1” saved.</translation>
    </message>
    <message>
        <source>“echo” is built in and cannot be removed.</source>
        <translation>“echo” is built in and cannot be removed.</translation>
    </message>
    <message>
        <source>Agent “%1” uses “%2”: change its model first.</source>
        <translation>Agent “%1” uses “%2”: change its model first.</translation>
    </message>
    <message>
        <source>Provider “%1” removed.</source>
        <translation>Provider “%1” removed.</translation>
    </message>
    <message>
        <source>Remove the agent?</source>
        <translation>Remove the agent?</translation>
    </message>
    <message>
        <source>Requests for “openclaw/%1” will be refused once it is removed.</source>
        <translation>Requests for “openclaw/%1” will be refused once it is removed.</translation>
    </message>
    <message>
        <source> (then %1)</source>
        <translation> (then %1)</translation>
    </message>
    <message>
        <source>default</source>
        <translation>default</translation>
    </message>
    <message>
        <source>built in</source>
        <translation>built in</translation>
    </message>
    <message>
        <source>none</source>
        <translation>none</translation>
    </message>
    <message>
        <source>Agents</source>
        <translation>Agents</translation>
    </message>
    <message>
        <source>Id</source>
        <translation>Id</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>Model</source>
        <translation>Model</translation>
    </message>
    <message>
        <source>Default</source>
        <translation>Default</translation>
    </message>
    <message>
        <source>Add…</source>
        <translation>Add…</translation>
    </message>
    <message>
        <source>Edit…</source>
        <translation>Edit…</translation>
    </message>
    <message>
        <source>Remove…</source>
        <translation>Remove…</translation>
    </message>
    <message>
        <source>Make default</source>
        <translation>Make default</translation>
    </message>
    <message>
        <source>Model providers</source>
        <translation>Model providers</translation>
    </message>
    <message>
        <source>API</source>
        <translation>API</translation>
    </message>
    <message>
        <source>Base URL</source>
        <translation>Base URL</translation>
    </message>
    <message>
        <source>API key</source>
        <translation>API key</translation>
    </message>
    <message>
        <source>Models</source>
        <translation>Models</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>Remove</translation>
    </message>
    <message>
        <source>%1 of %2</source>
        <translation>%1 of %2</translation>
    </message>
    <message>
        <source>Runs talking to this provider now, and how many may at once</source>
        <translation>Runs talking to this provider now, and how many may at once</translation>
    </message>
    <message>
        <source>Runs talking to this provider now (no limit)</source>
        <translation>Runs talking to this provider now (no limit)</translation>
    </message>
    <message>
        <source>Runs waiting for a free slot, and how many may wait</source>
        <translation>Runs waiting for a free slot, and how many may wait</translation>
    </message>
    <message>
        <source>Running</source>
        <translation>Running</translation>
    </message>
    <message>
        <source>Queued</source>
        <translation>Queued</translation>
    </message>
    <message>
        <source>Also answers to</source>
        <translation>Also answers to</translation>
    </message>
</context>
<context>
    <name>passerelle::GuiRoot</name>
    <message>
        <source>Passerelle cannot start</source>
        <translation>Passerelle cannot start</translation>
    </message>
    <message>
        <source>The configuration file cannot be used:
%1</source>
        <translation>The configuration file cannot be used:
%1</translation>
    </message>
    <message>
        <source>Passerelle is still running</source>
        <translation>Passerelle is still running</translation>
    </message>
    <message>
        <source>The gateway keeps serving. Use the tray icon to open the panel or to quit.</source>
        <translation>The gateway keeps serving. Use the tray icon to open the panel or to quit.</translation>
    </message>
</context>
<context>
    <name>passerelle::LiveChart</name>
    <message>
        <source>−60 s</source>
        <translation>−60 s</translation>
    </message>
    <message>
        <source>now</source>
        <translation>now</translation>
    </message>
    <message>
        <source>Requests per second</source>
        <translation>Requests per second</translation>
    </message>
    <message>
        <source>Mean latency (ms)</source>
        <translation>Mean latency (ms)</translation>
    </message>
</context>
<context>
    <name>passerelle::MainWindow</name>
    <message>
        <source>The configuration file has an error and was not applied: %1</source>
        <translation>The configuration file has an error and was not applied: %1</translation>
    </message>
    <message>
        <source>Serving on %1</source>
        <translation>Serving on %1</translation>
    </message>
    <message>
        <source>Listening on %1, chat endpoint off</source>
        <translation>Listening on %1, chat endpoint off</translation>
    </message>
    <message>
        <source>Not listening: %1</source>
        <translation>Not listening: %1</translation>
    </message>
    <message>
        <source>Starting…</source>
        <translation>Starting…</translation>
    </message>
    <message>
        <source>Stopped</source>
        <translation>Stopped</translation>
    </message>
    <message>
        <source>No system tray</source>
        <translation>No system tray</translation>
    </message>
    <message>
        <source>This desktop has no system tray, so Passerelle cannot keep running in the background. The window stays open; quit to stop the gateway.</source>
        <translation>This desktop has no system tray, so Passerelle cannot keep running in the background. The window stays open; quit to stop the gateway.</translation>
    </message>
    <message>
        <source>Keep the window</source>
        <translation>Keep the window</translation>
    </message>
    <message>
        <source>Quit Passerelle</source>
        <translation>Quit Passerelle</translation>
    </message>
    <message>
        <source>Passerelle — control panel</source>
        <translation>Passerelle — control panel</translation>
    </message>
    <message>
        <source>Overview</source>
        <translation>Overview</translation>
    </message>
    <message>
        <source>Tokens</source>
        <translation>Tokens</translation>
    </message>
    <message>
        <source>Agents</source>
        <translation>Agents</translation>
    </message>
    <message>
        <source>Requests</source>
        <translation>Requests</translation>
    </message>
    <message>
        <source>Settings</source>
        <translation>Settings</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>&amp;File</translation>
    </message>
    <message>
        <source>&amp;Export the request log…</source>
        <translation>&amp;Export the request log…</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>&amp;Quit</translation>
    </message>
    <message>
        <source>Serving on %1 — %2</source>
        <translation>Serving on %1 — %2</translation>
    </message>
</context>
<context>
    <name>passerelle::NamedTokenDialog</name>
    <message>
        <source>New named token</source>
        <translation>New named token</translation>
    </message>
    <message>
        <source>e.g. laptop, ci, home-assistant</source>
        <translation>e.g. laptop, ci, home-assistant</translation>
    </message>
    <message>
        <source>Name:</source>
        <translation>Name:</translation>
    </message>
    <message>
        <source>Agents:</source>
        <translation>Agents:</translation>
    </message>
    <message>
        <source>Tick none to let the token reach every agent.</source>
        <translation>Tick none to let the token reach every agent.</translation>
    </message>
    <message>
        <source>Create token</source>
        <translation>Create token</translation>
    </message>
    <message>
        <source>Give the token a name.</source>
        <translation>Give the token a name.</translation>
    </message>
    <message>
        <source>The name is longer than 64 characters.</source>
        <translation>The name is longer than 64 characters.</translation>
    </message>
    <message>
        <source>A token named “%1” already exists.</source>
        <translation>A token named “%1” already exists.</translation>
    </message>
    <message>
        <source>“%1” is reserved for the gateway&apos;s own credential: choose another name.</source>
        <translation>“%1” is reserved for the gateway&apos;s own credential: choose another name.</translation>
    </message>
</context>
<context>
    <name>passerelle::OverviewPage</name>
    <message>
        <source>The change could not be saved: %1</source>
        <translation>The change could not be saved: %1</translation>
    </message>
    <message>
        <source>Stopped</source>
        <translation>Stopped</translation>
    </message>
    <message>
        <source>Starting…</source>
        <translation>Starting…</translation>
    </message>
    <message>
        <source>Serving</source>
        <translation>Serving</translation>
    </message>
    <message>
        <source>Serving, chat endpoint off</source>
        <translation>Serving, chat endpoint off</translation>
    </message>
    <message>
        <source>Not listening</source>
        <translation>Not listening</translation>
    </message>
    <message>
        <source>%1 (not listening)</source>
        <translation>%1 (not listening)</translation>
    </message>
    <message>
        <source>Gateway</source>
        <translation>Gateway</translation>
    </message>
    <message>
        <source>State:</source>
        <translation>State:</translation>
    </message>
    <message>
        <source>Address:</source>
        <translation>Address:</translation>
    </message>
    <message>
        <source>Serve the Chat Completions endpoint (/v1/chat/completions)</source>
        <translation>Serve the Chat Completions endpoint (/v1/chat/completions)</translation>
    </message>
    <message>
        <source>Endpoint URL</source>
        <translation>Endpoint URL</translation>
    </message>
    <message>
        <source>Copy</source>
        <translation>Copy</translation>
    </message>
    <message>
        <source>Try it with curl</source>
        <translation>Try it with curl</translation>
    </message>
    <message>
        <source>Put the real secret in the commands</source>
        <translation>Put the real secret in the commands</translation>
    </message>
    <message>
        <source>Complete answer:</source>
        <translation>Complete answer:</translation>
    </message>
    <message>
        <source>Streamed answer (Server-Sent Events):</source>
        <translation>Streamed answer (Server-Sent Events):</translation>
    </message>
    <message>
        <source>Traffic</source>
        <translation>Traffic</translation>
    </message>
    <message>
        <source>Requests:</source>
        <translation>Requests:</translation>
    </message>
    <message>
        <source>Errors:</source>
        <translation>Errors:</translation>
    </message>
    <message>
        <source>Active streams:</source>
        <translation>Active streams:</translation>
    </message>
    <message>
        <source>At GET /metrics: %1</source>
        <translation>At GET /metrics: %1</translation>
    </message>
    <message>
        <source>Prometheus and other scrapers read these figures at GET /metrics (passerelle_requests_total, passerelle_request_errors_total, passerelle_active_streams; per route: passerelle_http_requests_total, passerelle_http_request_duration_seconds).</source>
        <translation>Prometheus and other scrapers read these figures at GET /metrics (passerelle_requests_total, passerelle_request_errors_total, passerelle_active_streams; per route: passerelle_http_requests_total, passerelle_http_request_duration_seconds).</translation>
    </message>
    <message>
        <source>Serving, Responses endpoint off</source>
        <translation>Serving, Responses endpoint off</translation>
    </message>
    <message>
        <source>Serving, endpoints off</source>
        <translation>Serving, endpoints off</translation>
    </message>
    <message>
        <source>Serve the Responses endpoint (/v1/responses)</source>
        <translation>Serve the Responses endpoint (/v1/responses)</translation>
    </message>
    <message>
        <source>Applies at once and is saved to the configuration. While off, an endpoint answers 404 Not Found.</source>
        <translation>Applies at once and is saved to the configuration. While off, an endpoint answers 404 Not Found.</translation>
    </message>
    <message>
        <source>Chat Completions</source>
        <translation>Chat Completions</translation>
    </message>
    <message>
        <source>Responses</source>
        <translation>Responses</translation>
    </message>
    <message>
        <source>Claude Code asks for models named claude-…: the alias sends them to the agent “%1” (Agents tab, “also answers to”).</source>
        <translation>Claude Code asks for models named claude-…: the alias sends them to the agent “%1” (Agents tab, “also answers to”).</translation>
    </message>
    <message>
        <source>Claude Code asks for models named claude-…: no agent answers to them yet. Add the alias claude-* to an agent (Agents tab, “also answers to”).</source>
        <translation>Claude Code asks for models named claude-…: no agent answers to them yet. Add the alias claude-* to an agent (Agents tab, “also answers to”).</translation>
    </message>
    <message>
        <source>Answer claude-* with “%1”</source>
        <translation>Answer claude-* with “%1”</translation>
    </message>
    <message>
        <source>Claude Code needs this endpoint.</source>
        <translation>Claude Code needs this endpoint.</translation>
    </message>
    <message>
        <source>Serve the Anthropic Messages endpoint (/v1/messages)</source>
        <translation>Serve the Anthropic Messages endpoint (/v1/messages)</translation>
    </message>
    <message>
        <source>Anthropic Messages (Claude Code)</source>
        <translation>Anthropic Messages (Claude Code)</translation>
    </message>
    <message>
        <source>Claude Code on this gateway:</source>
        <translation>Claude Code on this gateway:</translation>
    </message>
    <message>
        <source>PostgreSQL</source>
        <translation>PostgreSQL</translation>
    </message>
    <message>
        <source>SQLite</source>
        <translation>SQLite</translation>
    </message>
    <message>
        <source>%1, %2: connecting…</source>
        <translation>%1, %2: connecting…</translation>
    </message>
    <message>
        <source>%1, %2: reachable</source>
        <translation>%1, %2: reachable</translation>
    </message>
    <message>
        <source>%1, %2: unreachable (conversations and stored responses answer 503 until it is back)</source>
        <translation>%1, %2: unreachable (conversations and stored responses answer 503 until it is back)</translation>
    </message>
    <message>
        <source>Session store:</source>
        <translation>Session store:</translation>
    </message>
</context>
<context>
    <name>passerelle::ProviderDialog</name>
    <message>
        <source>New provider</source>
        <translation>New provider</translation>
    </message>
    <message>
        <source>Edit provider “%1”</source>
        <translation>Edit provider “%1”</translation>
    </message>
    <message>
        <source>e.g. openai, ollama, groq</source>
        <translation>e.g. openai, ollama, groq</translation>
    </message>
    <message>
        <source>Name:</source>
        <translation>Name:</translation>
    </message>
    <message>
        <source>API:</source>
        <translation>API:</translation>
    </message>
    <message>
        <source>Show</source>
        <translation>Show</translation>
    </message>
    <message>
        <source>Hide</source>
        <translation>Hide</translation>
    </message>
    <message>
        <source> s</source>
        <translation> s</translation>
    </message>
    <message>
        <source> ms</source>
        <translation> ms</translation>
    </message>
    <message>
        <source>Give the provider a name.</source>
        <translation>Give the provider a name.</translation>
    </message>
    <message>
        <source>A provider name uses letters, digits, “.”, “-” and “_”.</source>
        <translation>A provider name uses letters, digits, “.”, “-” and “_”.</translation>
    </message>
    <message>
        <source>“echo” is the built-in provider; choose another name.</source>
        <translation>“echo” is the built-in provider; choose another name.</translation>
    </message>
    <message>
        <source>A provider named “%1” already exists.</source>
        <translation>A provider named “%1” already exists.</translation>
    </message>
    <message>
        <source>Choose the provider&apos;s API.</source>
        <translation>Choose the provider&apos;s API.</translation>
    </message>
</context>
<context>
    <name>passerelle::RequestLogModel</name>
    <message>
        <source>%1 ms</source>
        <translation>%1 ms</translation>
    </message>
    <message>
        <source>WS %1</source>
        <translation>WS %1</translation>
    </message>
    <message>
        <source>stream</source>
        <translation>stream</translation>
    </message>
    <message>
        <source>%1 …</source>
        <translation>%1 …</translation>
    </message>
    <message>
        <source>…</source>
        <translation>…</translation>
    </message>
    <message>
        <source>—</source>
        <translation>—</translation>
    </message>
    <message>
        <source>In progress</source>
        <translation>In progress</translation>
    </message>
    <message>
        <source>Time</source>
        <translation>Time</translation>
    </message>
    <message>
        <source>Client</source>
        <translation>Client</translation>
    </message>
    <message>
        <source>Method</source>
        <translation>Method</translation>
    </message>
    <message>
        <source>Path</source>
        <translation>Path</translation>
    </message>
    <message>
        <source>Agent</source>
        <translation>Agent</translation>
    </message>
    <message>
        <source>Session</source>
        <translation>Session</translation>
    </message>
    <message>
        <source>Stream</source>
        <translation>Stream</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>First byte</source>
        <translation>First byte</translation>
    </message>
    <message>
        <source>Duration</source>
        <translation>Duration</translation>
    </message>
    <message>
        <source>Tokens</source>
        <translation>Tokens</translation>
    </message>
    <message>
        <source>Error</source>
        <translation>Error</translation>
    </message>
    <message>
        <source>%1 + %2</source>
        <comment>prompt tokens + completion tokens</comment>
        <translation>%1 + %2</translation>
    </message>
    <message numerus="yes">
        <source>%Ln prompt token(s)</source>
        <translation>
            <numerusform>%Ln prompt token</numerusform>
            <numerusform>%Ln prompt tokens</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%Ln completion token(s)</source>
        <translation>
            <numerusform>%Ln completion token</numerusform>
            <numerusform>%Ln completion tokens</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>passerelle::RequestLogPage</name>
    <message>
        <source>Select a request to see its events, its body and its response.</source>
        <translation>Select a request to see its events, its body and its response.</translation>
    </message>
    <message>
        <source>Request #%1</source>
        <translation>Request #%1</translation>
    </message>
    <message>
        <source>model %1</source>
        <translation>model %1</translation>
    </message>
    <message>
        <source>agent %1</source>
        <translation>agent %1</translation>
    </message>
    <message>
        <source>finished</source>
        <translation>finished</translation>
    </message>
    <message>
        <source>in progress</source>
        <translation>in progress</translation>
    </message>
    <message>
        <source>The details of this request were dropped to keep the log&apos;s memory bounded.</source>
        <translation>The details of this request were dropped to keep the log&apos;s memory bounded.</translation>
    </message>
    <message>
        <source>Not a streaming request: no events.</source>
        <translation>Not a streaming request: no events.</translation>
    </message>
    <message>
        <source>Export the request log</source>
        <translation>Export the request log</translation>
    </message>
    <message>
        <source>JSON Lines (*.jsonl);;All files (*)</source>
        <translation>JSON Lines (*.jsonl);;All files (*)</translation>
    </message>
    <message>
        <source>Export failed</source>
        <translation>Export failed</translation>
    </message>
    <message>
        <source>The log could not be written to %1: %2</source>
        <translation>The log could not be written to %1: %2</translation>
    </message>
    <message>
        <source>Search client, path, agent, session, status or error</source>
        <translation>Search client, path, agent, session, status or error</translation>
    </message>
    <message>
        <source>All requests</source>
        <translation>All requests</translation>
    </message>
    <message>
        <source>Errors</source>
        <translation>Errors</translation>
    </message>
    <message>
        <source>Streams</source>
        <translation>Streams</translation>
    </message>
    <message>
        <source>In progress</source>
        <translation>In progress</translation>
    </message>
    <message>
        <source>Follow new requests</source>
        <translation>Follow new requests</translation>
    </message>
    <message>
        <source>Clear</source>
        <translation>Clear</translation>
    </message>
    <message>
        <source>Export…</source>
        <translation>Export…</translation>
    </message>
    <message>
        <source>SSE events</source>
        <translation>SSE events</translation>
    </message>
    <message>
        <source>Request body</source>
        <translation>Request body</translation>
    </message>
    <message>
        <source>Response</source>
        <translation>Response</translation>
    </message>
    <message numerus="yes">
        <source>%Ln later event(s) not kept (at most %1 per request).</source>
        <translation>
            <numerusform>%Ln later event not kept (at most %1 per request).</numerusform>
            <numerusform>%Ln later events not kept (at most %1 per request).</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%Ln request(s)</source>
        <translation>
            <numerusform>%Ln request</numerusform>
            <numerusform>%Ln requests</numerusform>
        </translation>
    </message>
    <message>
        <source>%1 of %2</source>
        <comment>shown of total requests</comment>
        <translation>%1 of %2</translation>
    </message>
</context>
<context>
    <name>passerelle::SecretDialog</name>
    <message>
        <source>Copy</source>
        <translation>Copy</translation>
    </message>
    <message>
        <source>This is the only time it is shown: Passerelle keeps only its SHA-256 fingerprint.</source>
        <translation>This is the only time it is shown: Passerelle keeps only its SHA-256 fingerprint.</translation>
    </message>
    <message>
        <source>Copied</source>
        <translation>Copied</translation>
    </message>
</context>
<context>
    <name>passerelle::SettingsPage</name>
    <message>
        <source>%1 s</source>
        <translation>%1 s</translation>
    </message>
    <message>
        <source>The change could not be saved: %1</source>
        <translation>The change could not be saved: %1</translation>
    </message>
    <message>
        <source>“%1” is not an IP address.</source>
        <translation>“%1” is not an IP address.</translation>
    </message>
    <message>
        <source>Authentication is off, so the gateway may only listen on loopback. Choose token or password authentication first (Tokens tab).</source>
        <translation>Authentication is off, so the gateway may only listen on loopback. Choose token or password authentication first (Tokens tab).</translation>
    </message>
    <message>
        <source>Opening the new address…</source>
        <translation>Opening the new address…</translation>
    </message>
    <message>
        <source>“*” would let every web page call the gateway; list the origins instead.</source>
        <translation>“*” would let every web page call the gateway; list the origins instead.</translation>
    </message>
    <message>
        <source>“%1” is not an origin such as https://app.example.com or http://localhost:3000.</source>
        <translation>“%1” is not an origin such as https://app.example.com or http://localhost:3000.</translation>
    </message>
    <message>
        <source>CORS is off: browsers on other sites get no access.</source>
        <translation>CORS is off: browsers on other sites get no access.</translation>
    </message>
    <message numerus="yes">
        <source>Saved: %n origin(s) may call the gateway from a browser.</source>
        <translation>
            <numerusform>Saved: %n origin may call the gateway from a browser.</numerusform>
            <numerusform>Saved: %n origins may call the gateway from a browser.</numerusform>
        </translation>
    </message>
    <message>
        <source>Listening on %1.</source>
        <translation>Listening on %1.</translation>
    </message>
    <message>
        <source>not listening</source>
        <translation>not listening</translation>
    </message>
    <message>
        <source>starting…</source>
        <translation>starting…</translation>
    </message>
    <message>
        <source>stopped</source>
        <translation>stopped</translation>
    </message>
    <message>
        <source>Network</source>
        <translation>Network</translation>
    </message>
    <message>
        <source>Port:</source>
        <translation>Port:</translation>
    </message>
    <message>
        <source>any free port</source>
        <translation>any free port</translation>
    </message>
    <message>
        <source>Listen on:</source>
        <translation>Listen on:</translation>
    </message>
    <message>
        <source>This computer only (127.0.0.1)</source>
        <translation>This computer only (127.0.0.1)</translation>
    </message>
    <message>
        <source>Every network interface (0.0.0.0)</source>
        <translation>Every network interface (0.0.0.0)</translation>
    </message>
    <message>
        <source>A specific address</source>
        <translation>A specific address</translation>
    </message>
    <message>
        <source>e.g. 192.168.1.20</source>
        <translation>e.g. 192.168.1.20</translation>
    </message>
    <message>
        <source>Now listening on:</source>
        <translation>Now listening on:</translation>
    </message>
    <message>
        <source>Apply and re-listen</source>
        <translation>Apply and re-listen</translation>
    </message>
    <message>
        <source>Browser access (CORS)</source>
        <translation>Browser access (CORS)</translation>
    </message>
    <message>
        <source>Web pages from these origins may call the gateway, one per line. Leave empty to refuse every other site.</source>
        <translation>Web pages from these origins may call the gateway, one per line. Leave empty to refuse every other site.</translation>
    </message>
    <message>
        <source>Apply</source>
        <translation>Apply</translation>
    </message>
    <message>
        <source>Upstream timeouts</source>
        <translation>Upstream timeouts</translation>
    </message>
    <message>
        <source>Each model provider has its own timeouts: edit them in Agents › Model providers. The built-in echo provider needs none.</source>
        <translation>Each model provider has its own timeouts: edit them in Agents › Model providers. The built-in echo provider needs none.</translation>
    </message>
    <message>
        <source>Provider</source>
        <translation>Provider</translation>
    </message>
    <message>
        <source>Connect</source>
        <translation>Connect</translation>
    </message>
    <message>
        <source>First answer</source>
        <translation>First answer</translation>
    </message>
    <message>
        <source>Between events</source>
        <translation>Between events</translation>
    </message>
    <message>
        <source>Interface</source>
        <translation>Interface</translation>
    </message>
    <message>
        <source>Language:</source>
        <translation>Language:</translation>
    </message>
    <message>
        <source>System default</source>
        <translation>System default</translation>
    </message>
    <message>
        <source>Start minimised to the tray</source>
        <translation>Start minimised to the tray</translation>
    </message>
    <message>
        <source>Files</source>
        <translation>Files</translation>
    </message>
    <message>
        <source>Configuration:</source>
        <translation>Configuration:</translation>
    </message>
    <message>
        <source>Data (sessions):</source>
        <translation>Data (sessions):</translation>
    </message>
    <message>
        <source>Open folder</source>
        <translation>Open folder</translation>
    </message>
    <message>
        <source>The new address could not be opened, so the gateway still listens on %1.
%2</source>
        <translation>The new address could not be opened, so the gateway still listens on %1.
%2</translation>
    </message>
    <message>
        <source>The gateway is not listening.
%1</source>
        <translation>The gateway is not listening.
%1</translation>
    </message>
</context>
<context>
    <name>passerelle::SseFrameModel</name>
    <message>
        <source>+%1 ms</source>
        <translation>+%1 ms</translation>
    </message>
    <message>
        <source>Offset</source>
        <translation>Offset</translation>
    </message>
    <message>
        <source>Content</source>
        <translation>Content</translation>
    </message>
    <message>
        <source>Raw frame</source>
        <translation>Raw frame</translation>
    </message>
    <message>
        <source>(comment)</source>
        <translation>(comment)</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Name</translation>
    </message>
</context>
<context>
    <name>passerelle::SseFrameSummary</name>
    <message>
        <source>keep-alive</source>
        <translation>keep-alive</translation>
    </message>
    <message>
        <source>end of stream</source>
        <translation>end of stream</translation>
    </message>
    <message>
        <source>error: %1</source>
        <translation>error: %1</translation>
    </message>
    <message>
        <source>response: ok</source>
        <translation>response: ok</translation>
    </message>
    <message>
        <source>role: %1</source>
        <translation>role: %1</translation>
    </message>
    <message>
        <source>call %1</source>
        <translation>call %1</translation>
    </message>
    <message>
        <source>call %1 %2</source>
        <translation>call %1 %2</translation>
    </message>
    <message>
        <source>finish: %1</source>
        <translation>finish: %1</translation>
    </message>
    <message>
        <source>usage: %1</source>
        <translation>usage: %1</translation>
    </message>
</context>
<context>
    <name>passerelle::TokensPage</name>
    <message>
        <source>%1 s</source>
        <translation>%1 s</translation>
    </message>
    <message>
        <source>%1 min %2 s</source>
        <translation>%1 min %2 s</translation>
    </message>
    <message>
        <source>The token is in the clipboard.</source>
        <translation>The token is in the clipboard.</translation>
    </message>
    <message>
        <source>The change could not be saved: %1</source>
        <translation>The change could not be saved: %1</translation>
    </message>
    <message>
        <source>“None” is only allowed while the gateway listens on loopback (127.0.0.1). Change the bind address in Settings first.</source>
        <translation>“None” is only allowed while the gateway listens on loopback (127.0.0.1). Change the bind address in Settings first.</translation>
    </message>
    <message>
        <source>Set a password below before choosing password mode.</source>
        <translation>Set a password below before choosing password mode.</translation>
    </message>
    <message>
        <source>There is no token yet: regenerate one first.</source>
        <translation>There is no token yet: regenerate one first.</translation>
    </message>
    <message>
        <source>A new token is in force; clients using the old one are refused.</source>
        <translation>A new token is in force; clients using the old one are refused.</translation>
    </message>
    <message>
        <source>The password cannot be empty in password mode.</source>
        <translation>The password cannot be empty in password mode.</translation>
    </message>
    <message>
        <source>The password was removed.</source>
        <translation>The password was removed.</translation>
    </message>
    <message>
        <source>The password was saved.</source>
        <translation>The password was saved.</translation>
    </message>
    <message>
        <source>Token “%1” created.</source>
        <translation>Token “%1” created.</translation>
    </message>
    <message>
        <source>Token “%1” revoked: it no longer gets in.</source>
        <translation>Token “%1” revoked: it no longer gets in.</translation>
    </message>
    <message>
        <source>Limiter settings saved.</source>
        <translation>Limiter settings saved.</translation>
    </message>
    <message>
        <source>Regenerate the token?</source>
        <translation>Regenerate the token?</translation>
    </message>
    <message>
        <source>Every client using the current token will be refused until it gets the new one.</source>
        <translation>Every client using the current token will be refused until it gets the new one.</translation>
    </message>
    <message>
        <source>Token “%1”</source>
        <translation>Token “%1”</translation>
    </message>
    <message>
        <source>Give this token to the client that will use it. It is sent as “Authorization: Bearer &lt;token&gt;”.</source>
        <translation>Give this token to the client that will use it. It is sent as “Authorization: Bearer &lt;token&gt;”.</translation>
    </message>
    <message>
        <source>Revoke the token?</source>
        <translation>Revoke the token?</translation>
    </message>
    <message>
        <source>Clients using “%1” will be refused from now on.</source>
        <translation>Clients using “%1” will be refused from now on.</translation>
    </message>
    <message>
        <source>all agents</source>
        <translation>all agents</translation>
    </message>
    <message>
        <source>ending</source>
        <translation>ending</translation>
    </message>
    <message>
        <source>Authentication</source>
        <translation>Authentication</translation>
    </message>
    <message>
        <source>Mode:</source>
        <translation>Mode:</translation>
    </message>
    <message>
        <source>Token</source>
        <translation>Token</translation>
    </message>
    <message>
        <source>Password</source>
        <translation>Password</translation>
    </message>
    <message>
        <source>None (loopback only)</source>
        <translation>None (loopback only)</translation>
    </message>
    <message>
        <source>Clients send “Authorization: Bearer &lt;secret&gt;”. Without authentication, only programs on this computer can connect.</source>
        <translation>Clients send “Authorization: Bearer &lt;secret&gt;”. Without authentication, only programs on this computer can connect.</translation>
    </message>
    <message>
        <source>Main token:</source>
        <translation>Main token:</translation>
    </message>
    <message>
        <source>Hide</source>
        <translation>Hide</translation>
    </message>
    <message>
        <source>Show</source>
        <translation>Show</translation>
    </message>
    <message>
        <source>Copy</source>
        <translation>Copy</translation>
    </message>
    <message>
        <source>Regenerate…</source>
        <translation>Regenerate…</translation>
    </message>
    <message>
        <source>Password:</source>
        <translation>Password:</translation>
    </message>
    <message>
        <source>not set</source>
        <translation>not set</translation>
    </message>
    <message>
        <source>Save password</source>
        <translation>Save password</translation>
    </message>
    <message>
        <source>Named tokens</source>
        <translation>Named tokens</translation>
    </message>
    <message>
        <source>Extra tokens for individual clients, each limited to some agents if you like. Only a fingerprint is stored: the secret is shown once.</source>
        <translation>Extra tokens for individual clients, each limited to some agents if you like. Only a fingerprint is stored: the secret is shown once.</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>Agents</source>
        <translation>Agents</translation>
    </message>
    <message>
        <source>Created</source>
        <translation>Created</translation>
    </message>
    <message>
        <source>New token…</source>
        <translation>New token…</translation>
    </message>
    <message>
        <source>Revoke…</source>
        <translation>Revoke…</translation>
    </message>
    <message>
        <source>Failed sign-in limiter</source>
        <translation>Failed sign-in limiter</translation>
    </message>
    <message>
        <source>Failures before lockout:</source>
        <translation>Failures before lockout:</translation>
    </message>
    <message>
        <source>Counted over:</source>
        <translation>Counted over:</translation>
    </message>
    <message>
        <source> s</source>
        <translation> s</translation>
    </message>
    <message>
        <source>Lockout lasts:</source>
        <translation>Lockout lasts:</translation>
    </message>
    <message>
        <source>Never lock out this computer (loopback)</source>
        <translation>Never lock out this computer (loopback)</translation>
    </message>
    <message>
        <source>Apply</source>
        <translation>Apply</translation>
    </message>
    <message>
        <source>Locked-out addresses</source>
        <translation>Locked-out addresses</translation>
    </message>
    <message>
        <source>Address</source>
        <translation>Address</translation>
    </message>
    <message>
        <source>Failures</source>
        <translation>Failures</translation>
    </message>
    <message>
        <source>Remaining</source>
        <translation>Remaining</translation>
    </message>
    <message>
        <source>No address is locked out.</source>
        <translation>No address is locked out.</translation>
    </message>
    <message>
        <source>Unlock</source>
        <translation>Unlock</translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation>Refresh</translation>
    </message>
    <message>
        <source>main token</source>
        <translation>main token</translation>
    </message>
    <message>
        <source>Usage is unavailable: %1</source>
        <translation>Usage is unavailable: %1</translation>
    </message>
    <message>
        <source>No requests in this period.</source>
        <translation>No requests in this period.</translation>
    </message>
    <message>
        <source>Days are UTC days. Scrapers read the counts since the gateway started at GET /metrics (passerelle_token_requests_total).</source>
        <translation>Days are UTC days. Scrapers read the counts since the gateway started at GET /metrics (passerelle_token_requests_total).</translation>
    </message>
    <message>
        <source>Usage per token</source>
        <translation>Usage per token</translation>
    </message>
    <message>
        <source>Period:</source>
        <translation>Period:</translation>
    </message>
    <message>
        <source>Today</source>
        <translation>Today</translation>
    </message>
    <message>
        <source>Last 7 days</source>
        <translation>Last 7 days</translation>
    </message>
    <message>
        <source>Total</source>
        <translation>Total</translation>
    </message>
    <message>
        <source>Requests</source>
        <translation>Requests</translation>
    </message>
    <message>
        <source>Prompt tokens</source>
        <translation>Prompt tokens</translation>
    </message>
    <message>
        <source>Completion tokens</source>
        <translation>Completion tokens</translation>
    </message>
    <message>
        <source>Errors</source>
        <translation>Errors</translation>
    </message>
</context>
<context>
    <name>passerelle::TrayController</name>
    <message>
        <source>Passerelle</source>
        <translation>Passerelle</translation>
    </message>
    <message>
        <source>The change could not be saved: %1</source>
        <translation>The change could not be saved: %1</translation>
    </message>
    <message>
        <source>Address locked out</source>
        <translation>Address locked out</translation>
    </message>
    <message>
        <source>%1 failed to sign in too many times and is locked out for now.</source>
        <translation>%1 failed to sign in too many times and is locked out for now.</translation>
    </message>
    <message>
        <source>Passerelle cannot listen</source>
        <translation>Passerelle cannot listen</translation>
    </message>
    <message>
        <source>Serving on %1</source>
        <translation>Serving on %1</translation>
    </message>
    <message>
        <source>Not listening: %1</source>
        <translation>Not listening: %1</translation>
    </message>
    <message>
        <source>Starting…</source>
        <translation>Starting…</translation>
    </message>
    <message>
        <source>Stopped</source>
        <translation>Stopped</translation>
    </message>
    <message>
        <source>Passerelle — %1</source>
        <translation>Passerelle — %1</translation>
    </message>
    <message>
        <source>Open the panel</source>
        <translation>Open the panel</translation>
    </message>
    <message>
        <source>Copy the endpoint URL</source>
        <translation>Copy the endpoint URL</translation>
    </message>
    <message>
        <source>Quit Passerelle</source>
        <translation>Quit Passerelle</translation>
    </message>
    <message>
        <source>Endpoints off (%1)</source>
        <translation>Endpoints off (%1)</translation>
    </message>
    <message>
        <source>Endpoints enabled (Chat Completions, Responses, Messages)</source>
        <translation>Endpoints enabled (Chat Completions, Responses, Messages)</translation>
    </message>
</context>
<context>
    <name>passerelle::TryItBox</name>
    <message>
        <source>Streaming… first words after %1 ms</source>
        <translation>Streaming… first words after %1 ms</translation>
    </message>
    <message>
        <source>Done in %1 ms (first words after %2 ms, finish reason: %3).</source>
        <translation>Done in %1 ms (first words after %2 ms, finish reason: %3).</translation>
    </message>
    <message>
        <source>none</source>
        <translation>none</translation>
    </message>
    <message>
        <source>The gateway answered %1: %2</source>
        <translation>The gateway answered %1: %2</translation>
    </message>
    <message>
        <source>The request failed: %1</source>
        <translation>The request failed: %1</translation>
    </message>
    <message>
        <source>Waiting for the first words…</source>
        <translation>Waiting for the first words…</translation>
    </message>
    <message>
        <source>Stopped.</source>
        <translation>Stopped.</translation>
    </message>
    <message>
        <source>Try it</source>
        <translation>Try it</translation>
    </message>
    <message>
        <source>Agent:</source>
        <translation>Agent:</translation>
    </message>
    <message>
        <source>Say hello in one short sentence.</source>
        <translation>Say hello in one short sentence.</translation>
    </message>
    <message>
        <source>Send</source>
        <translation>Send</translation>
    </message>
    <message>
        <source>Stop</source>
        <translation>Stop</translation>
    </message>
    <message>
        <source>Sends a real streaming request through the gateway, like any client would.</source>
        <translation>Sends a real streaming request through the gateway, like any client would.</translation>
    </message>
</context>
</TS>
