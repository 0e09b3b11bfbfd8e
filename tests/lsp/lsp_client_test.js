// End-to-end test of `flowc lsp` with a real LSP client: vscode-languageserver-
// protocol (the library under VS Code's client), resolved from the extension's
// installed node_modules, drives a real `flowc lsp` process over stdio.
//
//   node lsp_client_test.js FLOWC EDITORS_VSCODE_DIR
//
// open → diagnostics → incremental edit → diagnostics → hover → definition
// (across an import) → references → completion → signatureHelp → rename →
// formatting → bad messages (unknown method; garbage JSON and a request before
// initialize in a second, raw process) → shutdown/exit.
'use strict';

const assert = require('assert');
const cp = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');

const [flowc, vscodeDir] = process.argv.slice(2);
if (!flowc || !vscodeDir) {
  console.error('usage: node lsp_client_test.js FLOWC EDITORS_VSCODE_DIR');
  process.exit(2);
}
const protocolPath = path.join(vscodeDir, 'node_modules', 'vscode-languageserver-protocol', 'node');
let lsp;
try {
  lsp = require(protocolPath);
} catch (err) {
  // CTest treats exit code 77 as "skipped" (SKIP_RETURN_CODE).
  console.log(`SKIP: vscode-languageserver-protocol not installed (${err.message}); run npm ci in editors/vscode`);
  process.exit(77);
}

const LIB = `## A trained model and its score.
struct Metrics {
  ## fraction of correct answers
  accuracy: Float
  loss: Float
}

## Trains a model.
task train(data: File, epochs: Int = 10) -> (model: File, metrics: Metrics) {
  image  = "python:3.12"
  script = "train {{data}} {{epochs}} {{out.model}} {{out.metrics}}"
}
`;

// Line 12 holds a typo (\`flies\`) after non-ASCII text, fixed by an incremental edit.
const MAIN = `import "./lib/train.flow" as tr

## Says hello.
task greet(name: String, times: Int = 1) -> File {
  image  = "alpine:3.20"
  script = "echo {{name}} {{times}} > {{out}}"
}

workflow main(names: List[String] = ["ada", "grace"], data: File = "d.csv") -> Float {
  let files = for n in names { greet(name: n) }
  let run = tr.train(data: data, epochs: 3)
  let m = tr.Metrics { accuracy: 1.0, loss: 0.5 }
  return run.metrics.accuracy + m.loss + float(len("é😀") + len(flies))
}
`;

const MESSY = `task   t( x :Int )->File{
image="alpine"
    script="echo {{x}} > {{out}}"
}
`;

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'flow-lsp-'));
fs.mkdirSync(path.join(dir, 'lib'));
fs.writeFileSync(path.join(dir, 'lib', 'train.flow'), LIB);
fs.writeFileSync(path.join(dir, 'main.flow'), MAIN);
fs.writeFileSync(path.join(dir, 'messy.flow'), MESSY);
const uri = (p) => 'file://' + path.join(dir, p).split(path.sep).map(encodeURIComponent).join('/');
const mainUri = uri('main.flow');
const libUri = uri('lib/train.flow');
const messyUri = uri('messy.flow');
const pos = (line, character) => ({ line, character });
const lines = MAIN.split('\n');
/** Position of the `occurrence`-th `needle` on line `line`, plus `delta` (ASCII-only prefixes). */
const at = (line, needle, delta = 0) => pos(line, lines[line].indexOf(needle) + delta);

let checks = 0;
function check(cond, message) {
  assert.ok(cond, message);
  checks++;
}

function withTimeout(promise, ms, what) {
  let timer;
  return Promise.race([
    promise.finally(() => clearTimeout(timer)),
    new Promise((_, reject) => { timer = setTimeout(() => reject(new Error(`timed out: ${what}`)), ms); }),
  ]);
}

async function mainSession() {
  const proc = cp.spawn(flowc, ['lsp', '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'] });
  let stderr = '';
  proc.stderr.on('data', (d) => { stderr += d; });
  const exited = new Promise((resolve) => proc.on('exit', (code) => resolve(code)));
  const connection = lsp.createProtocolConnection(
    new lsp.StreamMessageReader(proc.stdout), new lsp.StreamMessageWriter(proc.stdin));
  // Diagnostics arrive asynchronously: keep the latest per URI and let tests wait for a condition.
  const latest = new Map();
  let waiters = [];
  connection.onNotification(lsp.PublishDiagnosticsNotification.type, (params) => {
    latest.set(params.uri, params);
    waiters = waiters.filter((w) => !w(params));
  });
  const diagnosticsWhere = (pred, what) => withTimeout(new Promise((resolve) => {
    for (const params of latest.values()) if (pred(params)) return resolve(params);
    waiters.push((params) => (pred(params) ? (resolve(params), true) : false));
  }), 10000, what);
  connection.listen();

  // --- lifecycle
  const init = await connection.sendRequest(lsp.InitializeRequest.type, {
    processId: process.pid, rootUri: uri(''), capabilities: {}, clientInfo: { name: 'lsp_client_test' },
  });
  const caps = init.capabilities;
  check(caps.hoverProvider && caps.definitionProvider && caps.referencesProvider, 'navigation capabilities');
  check(caps.textDocumentSync.change === lsp.TextDocumentSyncKind.Incremental, 'incremental sync');
  check(caps.completionProvider.triggerCharacters.includes('.'), 'completion on `.`');
  check(caps.renameProvider.prepareProvider === true, 'prepareRename');
  check(caps.documentFormattingProvider === true, 'formatting');
  check(init.serverInfo.name === 'flowc', 'serverInfo');
  connection.sendNotification(lsp.InitializedNotification.type, {});

  // --- open → diagnostics
  connection.sendNotification(lsp.DidOpenTextDocumentNotification.type, {
    textDocument: { uri: mainUri, languageId: 'flow', version: 1, text: MAIN },
  });
  const broken = await diagnosticsWhere((p) => p.uri === mainUri && p.version === 1, 'diagnostics of version 1');
  check(broken.diagnostics.length === 1, `one diagnostic, got ${JSON.stringify(broken.diagnostics)}`);
  const d = broken.diagnostics[0];
  check(d.code === 'E0102' && d.severity === lsp.DiagnosticSeverity.Error, 'E0102 error');
  check(d.message.includes('unknown name `flies`'), 'message as flowc check prints it');
  // `  return run.metrics.accuracy + m.loss + float(len("é😀") + len(` is 64 UTF-16 code units.
  check(d.range.start.line === 12 && d.range.start.character === 64 && d.range.end.character === 69,
    `UTF-16 range, got ${JSON.stringify(d.range)}`);
  check(JSON.stringify(d.relatedInformation || []).includes('did you mean `files`?'), 'note as relatedInformation');
  await diagnosticsWhere((p) => p.uri === libUri && p.diagnostics.length === 0, 'the import is published too');

  // --- incremental edit → diagnostics cleared
  connection.sendNotification(lsp.DidChangeTextDocumentNotification.type, {
    textDocument: { uri: mainUri, version: 2 },
    contentChanges: [{ range: { start: pos(12, 65), end: pos(12, 67) }, text: 'il' }],
  });
  const fixed = await diagnosticsWhere((p) => p.uri === mainUri && p.version === 2, 'diagnostics of version 2');
  check(fixed.diagnostics.length === 0, `clean after the edit, got ${JSON.stringify(fixed.diagnostics)}`);

  const doc = { uri: mainUri };
  // --- hover
  const hover = await connection.sendRequest(lsp.HoverRequest.type, { textDocument: doc, position: at(9, 'greet(', 2) });
  check(hover.contents.value.includes('task greet(name: String, times: Int = 1) -> File'), 'hover signature');
  check(hover.contents.value.includes('Says hello.'), 'hover doc comment');
  const hoverType = await connection.sendRequest(lsp.HoverRequest.type, { textDocument: doc, position: at(9, 'files', 1) });
  check(hoverType.contents.value.includes('List[File]'), `hover type, got ${hoverType.contents.value}`);
  const hoverField = await connection.sendRequest(lsp.HoverRequest.type, {
    textDocument: doc, position: at(12, 'accuracy', 2) });
  check(hoverField.contents.value.includes('Metrics.accuracy: Float') &&
        hoverField.contents.value.includes('fraction of correct answers'), 'hover struct field with doc');

  // --- definition across the import
  const def = await connection.sendRequest(lsp.DefinitionRequest.type, { textDocument: doc, position: at(10, 'train', 1) });
  check(def.uri === libUri && def.range.start.line === 8, `definition in lib, got ${JSON.stringify(def)}`);

  // --- references: greet's `name` (declaration, `{{name}}`, the named argument)
  const refs = await connection.sendRequest(lsp.ReferencesRequest.type, {
    textDocument: doc, position: at(3, 'name', 1), context: { includeDeclaration: true } });
  check(refs.length === 3, `three references, got ${JSON.stringify(refs)}`);
  const accRefs = await connection.sendRequest(lsp.ReferencesRequest.type, {
    textDocument: doc, position: at(12, 'accuracy', 1), context: { includeDeclaration: true } });
  check(accRefs.some((r) => r.uri === libUri) && accRefs.length === 3, 'field references across files');

  // --- document symbols
  const symbols = await connection.sendRequest(lsp.DocumentSymbolRequest.type, { textDocument: doc });
  check(symbols.map((s) => s.name).join(',') === 'tr,greet,main', `outline, got ${symbols.map((s) => s.name)}`);
  check(symbols[1].children.map((c) => c.name).join(',') === 'name,times', 'parameters as children');

  // --- completion: call parameters, then members after `.` in an edited buffer
  const inCall = await connection.sendRequest(lsp.CompletionRequest.type, { textDocument: doc, position: at(9, 'greet(', 6) });
  const callLabels = inCall.items.map((i) => i.label);
  check(callLabels.includes('times:') && callLabels.includes('names') && callLabels.includes('len'),
    `call completion, got ${callLabels.slice(0, 20)}`);
  connection.sendNotification(lsp.DidChangeTextDocumentNotification.type, {
    textDocument: { uri: mainUri, version: 3 },
    contentChanges: [{ range: { start: pos(12, 0), end: pos(12, 0) }, text: '  let probe = run.metrics.\n' }],
  });
  const members = await connection.sendRequest(lsp.CompletionRequest.type, { textDocument: doc, position: pos(12, 26) });
  check(members.items.map((i) => i.label).sort().join(',') === 'accuracy,loss',
    `member completion, got ${members.items.map((i) => i.label)}`);
  const broken3 = await diagnosticsWhere((p) => p.uri === mainUri && p.version === 3, 'diagnostics of version 3');
  check(broken3.diagnostics.length > 0, 'the half-typed line is an error');
  connection.sendNotification(lsp.DidChangeTextDocumentNotification.type, {
    textDocument: { uri: mainUri, version: 4 },
    contentChanges: [{ range: { start: pos(12, 0), end: pos(13, 0) }, text: '' }],
  });
  const clean4 = await diagnosticsWhere((p) => p.uri === mainUri && p.version === 4, 'diagnostics of version 4');
  check(clean4.diagnostics.length === 0, 'clean again after undoing');

  // --- signature help
  const sig = await connection.sendRequest(lsp.SignatureHelpRequest.type, { textDocument: doc, position: at(10, 'epochs', 0) });
  check(sig.signatures[0].label === 'train(data: File, epochs: Int = 10) -> (model: File, metrics: tr.Metrics)',
    `signature, got ${JSON.stringify(sig)}`);
  check(sig.activeParameter === 1, 'active parameter');

  // --- rename
  const prep = await connection.sendRequest(lsp.PrepareRenameRequest.type, { textDocument: doc, position: at(9, 'files', 1) });
  check(prep.placeholder === 'files', 'prepareRename placeholder');
  const edit = await connection.sendRequest(lsp.RenameRequest.type, {
    textDocument: doc, position: at(9, 'files', 1), newName: 'outputs' });
  check(edit.changes[mainUri].length === 2 && edit.changes[mainUri].every((e) => e.newText === 'outputs'),
    `rename edits, got ${JSON.stringify(edit)}`);
  await assert.rejects(
    connection.sendRequest(lsp.RenameRequest.type, { textDocument: doc, position: at(12, 'len(', 1), newName: 'size' }),
    (err) => err.code === lsp.LSPErrorCodes.RequestFailed && /built-in/.test(err.message));
  checks++;

  // --- formatting: the same text as `flowc fmt`
  connection.sendNotification(lsp.DidOpenTextDocumentNotification.type, {
    textDocument: { uri: messyUri, languageId: 'flow', version: 1, text: MESSY },
  });
  const edits = await connection.sendRequest(lsp.DocumentFormattingRequest.type, {
    textDocument: { uri: messyUri }, options: { tabSize: 2, insertSpaces: true } });
  const expected = cp.execFileSync(flowc, ['fmt', path.join(dir, 'messy.flow')], { encoding: 'utf8' });
  check(edits.length === 1 && edits[0].newText === expected && expected !== MESSY,
    `formatting, got ${JSON.stringify(edits)}`);

  // --- an unknown method is an error, and the server goes on
  await assert.rejects(connection.sendRequest('flow/noSuchMethod', {}),
    (err) => err.code === lsp.ErrorCodes.MethodNotFound);
  checks++;
  const still = await connection.sendRequest(lsp.HoverRequest.type, { textDocument: doc, position: at(9, 'greet(', 2) });
  check(still !== null, 'still serving after errors');

  // --- shutdown → exit
  await connection.sendRequest(lsp.ShutdownRequest.type);
  connection.sendNotification(lsp.ExitNotification.type);
  const code = await withTimeout(exited, 5000, 'exit after shutdown');
  check(code === 0, `exit code 0 after shutdown, got ${code}; stderr: ${stderr}`);
  connection.dispose();
}

/** Raw framing, to send what a well-behaved client library never would. */
async function rawSession() {
  const proc = cp.spawn(flowc, ['lsp'], { stdio: ['pipe', 'pipe', 'pipe'] });
  const exited = new Promise((resolve) => proc.on('exit', (code) => resolve(code)));
  let buffer = Buffer.alloc(0);
  const messages = [];
  let notify = null;
  proc.stdout.on('data', (chunk) => {
    buffer = Buffer.concat([buffer, chunk]);
    for (;;) {
      const header = buffer.indexOf('\r\n\r\n');
      if (header < 0) break;
      const length = Number(/Content-Length: (\d+)/i.exec(buffer.slice(0, header).toString())[1]);
      if (buffer.length < header + 4 + length) break;
      messages.push(JSON.parse(buffer.slice(header + 4, header + 4 + length).toString('utf8')));
      buffer = buffer.slice(header + 4 + length);
      if (notify) notify();
    }
  });
  const send = (text) => proc.stdin.write(`Content-Length: ${Buffer.byteLength(text)}\r\n\r\n${text}`);
  const next = (count) => withTimeout(new Promise((resolve) => {
    const done = () => { if (messages.length >= count) { notify = null; resolve(messages.slice(0, count)); } };
    notify = done;
    done();
  }), 5000, `${count} raw replies`);

  send('{"jsonrpc": "2.0", "id": 1, "method": "textDocument/hover", "params": {');  // garbage JSON
  send(JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'textDocument/hover',
    params: { textDocument: { uri: mainUri }, position: pos(0, 0) } }));  // before initialize
  proc.stdin.write('Content-Length: nope\r\n\r\n');                       // a broken header
  send(JSON.stringify({ jsonrpc: '2.0', id: 3, method: 'initialize', params: { capabilities: {} } }));
  const [parseError, notInitialized, initialized] = await next(3);
  check(parseError.error.code === -32700 && parseError.id === null, `ParseError, got ${JSON.stringify(parseError)}`);
  check(notInitialized.id === 2 && notInitialized.error.code === -32002, 'ServerNotInitialized');
  check(initialized.id === 3 && initialized.result.capabilities, 'initialize still works after garbage');
  send(JSON.stringify({ jsonrpc: '2.0', method: 'exit' }));  // without shutdown
  const code = await withTimeout(exited, 5000, 'exit without shutdown');
  check(code === 1, `exit code 1 without shutdown, got ${code}`);
}

(async () => {
  try {
    await mainSession();
    await rawSession();
    console.log(`lsp_client_test: ${checks} checks passed`);
    process.exitCode = 0;
  } catch (err) {
    console.error('lsp_client_test FAILED:', err && err.stack ? err.stack : err);
    process.exitCode = 1;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
  setTimeout(() => process.exit(process.exitCode), 100);
})();
