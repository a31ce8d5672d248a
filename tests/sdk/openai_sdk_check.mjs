// Drives the official OpenAI Node SDK (npm `openai`, pinned in package-lock.json)
// against a running shim: chat, streaming chat, completions, a tool call, reasoning, embeddings.
// Started by test_openai_sdk.py with SHIM_URL, SHIM_MODEL and SHIM_API_KEY set.
// Prints one "ok <name>" line per check and exits non-zero on the first failure.
import assert from "node:assert/strict";
import OpenAI, { toFile } from "openai";

const baseURL = `${process.env.SHIM_URL}/v1`;
const model = process.env.SHIM_MODEL;
const timeoutMs = Number(process.env.SHIM_TIMEOUT_MS || "20000");
// maxRetries 0: a retry would hide a first answer the SDK could not use.
const client = new OpenAI({ baseURL, apiKey: process.env.SHIM_API_KEY, maxRetries: 0, timeout: timeoutMs });

async function chat() {
  // The SDK sends what the caller gives; explicit nulls are what typed clients
  // produce for unset options, and SGLang rejects some of them (rule 1).
  const r = await client.chat.completions.create({
    model,
    messages: [{ role: "user", content: "Say hello" }],
    max_tokens: 8,
    temperature: null,
    logprobs: null,
  });
  assert.equal(r.object, "chat.completion");
  assert.equal(r.choices.length, 1);
  assert.equal(r.choices[0].message.role, "assistant");
  assert.equal(typeof r.choices[0].message.content, "string");
  assert.ok(r.choices[0].message.content.length > 0, "empty content");
  assert.ok(r.usage.completion_tokens > 0 && r.usage.completion_tokens <= 8, `usage ${JSON.stringify(r.usage)}`);
}

async function streamingChat() {
  const stream = await client.chat.completions.create({
    model,
    messages: [{ role: "user", content: "Count to five" }],
    max_tokens: 6,
    stream: true,
    stream_options: { include_usage: true },
  });
  let text = "";
  let chunks = 0;
  let finish = null;
  let usage = null;
  for await (const chunk of stream) {
    assert.equal(chunk.object, "chat.completion.chunk");
    chunks += 1;
    if (chunk.usage) usage = chunk.usage;
    for (const choice of chunk.choices) {
      if (choice.delta?.content) text += choice.delta.content;
      if (choice.finish_reason) finish = choice.finish_reason;
    }
  }
  assert.ok(chunks >= 2, `only ${chunks} chunks`);
  assert.ok(text.length > 0, "no streamed text");
  assert.ok(finish === "length" || finish === "stop", `finish_reason ${finish}`);
  assert.ok(usage && usage.completion_tokens > 0, `usage ${JSON.stringify(usage)}`);
}

async function completions() {
  const r = await client.completions.create({ model, prompt: "Once upon a time", max_tokens: 5, echo: false });
  assert.equal(r.object, "text_completion");
  assert.equal(r.choices.length, 1);
  assert.equal(typeof r.choices[0].text, "string");
  assert.ok(r.choices[0].text.length > 0, "empty completion");
  assert.ok(r.usage.prompt_tokens > 0, `usage ${JSON.stringify(r.usage)}`);
}

async function toolCall() {
  const r = await client.chat.completions.create({
    model,
    messages: [{ role: "user", content: "What is the weather in Paris?" }],
    tools: [
      {
        type: "function",
        function: {
          name: "get_weather",
          description: "Current weather of a city",
          parameters: { type: "object", properties: { city: { type: "string" } }, required: ["city"] },
        },
      },
    ],
    tool_choice: "auto",
    max_tokens: 32,
  });
  const message = r.choices[0].message;
  assert.equal(r.choices[0].finish_reason, "tool_calls");
  assert.ok(Array.isArray(message.tool_calls) && message.tool_calls.length === 1, JSON.stringify(message));
  const call = message.tool_calls[0];
  assert.equal(call.type, "function");
  assert.equal(call.function.name, "get_weather");
  const args = JSON.parse(call.function.arguments);
  assert.equal(typeof args.city, "string");
}

async function errorShape() {
  // A field SGLang cannot honour: the shim answers 400 in vLLM's shape, which
  // the SDK turns into a typed BadRequestError carrying the message and param.
  await assert.rejects(
    client.chat.completions.create({
      model,
      messages: [{ role: "user", content: "x" }],
      max_tokens: 2,
      prompt_logprobs: 1,
    }),
    (error) => {
      assert.ok(error instanceof OpenAI.BadRequestError, `${error?.constructor?.name}: ${error}`);
      assert.equal(error.status, 400);
      assert.equal(error.param, "prompt_logprobs");
      assert.match(error.message, /prompt_logprobs/);
      return true;
    },
  );
}

// A reasoning model (--reasoning-parser) answers with vLLM's field `reasoning`
// (vllm/entrypoints/openai/chat_completion/protocol.py @9aaf83ef, ChatMessage and
// DeltaMessage), which is what current clients read; SGLang's `reasoning_content` is gone.
async function reasoningChat() {
  const r = await client.chat.completions.create({
    model,
    messages: [{ role: "user", content: "Think, then answer" }],
    max_tokens: 8,
  });
  const message = r.choices[0].message;
  assert.equal(typeof message.reasoning, "string", JSON.stringify(message));
  assert.ok(message.reasoning.length > 0, "empty reasoning");
  assert.ok(typeof message.content === "string" && message.content.length > 0, JSON.stringify(message));
  assert.ok(!("reasoning_content" in message), JSON.stringify(message));
}

async function reasoningStream() {
  const stream = await client.chat.completions.create({
    model,
    messages: [{ role: "user", content: "Think, then answer" }],
    max_tokens: 8,
    stream: true,
  });
  let reasoning = "";
  let content = "";
  for await (const chunk of stream) {
    for (const choice of chunk.choices) {
      assert.ok(!("reasoning_content" in choice.delta), JSON.stringify(choice.delta));
      if (choice.delta?.reasoning) reasoning += choice.delta.reasoning;
      if (choice.delta?.content) content += choice.delta.content;
    }
  }
  assert.ok(reasoning.length > 0, "no streamed reasoning");
  assert.ok(content.length > 0, "no streamed content");
}

// The SDK asks for base64 unless told otherwise and decodes it as little-endian float32
// (resources/embeddings.ts); the same text asked for as floats must give the same numbers.
async function embeddings() {
  const input = ["the cat sat", "stock markets fell"];
  const decoded = await client.embeddings.create({ model, input });
  const floats = await client.embeddings.create({ model, input, encoding_format: "float" });
  assert.equal(decoded.object, "list");
  assert.equal(decoded.model, model);
  assert.ok(decoded.usage.prompt_tokens > 0 && decoded.usage.total_tokens === decoded.usage.prompt_tokens);
  assert.equal(decoded.data.length, 2);
  for (const [i, item] of decoded.data.entries()) {
    assert.equal(item.index, i);
    assert.equal(item.object, "embedding");
    const want = floats.data[i].embedding;
    assert.ok(Array.isArray(want) && want.length > 0, JSON.stringify(floats.data[i]));
    assert.equal(item.embedding.length, want.length);
    for (const [k, v] of Array.from(item.embedding).entries()) assert.ok(Math.abs(v - want[k]) < 1e-6, `${v} != ${want[k]}`);
  }
  assert.notDeepEqual(Array.from(decoded.data[0].embedding), Array.from(decoded.data[1].embedding));
}

// A WAV file of silence (8 kHz mono 16-bit), as the SDK's input_audio part carries it: base64.
function wavBase64(samples = 800) {
  const data = Buffer.alloc(samples * 2);
  const head = Buffer.alloc(44);
  head.write("RIFF", 0);
  head.writeUInt32LE(36 + data.length, 4);
  head.write("WAVEfmt ", 8);
  head.writeUInt32LE(16, 16);
  head.writeUInt16LE(1, 20);
  head.writeUInt16LE(1, 22);
  head.writeUInt32LE(8000, 24);
  head.writeUInt32LE(16000, 28);
  head.writeUInt16LE(2, 32);
  head.writeUInt16LE(16, 34);
  head.write("data", 36);
  head.writeUInt32LE(data.length, 40);
  return Buffer.concat([head, data]).toString("base64");
}

// OpenAI's input_audio part, which the shim hands SGLang as its audio_url part; the
// stand-in's answer starts with "[audio:1]" when it received the audio.
async function audioChat() {
  const r = await client.chat.completions.create({
    model,
    messages: [
      {
        role: "user",
        content: [
          { type: "text", text: "What is said here?" },
          { type: "input_audio", input_audio: { data: wavBase64(), format: "wav" } },
        ],
      },
    ],
    max_tokens: 8,
  });
  assert.equal(r.object, "chat.completion");
  assert.ok(r.choices[0].message.content.startsWith("[audio:1]"), r.choices[0].message.content);
}

// The SDK's multipart upload (needs Node 20's File; see test_openai_sdk.py).
async function audioTranscription() {
  const file = await toFile(Buffer.from(wavBase64(), "base64"), "speech.wav", { type: "audio/wav" });
  const r = await client.audio.transcriptions.create({ model, file });
  assert.equal(typeof r.text, "string");
  assert.ok(r.text.startsWith("[audio:1644 bytes]"), r.text);
}

const checks = { chat, streamingChat, completions, toolCall, errorShape };
// Run only when named: they need a shim started with a reasoning parser, or a pooling model.
// audioChat and audioTranscription are run by their own test.
// responses.create with a JSON-schema text format, whole and streamed: the SDK reads vLLM's
// usage (input_tokens...) and output_text, which must parse as the schema asks.
const personFormat = {
  format: {
    type: "json_schema",
    name: "person",
    schema: { type: "object", properties: { name: { type: "string" }, age: { type: "integer" } }, required: ["name", "age"] },
    strict: true,
  },
};

function checkPerson(text) {
  const person = JSON.parse(text);
  assert.equal(typeof person.name, "string");
  assert.ok(Number.isInteger(person.age), text);
}

async function responses() {
  const r = await client.responses.create({ model, input: "Who?", text: personFormat, max_output_tokens: 64 });
  assert.equal(r.object, "response");
  assert.equal(r.status, "completed");
  assert.ok(r.id.startsWith("resp_"), r.id);
  checkPerson(r.output_text);
  assert.ok(r.usage.input_tokens > 0 && r.usage.output_tokens > 0, JSON.stringify(r.usage));
  assert.equal(r.usage.total_tokens, r.usage.input_tokens + r.usage.output_tokens);
  const again = await client.responses.retrieve(r.id);
  assert.equal(again.output_text, r.output_text);
  const plain = await client.responses.create({ model, input: "Hello", max_output_tokens: 8 });
  assert.ok(plain.output_text.length > 0);
  assert.ok(plain.usage.input_tokens > 0, JSON.stringify(plain.usage));
}

async function responsesStream() {
  const stream = await client.responses.create({ model, input: "Who?", text: personFormat, stream: true });
  let text = "";
  let completed = null;
  for await (const event of stream) {
    if (event.type === "response.output_text.delta") text += event.delta;
    if (event.type === "response.completed") completed = event.response;
  }
  assert.ok(completed, "no response.completed event");
  checkPerson(text);
  assert.equal(completed.output_text ?? completed.output[0].content[0].text, text);
  assert.ok(completed.usage.input_tokens > 0, JSON.stringify(completed.usage));
}

const namedOnly = { reasoningChat, reasoningStream, embeddings, audioChat, audioTranscription, responses, responsesStream };
const only = process.argv.slice(2);
for (const [name, check] of Object.entries({ ...checks, ...namedOnly })) {
  if (only.length ? !only.includes(name) : name in namedOnly) continue;
  try {
    await check();
  } catch (error) {
    console.error(`FAIL ${name}: ${error?.stack || error}`);
    process.exit(1);
  }
  console.log(`ok ${name}`);
}
