// Tests of the extension outside VS Code: the manifest's contributions point at
// files that exist and agree with each other, every snippet parses, and the client
// (client/extension.js) starts `flowc lsp` as configured, restarts it on demand and
// on settings changes, and degrades to a warning when the server cannot start.
// `vscode` and `vscode-languageclient/node` are replaced by recording fakes.
'use strict';

const assert = require('assert');
const fs = require('fs');
const path = require('path');
const Module = require('module');

const ROOT = path.resolve(__dirname, '..');
let passed = 0;
async function test(name, fn) {
  try {
    await fn();
    passed++;
  } catch (err) {
    console.error(`FAIL ${name}\n${err.stack}`);
    process.exitCode = 1;
  }
}

// --- fakes ----------------------------------------------------------------------
const settings = new Map();
const events = [];
let configListener = null;
const commands = new Map();
let failStart = false;

class FakeClient {
  constructor(id, name, serverOptions, clientOptions) {
    Object.assign(this, { id, name, serverOptions, clientOptions, running: false });
    events.push(['create', this]);
  }
  async start() {
    if (failStart) throw new Error('spawn flowc ENOENT');
    this.running = true;
    events.push(['start', this]);
  }
  async stop() {
    this.running = false;
    events.push(['stop', this]);
  }
}

const fakeVscode = {
  workspace: {
    getConfiguration: (section) => ({
      get: (key, def) => (settings.has(`${section}.${key}`) ? settings.get(`${section}.${key}`) : def),
    }),
    createFileSystemWatcher: (glob) => ({ glob, dispose() {} }),
    onDidChangeConfiguration: (fn) => { configListener = fn; return { dispose() {} }; },
  },
  window: {
    createOutputChannel: (name) => ({ name, dispose() {} }),
    showWarningMessage: (msg) => { events.push(['warn', msg]); },
  },
  commands: {
    registerCommand: (id, fn) => { commands.set(id, fn); return { dispose() {} }; },
  },
};
const fakeLanguageClient = { LanguageClient: FakeClient, TransportKind: { stdio: 0, ipc: 1 } };

const realResolve = Module._resolveFilename;
Module._resolveFilename = function (request, ...rest) {
  if (request === 'vscode') return 'fake:vscode';
  if (request === 'vscode-languageclient/node') return 'fake:languageclient';
  return realResolve.call(this, request, ...rest);
};
require.cache['fake:vscode'] = { id: 'fake:vscode', filename: 'fake:vscode', loaded: true, exports: fakeVscode };
require.cache['fake:languageclient'] = {
  id: 'fake:languageclient', filename: 'fake:languageclient', loaded: true, exports: fakeLanguageClient,
};

const ext = require(path.join(ROOT, 'client', 'extension.js'));
const { serverOptionsFrom } = require(path.join(ROOT, 'client', 'server_options.js'));
const manifest = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
const context = () => ({ subscriptions: [] });
const lastClient = () => [...events].reverse().find((e) => e[0] === 'create')[1];

async function main() {
  await test('manifest contributions exist and agree', () => {
    const [lang] = manifest.contributes.languages;
    assert.strictEqual(lang.id, 'flow');
    assert.deepStrictEqual(lang.extensions, ['.flow']);
    assert.ok(fs.existsSync(path.join(ROOT, lang.configuration)));
    const [grammar] = manifest.contributes.grammars;
    const tm = JSON.parse(fs.readFileSync(path.join(ROOT, grammar.path), 'utf8'));
    assert.strictEqual(tm.scopeName, grammar.scopeName);
    assert.ok(JSON.stringify(tm).includes('meta.embedded.block.shellscript'),
      'the grammar must produce the embedded scope the manifest maps to shellscript');
    assert.strictEqual(grammar.embeddedLanguages['meta.embedded.block.shellscript'], 'shellscript');
    assert.ok(fs.existsSync(path.join(ROOT, manifest.main)));
    for (const s of manifest.contributes.snippets) assert.ok(fs.existsSync(path.join(ROOT, s.path)));
    assert.ok(manifest.contributes.commands.some((c) => c.command === 'flow.restartServer'));
  });

  await test('language configuration: comments, brackets, triple quotes, indentation', () => {
    const conf = JSON.parse(fs.readFileSync(path.join(ROOT, 'language-configuration.json'), 'utf8'));
    assert.strictEqual(conf.comments.lineComment, '#');
    assert.ok(conf.autoClosingPairs.some((p) => p.open === '"""' && p.close === '"""'));
    const inc = new RegExp(conf.indentationRules.increaseIndentPattern);
    const dec = new RegExp(conf.indentationRules.decreaseIndentPattern);
    assert.ok(inc.test('task t(x: Int) -> File {'));
    assert.ok(inc.test('  script = """'));
    assert.ok(inc.test('workflow main(  # args'));
    assert.ok(!inc.test('# a comment {'));
    assert.ok(!inc.test('  let x = f(y)'));
    assert.ok(dec.test('  }'));
    assert.ok(dec.test('  """'));
    assert.ok(!dec.test('  let y = 1'));
  });

  await test('snippets have the required prefixes and valid tab stops', () => {
    const snippets = JSON.parse(fs.readFileSync(path.join(ROOT, 'snippets', 'flow.json'), 'utf8'));
    const prefixes = Object.values(snippets).map((s) => s.prefix);
    for (const p of ['task', 'workflow', 'for', 'if', 'struct', 'import']) assert.ok(prefixes.includes(p), p);
    for (const [name, s] of Object.entries(snippets)) {
      const body = s.body.join('\n');
      // Every `${` opens a placeholder that closes before the body ends.
      let depth = 0;
      for (let i = 0; i < body.length; i++) {
        if (body[i] === '\\') { i++; continue; }
        if (body[i] === '$' && body[i + 1] === '{') { depth++; i++; } else if (body[i] === '}' && depth > 0) depth--;
      }
      assert.strictEqual(depth, 0, `unbalanced placeholder in snippet ${name}`);
      assert.ok(typeof s.description === 'string' && s.description.length > 0, name);
    }
  });

  await test('server options run `flowc lsp` over stdio', () => {
    const o = serverOptionsFrom('  /opt/flow/bin/flowc ', ['--log', 'x', 3], 0);
    assert.deepStrictEqual(o.run, { command: '/opt/flow/bin/flowc', args: ['lsp', '--log', 'x'], transport: 0 });
    assert.deepStrictEqual(o.debug, o.run);
    assert.strictEqual(serverOptionsFrom('', undefined, 0).run.command, 'flowc');
  });

  await test('activate starts the client for flow documents', async () => {
    events.length = 0;
    await ext.activate(context());
    const client = lastClient();
    assert.ok(client.running);
    assert.strictEqual(client.serverOptions.run.command, 'flowc');
    assert.deepStrictEqual(client.serverOptions.run.args, ['lsp']);
    assert.ok(client.clientOptions.documentSelector.every((d) => d.language === 'flow'));
    assert.strictEqual(client.clientOptions.synchronize.fileEvents.glob, '**/*.flow');
  });

  await test('restart command and settings changes restart the server', async () => {
    events.length = 0;
    settings.set('flow.server.path', '/usr/local/bin/flowc');
    await commands.get('flow.restartServer')();
    assert.deepStrictEqual(events.map((e) => e[0]), ['stop', 'create', 'start']);
    assert.strictEqual(lastClient().serverOptions.run.command, '/usr/local/bin/flowc');
    events.length = 0;
    await configListener({ affectsConfiguration: (s) => s === 'flow.server' });
    assert.deepStrictEqual(events.map((e) => e[0]), ['stop', 'create', 'start']);
    events.length = 0;
    await configListener({ affectsConfiguration: () => false });
    assert.deepStrictEqual(events, []);
  });

  await test('a server that cannot start gives a warning, not a failure', async () => {
    events.length = 0;
    failStart = true;
    await commands.get('flow.restartServer')();
    failStart = false;
    const warn = events.find((e) => e[0] === 'warn');
    assert.ok(warn && warn[1].includes('/usr/local/bin/flowc lsp'), JSON.stringify(events));
    await ext.deactivate();  // nothing running: must not throw
  });

  await test('disabled server is not started; deactivate stops a running one', async () => {
    settings.set('flow.server.enabled', false);
    events.length = 0;
    await commands.get('flow.restartServer')();
    assert.deepStrictEqual(events, []);
    settings.set('flow.server.enabled', true);
    await commands.get('flow.restartServer')();
    events.length = 0;
    await ext.deactivate();
    assert.deepStrictEqual(events.map((e) => e[0]), ['stop']);
  });

  console.log(`${passed} extension tests passed`);
}

main();
