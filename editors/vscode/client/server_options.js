// How the language server process is launched; kept apart from extension.js so it
// can be tested without VS Code.
'use strict';

/**
 * Returns vscode-languageclient ServerOptions that run `PATH lsp ARGS...` speaking
 * LSP over stdin/stdout. `transport` is TransportKind.stdio (passed in so this file
 * does not load the `vscode` module).
 * @param {string} path flowc executable (a bare name is looked up on PATH)
 * @param {string[]} args extra arguments after `lsp`
 * @param {number} transport
 */
function serverOptionsFrom(path, args, transport) {
  const command = (typeof path === 'string' && path.trim() !== '') ? path.trim() : 'flowc';
  const extra = Array.isArray(args) ? args.filter((a) => typeof a === 'string') : [];
  const executable = { command, args: ['lsp', ...extra], transport };
  return { run: executable, debug: executable };
}

module.exports = { serverOptionsFrom };
