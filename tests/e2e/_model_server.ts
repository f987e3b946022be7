/**
 * A scripted model for the real agent harnesses: one loopback HTTP server
 * that speaks the Anthropic Messages API (Claude Code) and the OpenAI
 * Responses API (Codex) over server-sent events, and answers each request
 * with the next step of a script instead of a model's reply.
 *
 * The script of a conversation is named in its first prompt
 * (`e2e-script:<name>`); the step is the number of tool results the
 * conversation already holds, so the server keeps no state per session and
 * concurrent sessions never mix. Every request is recorded, so a test can
 * check what reached the model (the primer, a hook's deny reason).
 *
 * @module
 */

/** One thing the scripted model does. */
export type Step =
  | { kind: "write"; path: string; content: string }
  | { kind: "shell"; command: string; workdir?: string }
  | { kind: "mcp"; tool: string; args: Record<string, unknown>; server?: string }
  | { kind: "tool_search"; query: string }
  /** Any other tool of Claude Code (its name and input as the model would send them). */
  | { kind: "claude_tool"; name: string; input: Record<string, unknown> }
  | { kind: "text"; text: string };

/** A script: the step for a turn, given the text of the last tool result. */
export type Script = (step: number, lastResult: string) => Step;

/** One request the server received. */
export interface Recorded {
  /** `claude` (Messages API) or `codex` (Responses API). */
  api: "claude" | "codex";
  /** The script named in the conversation, or `null`. */
  script: string | null;
  /** The step answered. */
  step: number;
  /** The whole request body as text. */
  body: string;
  /** `x-claude-code-session-id`, when sent. */
  sessionHeader: string | null;
  /** The text of every tool result the conversation holds, in order. */
  results: string[];
}

/** A running model server. */
export interface ModelServer {
  /** `http://127.0.0.1:PORT`. */
  url: string;
  /** Every request so far. */
  requests: Recorded[];
  /** Stops the server. */
  close(): Promise<void>;
}

const encoder = new TextEncoder();

/**
 * Starts the server on a free loopback port.
 *
 * @param scripts The scripts by name; `(name) => Script` resolves names not listed.
 * @returns The server.
 */
export function startModelServer(
  scripts: (name: string) => Script | undefined,
): ModelServer {
  const requests: Recorded[] = [];
  const server = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen: () => {} },
    async (request) => {
      const url = new URL(request.url);
      if (request.method !== "POST") return Response.json({ ok: true });
      const body = await request.text();
      if (url.pathname.endsWith("/count_tokens")) return Response.json({ input_tokens: 100 });
      const json = JSON.parse(body) as Record<string, unknown>;
      const api = url.pathname.endsWith("/responses") ? "codex" : "claude";
      const turns = api === "claude" ? claudeTurns(json) : codexTurns(json);
      const name = /e2e-script:([A-Za-z0-9_:.-]+)/.exec(turns.firstPrompt)?.[1] ?? null;
      const script = name ? scripts(name) : undefined;
      const step = turns.results.length;
      requests.push({
        api,
        script: name,
        step,
        body,
        sessionHeader: request.headers.get("x-claude-code-session-id"),
        results: turns.results,
      });
      const action: Step = script
        ? script(step, turns.results.at(-1) ?? "")
        : { kind: "text", text: "ok" };
      const events = api === "claude"
        ? claudeEvents(action, json.stream !== false)
        : codexEvents(action, step);
      if (typeof events === "object" && !Array.isArray(events)) return Response.json(events);
      return new Response(encoder.encode(events.join("")), {
        headers: { "content-type": "text/event-stream", "cache-control": "no-cache" },
      });
    },
  );
  const port = (server.addr as Deno.NetAddr).port;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () => server.shutdown(),
  };
}

/** The first prompt's text and the text of each tool result, in order. */
interface Turns {
  firstPrompt: string;
  results: string[];
}

function textOf(content: unknown): string {
  if (typeof content === "string") return content;
  if (Array.isArray(content)) return content.map((c) => textOf(c)).join("\n");
  if (content && typeof content === "object") {
    const c = content as Record<string, unknown>;
    return textOf(c.text ?? c.content ?? c.output ?? "");
  }
  return "";
}

function claudeTurns(json: Record<string, unknown>): Turns {
  const messages = (json.messages ?? []) as { role: string; content: unknown }[];
  const results: string[] = [];
  let firstPrompt = "";
  for (const m of messages) {
    if (m.role !== "user") continue;
    const blocks = Array.isArray(m.content) ? m.content : [{ type: "text", text: m.content }];
    for (const b of blocks as Record<string, unknown>[]) {
      if (b.type === "tool_result") results.push(textOf(b.content));
      else if (b.type === "text" && /e2e-script:/.test(String(b.text)) && !firstPrompt) {
        firstPrompt = String(b.text);
      }
    }
  }
  return { firstPrompt, results };
}

function codexTurns(json: Record<string, unknown>): Turns {
  const input = (json.input ?? []) as Record<string, unknown>[];
  const results: string[] = [];
  let firstPrompt = "";
  for (const item of input) {
    const type = item.type;
    if (type === "function_call_output" || type === "custom_tool_call_output") {
      results.push(textOf(item.output));
    } else if (type === "tool_search_output") {
      results.push(JSON.stringify(item));
    } else if (item.role === "user" && !firstPrompt) {
      const text = textOf(item.content);
      if (/e2e-script:/.test(text)) firstPrompt = text;
    }
  }
  return { firstPrompt, results };
}

function sse(event: string, data: unknown): string {
  return `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
}

let counter = 0;
const nextId = (prefix: string) =>
  `${prefix}_${Date.now().toString(36)}${(++counter).toString(36)}`;

/** A Messages API reply: the events of a stream, or one JSON message when not streaming. */
function claudeEvents(action: Step, stream: boolean): string[] | Record<string, unknown> {
  const block = claudeBlock(action);
  const message = {
    id: nextId("msg"),
    type: "message",
    role: "assistant",
    model: "claude-sonnet-4-5",
    content: [] as unknown[],
    stop_reason: null,
    stop_sequence: null,
    usage: { input_tokens: 10, output_tokens: 1 },
  };
  const stopReason = block.type === "tool_use" ? "tool_use" : "end_turn";
  if (!stream) return { ...message, content: [block], stop_reason: stopReason };
  const start = block.type === "tool_use" ? { ...block, input: {} } : { type: "text", text: "" };
  const delta = block.type === "tool_use"
    ? { type: "input_json_delta", partial_json: JSON.stringify(block.input) }
    : { type: "text_delta", text: block.text };
  return [
    sse("message_start", { type: "message_start", message }),
    sse("content_block_start", { type: "content_block_start", index: 0, content_block: start }),
    sse("content_block_delta", { type: "content_block_delta", index: 0, delta }),
    sse("content_block_stop", { type: "content_block_stop", index: 0 }),
    sse("message_delta", {
      type: "message_delta",
      delta: { stop_reason: stopReason, stop_sequence: null },
      usage: { output_tokens: 5 },
    }),
    sse("message_stop", { type: "message_stop" }),
  ];
}

function claudeBlock(action: Step): Record<string, unknown> {
  const tool = (name: string, input: unknown) => ({
    type: "tool_use",
    id: nextId("toolu"),
    name,
    input,
  });
  switch (action.kind) {
    case "write":
      return tool("Write", { file_path: action.path, content: action.content });
    case "shell":
      return tool("Bash", { command: action.command, description: "scripted step" });
    case "mcp":
      return tool(`mcp__${action.server ?? "lokt"}__${action.tool}`, action.args);
    case "tool_search":
      return tool("ToolSearch", { query: action.query, max_results: 5 });
    case "claude_tool":
      return tool(action.name, action.input);
    case "text":
      return { type: "text", text: action.text };
  }
}

/** A Responses API reply: the events of one response with one output item. */
function codexEvents(action: Step, step: number): string[] {
  const id = nextId("resp");
  const item = codexItem(action, step);
  return [
    sse("response.created", { type: "response.created", response: { id } }),
    sse("response.output_item.done", { type: "response.output_item.done", item }),
    sse("response.completed", {
      type: "response.completed",
      response: {
        id,
        usage: {
          input_tokens: 10,
          input_tokens_details: null,
          output_tokens: 5,
          output_tokens_details: null,
          total_tokens: 15,
        },
      },
    }),
  ];
}

function codexItem(action: Step, step: number): Record<string, unknown> {
  const callId = `call_${step}_${nextId("c")}`;
  switch (action.kind) {
    case "write":
      return {
        type: "custom_tool_call",
        name: "apply_patch",
        call_id: callId,
        input: `*** Begin Patch\n*** Add File: ${action.path}\n${
          action.content.split("\n").map((l) => `+${l}`).join("\n")
        }\n*** End Patch\n`,
      };
    case "shell":
      return {
        type: "function_call",
        name: "exec_command",
        call_id: callId,
        arguments: JSON.stringify({
          cmd: action.command,
          login: false,
          yield_time_ms: 30000,
          ...(action.workdir === undefined ? {} : { workdir: action.workdir }),
        }),
      };
    case "tool_search":
      return {
        type: "tool_search_call",
        call_id: callId,
        execution: "client",
        status: "completed",
        arguments: { query: action.query, limit: 8 },
      };
    case "claude_tool":
      throw new Error(`${action.name} is a tool of Claude Code, not of Codex`);
    case "mcp":
      return {
        type: "function_call",
        name: action.tool,
        namespace: `mcp__${action.server ?? "lokt"}`,
        call_id: callId,
        arguments: JSON.stringify(action.args),
      };
    case "text":
      return {
        type: "message",
        role: "assistant",
        id: nextId("msg"),
        content: [{ type: "output_text", text: action.text, annotations: [] }],
      };
  }
}
