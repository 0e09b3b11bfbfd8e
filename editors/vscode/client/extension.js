// VS Code client for the Flow language server: starts `flowc lsp` over stdio and
// wires it to `.flow` documents. Highlighting, snippets and brackets work without
// it; the server adds diagnostics, hover, definitions, completion and formatting.
'use strict';

const vscode = require('vscode');
const { LanguageClient, TransportKind } = require('vscode-languageclient/node');
const { serverOptionsFrom } = require('./server_options');

/** @type {LanguageClient | undefined} */
let client;

/** Builds a client from the current `flow.*` settings (does not start it). */
function createClient(context) {
  const config = vscode.workspace.getConfiguration('flow');
  const output = vscode.window.createOutputChannel('Flow');
  context.subscriptions.push(output);
  const serverOptions = serverOptionsFrom(
    config.get('server.path', 'flowc'), config.get('server.args', []), TransportKind.stdio);
  /** @type {import('vscode-languageclient/node').LanguageClientOptions} */
  const clientOptions = {
    documentSelector: [
      { scheme: 'file', language: 'flow' },
      { scheme: 'untitled', language: 'flow' },
    ],
    synchronize: {
      // Imported modules change diagnostics of their importers.
      fileEvents: vscode.workspace.createFileSystemWatcher('**/*.flow'),
    },
    outputChannel: output,
    traceOutputChannel: output,
  };
  return new LanguageClient('flow', 'Flow Language Server', serverOptions, clientOptions);
}

async function startClient(context) {
  if (!vscode.workspace.getConfiguration('flow').get('server.enabled', true)) return;
  client = createClient(context);
  try {
    await client.start();
  } catch (err) {
    const path = vscode.workspace.getConfiguration('flow').get('server.path', 'flowc');
    vscode.window.showWarningMessage(
      `Flow: could not start \`${path} lsp\` (${err && err.message ? err.message : err}); ` +
      'set "flow.server.path" to a flowc executable. Highlighting and snippets still work.');
    client = undefined;
  }
}

async function stopClient() {
  if (!client) return;
  const running = client;
  client = undefined;
  await running.stop();
}

/** Extension entry point: starts the server and restarts it when its settings change. */
async function activate(context) {
  context.subscriptions.push(vscode.commands.registerCommand('flow.restartServer', async () => {
    await stopClient();
    await startClient(context);
  }));
  context.subscriptions.push(vscode.workspace.onDidChangeConfiguration(async (event) => {
    if (event.affectsConfiguration('flow.server')) {
      await stopClient();
      await startClient(context);
    }
  }));
  await startClient(context);
}

/** Extension exit point: shuts the server down cleanly. */
function deactivate() {
  return stopClient();
}

module.exports = { activate, deactivate };
