// Grammar tests with the tokenizer VS Code itself uses (vscode-textmate over the
// Oniguruma WASM build). Usage: node grammar_test.js CORPUS_DIR [EXAMPLES_DIR]
//
// Corpus files are `.flow` sources with assertion lines under the line they test
// (the syntax of vscode-tmgrammar-test):
//   #   ^^^^ scope.a scope.b - scope.c
// every column under a caret must carry `scope.a` and `scope.b` and must not carry
// `scope.c`; `# <- scope` tests column 0. Assertion lines are removed before
// tokenizing, so they may sit inside triple-quoted scripts. A file may end with
// `# END-STATE: root` to assert that every string and block was closed.
//
// With EXAMPLES_DIR, every `.flow` file under it must tokenize without
// `invalid.*` scopes and end with the tokenizer back at the root state.
'use strict';

const fs = require('fs');
const path = require('path');
let vsctm;
let oniguruma;
try {
  vsctm = require('vscode-textmate');
  oniguruma = require('vscode-oniguruma');
  require.resolve('tm-grammars/grammars/shellscript.json');
} catch (err) {
  console.error(`${err.message}\neditors/vscode/node_modules is missing or incomplete: ` +
    'run `npm ci --prefix editors/vscode --omit=optional` (scripts/setup.sh does)');
  process.exit(1);
}

const ROOT = path.resolve(__dirname, '..');
const GRAMMARS = {
  'source.flow': path.join(ROOT, 'syntaxes', 'flow.tmLanguage.json'),
  'source.shell': require.resolve('tm-grammars/grammars/shellscript.json'),
};

async function loadRegistry() {
  const wasm = fs.readFileSync(require.resolve('vscode-oniguruma/release/onig.wasm'));
  await oniguruma.loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength));
  return new vsctm.Registry({
    onigLib: Promise.resolve({
      createOnigScanner: (patterns) => new oniguruma.OnigScanner(patterns),
      createOnigString: (s) => new oniguruma.OnigString(s),
    }),
    loadGrammar: async (scopeName) => {
      const file = GRAMMARS[scopeName];
      if (!file) return null;
      return vsctm.parseRawGrammar(fs.readFileSync(file, 'utf8'), file);
    },
  });
}

const ASSERT_RE = /^\s*#(\s*)(\^+|<-+)\s+(.*)$/;

/** Splits a corpus file into source lines and the assertions attached to them. */
function parseCorpus(text) {
  const lines = text.split('\n');
  const source = [];   // { text, lineNo }
  const asserts = [];  // { sourceIndex, from, to, want, not, lineNo }
  let endState = null;
  lines.forEach((line, i) => {
    const end = /^# END-STATE: (\w+)\s*$/.exec(line);
    if (end) { endState = end[1]; return; }
    const m = ASSERT_RE.exec(line);
    if (!m || source.length === 0) { source.push({ text: line, lineNo: i + 1 }); return; }
    const marker = m[2];
    const from = marker.startsWith('<') ? 0 : line.indexOf('^');
    const to = marker.startsWith('<') ? marker.length - 1 : from + marker.length;
    const spec = ` ${m[3]}`;
    const cut = spec.search(/\s-\s/);
    const wantPart = cut < 0 ? spec : spec.slice(0, cut);
    const notPart = cut < 0 ? '' : spec.slice(cut + 3);
    asserts.push({
      sourceIndex: source.length - 1, from, to: Math.max(to, from + 1),
      want: wantPart.trim().split(/\s+/).filter(Boolean),
      not: notPart ? notPart.trim().split(/\s+/).filter(Boolean) : [],
      lineNo: i + 1,
    });
  });
  return { source, asserts, endState };
}

/** Tokenizes lines one by one; returns per-line tokens and the final rule stack. */
function tokenize(grammar, lines) {
  let state = vsctm.INITIAL;
  const tokens = [];
  for (const line of lines) {
    const r = grammar.tokenizeLine(line, state);
    tokens.push(r.tokens);
    state = r.ruleStack;
  }
  return { tokens, state };
}

function scopesAt(lineTokens, col) {
  for (const t of lineTokens) if (col >= t.startIndex && col < t.endIndex) return t.scopes;
  return lineTokens.length ? lineTokens[lineTokens.length - 1].scopes : [];
}

function checkCorpusFile(grammar, file) {
  const { source, asserts, endState } = parseCorpus(fs.readFileSync(file, 'utf8'));
  const { tokens, state } = tokenize(grammar, source.map((s) => s.text));
  const failures = [];
  for (const a of asserts) {
    for (let col = a.from; col < a.to; col++) {
      const scopes = scopesAt(tokens[a.sourceIndex], col);
      const missing = a.want.filter((s) => !scopes.includes(s));
      const present = a.not.filter((s) => scopes.includes(s));
      if (missing.length || present.length) {
        const src = source[a.sourceIndex];
        failures.push(`${path.basename(file)}:${a.lineNo}: line ${src.lineNo} col ${col + 1} ` +
          `(${JSON.stringify(src.text.slice(col, col + 12))}): ` +
          (missing.length ? `missing ${missing.join(' ')}; ` : '') +
          (present.length ? `unexpected ${present.join(' ')}; ` : '') +
          `has ${scopes.join(' ')}`);
        break;
      }
    }
  }
  if (endState === 'root' && state.depth !== 1) {
    failures.push(`${path.basename(file)}: tokenizer did not return to the root state ` +
      `(depth ${state.depth}): a string or block was left open`);
  }
  return { count: asserts.length, failures };
}

function checkExample(grammar, file) {
  const lines = fs.readFileSync(file, 'utf8').split('\n');
  const { tokens, state } = tokenize(grammar, lines);
  const failures = [];
  tokens.forEach((lineTokens, i) => {
    for (const t of lineTokens) {
      if (t.scopes.some((s) => s.startsWith('invalid.'))) {
        failures.push(`${file}:${i + 1}:${t.startIndex + 1}: invalid token ` +
          JSON.stringify(lines[i].slice(t.startIndex, t.endIndex)));
      }
    }
  });
  if (state.depth !== 1) failures.push(`${file}: ends inside an open rule (depth ${state.depth})`);
  return failures;
}

function flowFiles(dir) {
  const out = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...flowFiles(p));
    else if (entry.name.endsWith('.flow')) out.push(p);
  }
  return out.sort();
}

async function main() {
  const [corpusDir, examplesDir] = process.argv.slice(2);
  if (!corpusDir) {
    console.error('usage: node grammar_test.js CORPUS_DIR [EXAMPLES_DIR]');
    process.exit(2);
  }
  const registry = await loadRegistry();
  const grammar = await registry.loadGrammar('source.flow');
  let assertions = 0;
  const failures = [];
  const corpus = flowFiles(corpusDir);
  for (const file of corpus) {
    const r = checkCorpusFile(grammar, file);
    assertions += r.count;
    failures.push(...r.failures);
  }
  let examples = [];
  if (examplesDir) {
    examples = flowFiles(examplesDir);
    for (const file of examples) failures.push(...checkExample(grammar, file));
  }
  for (const f of failures) console.error(`FAIL ${f}`);
  console.log(`${corpus.length} corpus files, ${assertions} scope assertions, ` +
    `${examples.length} example files: ${failures.length} failure(s)`);
  if (assertions === 0 && corpus.length > 0) {
    console.error('no assertions found: the corpus format is broken');
    process.exit(1);
  }
  process.exit(failures.length ? 1 : 0);
}

main().catch((err) => { console.error(err); process.exit(1); });
