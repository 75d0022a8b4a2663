#!/usr/bin/env node
// extract-web-forms-xpath.mjs
//
// Purpose: extract the document-independent XPath expression test cases of
// getodk/web-forms (https://github.com/getodk/web-forms), package
// packages/xpath/test/{native,xforms}/*.test.ts, into
// crates/verval-core/tests/web-forms-xpath/cases.jsonl, one JSON object per
// line:
//
//   {"file": "xforms/concat.test.ts", "line": 23, "kind": "string",
//    "expr": "concat(\"port\", \"manteau\")", "expected": "portmanteau"}
//
// The copied test cases are taken from getodk/web-forms, which is licensed
// under the Apache License 2.0; see
// crates/verval-core/tests/web-forms-xpath/LICENSE and README.md there.
//
// Usage (Node 20+, no npm dependencies):
//
//   node scripts/extract-web-forms-xpath.mjs [/path/to/web-forms] [--rev=<commit>] [--verbose]
//
// The argument is a git repository (a bare mirror or a normal clone) of
// web-forms; files are read with `git show` from its HEAD commit, or from
// --rev=<commit> (the data in the repository was made from 121c75b5, release
// 0.24.0). Default repository: /work/.mirror/getodk+web-forms/repo.
//
// How it works: the TypeScript sources are tokenized by a small JS/TS
// tokenizer (strings, template literals, regex literals, comments, numbers,
// punctuators) and grouped into a tree of (), [] and {} groups. Every call
// `<ctx>.assertStringValue|assertNumberValue|assertBooleanValue(expr, expected)`
// is then located and accepted only if, conservatively:
//   * it has exactly two arguments, each either a literal (string without
//     ${} interpolation, number incl. NaN/Infinity/Number.* forms, boolean), an
//     identifier bound by a `[...literal array...].forEach(...)` /
//     `it.each([...])` callback parameter to a literal element (or property of
//     a literal object element, or item of a literal tuple element), or an
//     identifier declared as `const NAME = <literal>;` earlier in an enclosing
//     callback body; identifiers reassigned before the call are rejected;
//   * it sits at statement level in an `it`/`test` callback (directly, or
//     inside forEach callbacks), which sits in `describe` callbacks or forEach
//     callbacks, up to the top level of the file -- no if/try/loop blocks
//     around it (exception: preceding `if (x != null) { ...; return; }` guards
//     and `switch (typeof x) { case '...': ... }` whose outcome is decided by
//     the literal bindings);
//   * none of the enclosing it/describe calls is .skip/.todo/.fails/.skipIf/...;
//   * the test context in effect is created by `createTestContext()` or
//     `createXFormsTestContext()` WITHOUT arguments, either in the test body or
//     in the innermost describe-level beforeEach that assigns it, and the test
//     context is not otherwise modified (only assert*/evaluate*/document use);
//   * the XPath expression contains no location path, variable, predicate,
//     union or namespace-prefixed name, no context-dependent zero-argument
//     call (string(), number(), string-length(), normalize-space()), and none
//     of the functions in SKIP_FUNCTIONS below.
// Only the three exact-value helpers are used: assertNumberRounded,
// assertStringLength and assertStringMatches do not compare the evaluated
// value itself. Anything the script does not understand is skipped; run with
// --verbose to list every skipped call site and the reason.

import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const DEFAULT_REPO = '/work/.mirror/getodk+web-forms/repo';
const TEST_DIRS = ['packages/xpath/test/native', 'packages/xpath/test/xforms'];
const SCRIPT_DIR = dirname(fileURLToPath(import.meta.url));
const OUT_FILE = resolve(SCRIPT_DIR, '../crates/verval-core/tests/web-forms-xpath/cases.jsonl');

const ASSERT_KINDS = {
	assertStringValue: 'string',
	assertNumberValue: 'number',
	assertBooleanValue: 'boolean',
};
// Members of a test context that neither replace nor modify it.
const READONLY_CONTEXT_MEMBERS = new Set([
	'assertBooleanValue',
	'assertNumberValue',
	'assertStringValue',
	'assertNodeSet',
	'assertUnorderedNodeSet',
	'assertNumberRounded',
	'assertStringLength',
	'assertStringMatches',
	'evaluate',
	'evaluateNodeSet',
	'evaluateUnorderedNodeSet',
	'document',
]);
const DEFAULT_CONTEXT_FACTORIES = new Set(['createTestContext', 'createXFormsTestContext']);
const TEST_FNS = new Set(['it', 'test']);
const SUITE_FNS = new Set(['describe', 'suite']);
const HOOK_FNS = new Set(['beforeEach', 'afterEach', 'beforeAll', 'afterAll']);
const HARMLESS_MODIFIERS = new Set(['only', 'concurrent', 'sequential']);

// XPath functions whose result depends on a document, the context, the
// evaluation environment or randomness.
const SKIP_FUNCTIONS = new Set([
	'instance',
	'id',
	'current',
	'lang',
	'name',
	'local-name',
	'namespace-uri',
	'position',
	'last',
	'randomize',
	'random',
	'uuid',
	'once',
	'itext',
	'digest',
	'base64-decode',
	'indexed-repeat',
	'choice-name',
	'pulldata',
]);
// Functions that read the context node when called without arguments.
const CONTEXT_DEFAULT_ARG_FUNCTIONS = new Set([
	'string',
	'number',
	'string-length',
	'normalize-space',
]);
const NODE_TYPE_TESTS = new Set(['node', 'text', 'comment', 'processing-instruction']);

// ---------------------------------------------------------------------------
// JS/TS tokenizer

const PUNCTUATORS = [
	'>>>=', '...', '===', '!==', '**=', '<<=', '>>=', '>>>', '&&=', '||=', '??=',
	'=>', '==', '!=', '<=', '>=', '&&', '||', '??', '?.', '++', '--', '+=', '-=',
	'*=', '/=', '%=', '&=', '|=', '^=', '**', '<<', '>>',
	'{', '}', '(', ')', '[', ']', ';', ',', '<', '>', '+', '-', '*', '/', '%',
	'&', '|', '^', '!', '~', '?', ':', '=', '.', '@', '#',
];
const REGEX_PRECEDING_KEYWORDS = new Set([
	'return', 'typeof', 'instanceof', 'in', 'of', 'new', 'delete', 'void',
	'throw', 'case', 'do', 'else', 'yield', 'await',
]);

class TokenizeError extends Error {}

/**
 * Tokenizes `src` from `pos`. With `stopAtBrace`, stops (without consuming)
 * at the first unmatched `}` (end of a template substitution).
 * Returns { tokens, pos }.
 */
function lex(src, start = 0, stopAtBrace = false, lineAtStart = 1) {
	const tokens = [];
	let i = start;
	let line = lineAtStart;
	let braceDepth = 0;
	const n = src.length;

	const push = (tok) => {
		tokens.push(tok);
	};
	const lastSignificant = () => tokens[tokens.length - 1];

	while (i < n) {
		const c = src[i];

		if (c === '\n') {
			line++;
			i++;
			continue;
		}
		if (c === ' ' || c === '\t' || c === '\r' || c === '\f' || c === '\v' || c === '\uFEFF' || c === '\u00A0') {
			i++;
			continue;
		}
		if (c === '/' && src[i + 1] === '/') {
			while (i < n && src[i] !== '\n') i++;
			continue;
		}
		if (c === '/' && src[i + 1] === '*') {
			const end = src.indexOf('*/', i + 2);
			if (end < 0) throw new TokenizeError(`unterminated comment at line ${line}`);
			for (let k = i; k < end; k++) if (src[k] === '\n') line++;
			i = end + 2;
			continue;
		}
		const tokLine = line;
		if (c === "'" || c === '"') {
			const { value, end, lines } = readQuoted(src, i, c, line);
			push({ type: 'string', value, line: tokLine, pos: i });
			line += lines;
			i = end;
			continue;
		}
		if (c === '`') {
			let j = i + 1;
			let cooked = '';
			let hasSubst = false;
			for (;;) {
				if (j >= n) throw new TokenizeError(`unterminated template at line ${tokLine}`);
				const d = src[j];
				if (d === '`') {
					j++;
					break;
				}
				if (d === '\\') {
					const esc = readEscape(src, j);
					cooked += esc.value;
					line += esc.lines;
					j = esc.end;
					continue;
				}
				if (d === '$' && src[j + 1] === '{') {
					hasSubst = true;
					const inner = lex(src, j + 2, true, line);
					line = inner.line;
					j = inner.pos + 1; // skip the closing brace
					continue;
				}
				if (d === '\r') {
					// CRLF and CR are normalised to LF in template literals
					cooked += '\n';
					if (src[j + 1] === '\n') j++;
					line++;
					j++;
					continue;
				}
				if (d === '\n') line++;
				cooked += d;
				j++;
			}
			push({ type: 'template', value: hasSubst ? null : cooked, hasSubst, line: tokLine, pos: i });
			i = j;
			continue;
		}
		if (/[0-9]/.test(c) || (c === '.' && /[0-9]/.test(src[i + 1] ?? ''))) {
			const m = /^(?:0[xX][0-9a-fA-F_]+|0[bB][01_]+|0[oO][0-7_]+|(?:[0-9][0-9_]*\.?[0-9_]*|\.[0-9][0-9_]*)(?:[eE][+-]?[0-9_]+)?)n?/.exec(
				src.slice(i, i + 400)
			);
			const text = m[0];
			const isBigInt = text.endsWith('n');
			push({
				type: 'number',
				text,
				value: isBigInt ? null : Number(text.replace(/_/g, '')),
				line: tokLine,
				pos: i,
			});
			i += text.length;
			continue;
		}
		if (/[A-Za-z_$\u0080-\uFFFF]/.test(c)) {
			const m = /^[A-Za-z_$\u0080-\uFFFF][\w$\u0080-\uFFFF]*/.exec(src.slice(i, i + 400));
			push({ type: 'ident', value: m[0], line: tokLine, pos: i });
			i += m[0].length;
			continue;
		}
		if (c === '/') {
			const prev = lastSignificant();
			const isRegex =
				prev == null ||
				(prev.type === 'punct' && prev.value !== ')' && prev.value !== ']') ||
				(prev.type === 'ident' && REGEX_PRECEDING_KEYWORDS.has(prev.value));
			if (isRegex) {
				let j = i + 1;
				let inClass = false;
				for (;;) {
					if (j >= n || src[j] === '\n') throw new TokenizeError(`unterminated regex at line ${tokLine}`);
					const d = src[j];
					if (d === '\\') {
						j += 2;
						continue;
					}
					if (d === '[') inClass = true;
					else if (d === ']') inClass = false;
					else if (d === '/' && !inClass) break;
					j++;
				}
				j++;
				while (j < n && /[a-z]/i.test(src[j])) j++;
				push({ type: 'regex', value: src.slice(i, j), line: tokLine, pos: i });
				i = j;
				continue;
			}
		}
		const p = PUNCTUATORS.find((q) => src.startsWith(q, i));
		if (p == null) throw new TokenizeError(`unexpected character ${JSON.stringify(c)} at line ${line}`);
		if (stopAtBrace) {
			if (p === '{') braceDepth++;
			if (p === '}') {
				if (braceDepth === 0) return { tokens, pos: i, line };
				braceDepth--;
			}
		}
		push({ type: 'punct', value: p, line: tokLine, pos: i });
		i += p.length;
	}
	if (stopAtBrace) throw new TokenizeError('unterminated template substitution');
	return { tokens, pos: i, line };
}

function readEscape(src, i) {
	// src[i] === '\\'
	const d = src[i + 1];
	const simple = { n: '\n', r: '\r', t: '\t', b: '\b', f: '\f', v: '\v' };
	if (Object.hasOwn(simple, d)) return { value: simple[d], end: i + 2, lines: 0 };
	if (d === '0' && !/[0-9]/.test(src[i + 2] ?? '')) return { value: '\0', end: i + 2, lines: 0 };
	if (d === 'x') {
		const hex = src.slice(i + 2, i + 4);
		if (!/^[0-9a-fA-F]{2}$/.test(hex)) throw new TokenizeError('bad \\x escape');
		return { value: String.fromCharCode(parseInt(hex, 16)), end: i + 4, lines: 0 };
	}
	if (d === 'u') {
		if (src[i + 2] === '{') {
			const close = src.indexOf('}', i + 3);
			const hex = src.slice(i + 3, close);
			if (!/^[0-9a-fA-F]+$/.test(hex)) throw new TokenizeError('bad \\u{} escape');
			return { value: String.fromCodePoint(parseInt(hex, 16)), end: close + 1, lines: 0 };
		}
		const hex = src.slice(i + 2, i + 6);
		if (!/^[0-9a-fA-F]{4}$/.test(hex)) throw new TokenizeError('bad \\u escape');
		return { value: String.fromCharCode(parseInt(hex, 16)), end: i + 6, lines: 0 };
	}
	if (d === '\r') {
		return { value: '', end: src[i + 2] === '\n' ? i + 3 : i + 2, lines: 1 };
	}
	if (d === '\n' || d === '\u2028' || d === '\u2029') return { value: '', end: i + 2, lines: d === '\n' ? 1 : 0 };
	if (/[1-9]/.test(d)) throw new TokenizeError('octal escape not supported');
	return { value: d, end: i + 2, lines: 0 };
}

function readQuoted(src, i, quote, line) {
	let j = i + 1;
	let value = '';
	let lines = 0;
	for (;;) {
		if (j >= src.length) throw new TokenizeError(`unterminated string at line ${line}`);
		const d = src[j];
		if (d === quote) return { value, end: j + 1, lines };
		if (d === '\n') throw new TokenizeError(`newline in string at line ${line}`);
		if (d === '\\') {
			const esc = readEscape(src, j);
			value += esc.value;
			lines += esc.lines;
			j = esc.end;
			continue;
		}
		value += d;
		j++;
	}
}

// ---------------------------------------------------------------------------
// Group tree

const CLOSERS = { '(': ')', '[': ']', '{': '}' };

function buildTree(tokens) {
	const root = { type: 'group', open: null, children: [], parent: null, line: 1, pos: -1 };
	let cur = root;
	for (const tok of tokens) {
		if (tok.type === 'punct' && Object.hasOwn(CLOSERS, tok.value)) {
			const g = { type: 'group', open: tok.value, children: [], parent: cur, line: tok.line, pos: tok.pos };
			g.idx = cur.children.length;
			cur.children.push(g);
			cur = g;
			continue;
		}
		if (tok.type === 'punct' && (tok.value === ')' || tok.value === ']' || tok.value === '}')) {
			if (cur.open == null || CLOSERS[cur.open] !== tok.value) {
				throw new TokenizeError(`unbalanced ${tok.value} at line ${tok.line}`);
			}
			cur.endPos = tok.pos;
			cur = cur.parent;
			continue;
		}
		tok.parent = cur;
		tok.idx = cur.children.length;
		cur.children.push(tok);
	}
	if (cur !== root) throw new TokenizeError('unclosed group at end of file');
	return root;
}

const isPunct = (node, value) => node != null && node.type === 'punct' && node.value === value;
const isIdent = (node, value) =>
	node != null && node.type === 'ident' && (value === undefined || node.value === value);
const isGroup = (node, open) => node != null && node.type === 'group' && (open === undefined || node.open === open);

/** Splits a list of nodes on top-level commas. Drops one trailing empty segment. */
function splitCommas(nodes) {
	const segs = [[]];
	for (const node of nodes) {
		if (isPunct(node, ',')) segs.push([]);
		else segs[segs.length - 1].push(node);
	}
	if (segs.length > 0 && segs[segs.length - 1].length === 0) segs.pop();
	return segs;
}

/** Index of the comma segment containing child index k, plus its bounds. */
function segmentOf(group, k) {
	let segIndex = 0;
	let segStart = 0;
	for (let j = 0; j < k; j++) {
		if (isPunct(group.children[j], ',')) {
			segIndex++;
			segStart = j + 1;
		}
	}
	let segEnd = group.children.length - 1;
	for (let j = k; j < group.children.length; j++) {
		if (isPunct(group.children[j], ',')) {
			segEnd = j - 1;
			break;
		}
	}
	return { segIndex, segStart, segEnd };
}

function* walkNodes(node) {
	yield node;
	if (node.type === 'group') for (const child of node.children) yield* walkNodes(child);
}

/**
 * Parses the expression that ends just before children[end] (exclusive) of
 * `group` backwards: identifiers, member accesses, calls, array literals and
 * generic type arguments of calls. Returns { expr, start } or null.
 */
function parseBackwards(group, end) {
	const ch = group.children;
	let k = end - 1;
	if (k < 0) return null;
	let node = ch[k];
	// generic type arguments `f<T>(...)`: skip back to the matching `<`
	if (isPunct(node, '>')) {
		let depth = 0;
		let j = k;
		for (; j >= 0; j--) {
			if (isPunct(ch[j], '>')) depth++;
			else if (isPunct(ch[j], '<')) {
				depth--;
				if (depth === 0) break;
			} else if (isPunct(ch[j], '>>')) depth += 2;
		}
		if (j < 0) return null;
		const inner = parseBackwards(group, j);
		if (inner == null) return null;
		return { expr: { kind: 'generic', target: inner.expr }, start: inner.start };
	}
	if (isIdent(node)) {
		if (k >= 1 && (isPunct(ch[k - 1], '.') || isPunct(ch[k - 1], '?.'))) {
			const obj = parseBackwards(group, k - 1);
			if (obj == null) return null;
			return { expr: { kind: 'member', object: obj.expr, name: node.value }, start: obj.start };
		}
		return { expr: { kind: 'ident', name: node.value, node }, start: k };
	}
	if (isGroup(node, '(')) {
		const callee = parseBackwards(group, k);
		if (callee == null) {
			return { expr: { kind: 'paren', group: node }, start: k };
		}
		return { expr: { kind: 'call', callee: callee.expr, args: node }, start: callee.start };
	}
	if (isGroup(node, '[')) {
		const prev = ch[k - 1];
		const isIndex = prev != null && (isIdent(prev) || isGroup(prev, '(') || isGroup(prev, '['));
		if (isIndex && !(isIdent(prev) && REGEX_PRECEDING_KEYWORDS.has(prev.value))) return null;
		return { expr: { kind: 'array', group: node }, start: k };
	}
	return null;
}

/** Flattens ident.member.member into ['ident', 'member', 'member'] or null. */
function memberChain(expr) {
	if (expr == null) return null;
	if (expr.kind === 'generic') return memberChain(expr.target);
	if (expr.kind === 'ident') return [expr.name];
	if (expr.kind === 'member') {
		const base = memberChain(expr.object);
		return base == null ? null : [...base, expr.name];
	}
	return null;
}

// ---------------------------------------------------------------------------
// Literal values

const UNDEF = { kind: 'undefined' }; // property absent from an object element
const NONLIT = { kind: 'nonliteral' };

/** Evaluates a segment (list of nodes) as a JS literal. */
function evalLiteral(seg) {
	if (seg.length === 0) return NONLIT;
	const first = seg[0];
	const mk = (value, vtype, node) => ({ kind: 'literal', value, vtype, line: node.line, pos: node.pos });
	if (seg.length === 1) {
		if (first.type === 'string') return mk(first.value, 'string', first);
		if (first.type === 'template' && !first.hasSubst) return mk(first.value, 'string', first);
		if (first.type === 'number' && first.value != null) return mk(first.value, 'number', first);
		if (isIdent(first, 'true')) return mk(true, 'boolean', first);
		if (isIdent(first, 'false')) return mk(false, 'boolean', first);
		if (isIdent(first, 'NaN')) return mk(NaN, 'number', first);
		if (isIdent(first, 'Infinity')) return mk(Infinity, 'number', first);
		if (isIdent(first, 'undefined')) return UNDEF;
		if (isGroup(first, '{')) return evalObject(first);
		if (isGroup(first, '[')) return evalTuple(first);
		return NONLIT;
	}
	if (seg.length === 3 && isIdent(first, 'Number') && isPunct(seg[1], '.') && isIdent(seg[2])) {
		const constants = {
			NaN: NaN,
			POSITIVE_INFINITY: Infinity,
			NEGATIVE_INFINITY: -Infinity,
		};
		if (Object.hasOwn(constants, seg[2].value)) return mk(constants[seg[2].value], 'number', first);
		return NONLIT;
	}
	if (isPunct(first, '-') || isPunct(first, '+')) {
		const rest = evalLiteral(seg.slice(1));
		if (rest.kind === 'literal' && rest.vtype === 'number') {
			return mk(isPunct(first, '-') ? -rest.value : rest.value, 'number', first);
		}
		return NONLIT;
	}
	// `{...} as const`, `[...] satisfies T` etc.
	if ((isGroup(first, '{') || isGroup(first, '[')) && (isIdent(seg[1], 'as') || isIdent(seg[1], 'satisfies'))) {
		return evalLiteral([first]);
	}
	return NONLIT;
}

function evalObject(group) {
	const props = new Map();
	for (const seg of splitCommas(group.children)) {
		if (seg.length >= 3 && (isIdent(seg[0]) || seg[0].type === 'string') && isPunct(seg[1], ':')) {
			const key = seg[0].value;
			if (props.has(key)) props.set(key, NONLIT);
			else props.set(key, evalLiteral(seg.slice(2)));
		} else if (seg.length === 1 && isIdent(seg[0])) {
			props.set(seg[0].value, NONLIT); // shorthand property from a variable
		} else {
			return NONLIT; // spread, computed key, method ...
		}
	}
	return { kind: 'object', props, line: group.line, pos: group.pos };
}

function evalTuple(group) {
	const items = [];
	for (const seg of splitCommas(group.children)) {
		if (seg.length === 1 && isPunct(seg[0], '...')) return NONLIT;
		if (seg.length > 0 && isPunct(seg[0], '...')) return NONLIT;
		items.push(evalLiteral(seg));
	}
	return { kind: 'tuple', items, line: group.line, pos: group.pos };
}

// ---------------------------------------------------------------------------
// Parameter patterns

/**
 * Parses callback parameters (a `(` group or a single identifier) into a list
 * of patterns: { kind: 'ident', name } | { kind: 'object', entries: [{key, name}] }
 * | { kind: 'array', names: [name|null] } | { kind: 'unsupported' }.
 */
function parseParams(paramsNode) {
	if (isIdent(paramsNode)) return [{ kind: 'ident', name: paramsNode.value }];
	if (!isGroup(paramsNode, '(')) return null;
	return splitCommas(paramsNode.children).map(parseParam);
}

function parseParam(seg) {
	// drop a top-level type annotation `: Type`
	const colon = seg.findIndex((node) => isPunct(node, ':'));
	const core = colon >= 0 ? seg.slice(0, colon) : seg;
	if (core.length !== 1) return { kind: 'unsupported' };
	const node = core[0];
	if (isIdent(node)) return { kind: 'ident', name: node.value };
	if (isGroup(node, '{')) {
		const entries = [];
		for (const entry of splitCommas(node.children)) {
			if (entry.length === 1 && isIdent(entry[0])) {
				entries.push({ key: entry[0].value, name: entry[0].value });
			} else if (entry.length === 3 && isIdent(entry[0]) && isPunct(entry[1], ':') && isIdent(entry[2])) {
				entries.push({ key: entry[0].value, name: entry[2].value });
			} else {
				return { kind: 'unsupported' };
			}
		}
		return { kind: 'object', entries };
	}
	if (isGroup(node, '[')) {
		const names = [];
		// array patterns may contain holes: keep positions
		let current = [];
		const flush = () => {
			if (current.length === 0) names.push(null);
			else if (current.length === 1 && isIdent(current[0])) names.push(current[0].value);
			else names.push(undefined);
			current = [];
		};
		for (const child of node.children) {
			if (isPunct(child, ',')) flush();
			else current.push(child);
		}
		if (current.length > 0) flush();
		if (names.includes(undefined)) return { kind: 'unsupported' };
		return { kind: 'array', names };
	}
	return { kind: 'unsupported' };
}

/** Binds a value to a pattern, returning a Map name -> value. */
function bindPattern(pattern, value, bindings) {
	switch (pattern.kind) {
		case 'ident':
			bindings.set(pattern.name, value);
			return;
		case 'object':
			for (const { key, name } of pattern.entries) {
				if (value.kind === 'object') bindings.set(name, value.props.has(key) ? value.props.get(key) : UNDEF);
				else bindings.set(name, NONLIT);
			}
			return;
		case 'array':
			pattern.names.forEach((name, i) => {
				if (name == null) return;
				if (value.kind === 'tuple') bindings.set(name, i < value.items.length ? value.items[i] : UNDEF);
				else bindings.set(name, NONLIT);
			});
			return;
		default:
			return;
	}
}

function patternNames(pattern) {
	switch (pattern.kind) {
		case 'ident':
			return [pattern.name];
		case 'object':
			return pattern.entries.map((e) => e.name);
		case 'array':
			return pattern.names.filter((x) => x != null);
		default:
			return [];
	}
}

// ---------------------------------------------------------------------------
// XPath document-independence check

function tokenizeXPath(expr) {
	const toks = [];
	let i = 0;
	while (i < expr.length) {
		const c = expr[i];
		if (/[\s]/.test(c)) {
			i++;
			continue;
		}
		if (c === '"' || c === "'") {
			const end = expr.indexOf(c, i + 1);
			if (end < 0) return null;
			toks.push({ t: 'string', v: expr.slice(i, end + 1), at: i });
			i = end + 1;
			continue;
		}
		let m = /^(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)/.exec(expr.slice(i));
		if (m) {
			toks.push({ t: 'number', v: m[0], at: i });
			i += m[0].length;
			continue;
		}
		m = /^[A-Za-z_][A-Za-z0-9_.\-]*(?::(?:[A-Za-z_][A-Za-z0-9_.\-]*|\*))?/.exec(expr.slice(i));
		if (m) {
			toks.push({ t: 'name', v: m[0], at: i, end: i + m[0].length });
			i += m[0].length;
			continue;
		}
		const two = expr.slice(i, i + 2);
		if (['//', '::', '..', '!=', '<=', '>='].includes(two)) {
			toks.push({ t: 'op', v: two, at: i });
			i += 2;
			continue;
		}
		if ('()[],|+-=<>*/@.$'.includes(c)) {
			toks.push({ t: 'op', v: c, at: i });
			i++;
			continue;
		}
		return null; // unknown character: unsure
	}
	return toks;
}


/**
 * Returns { ok: true, functions: [...] } when the expression does not depend
 * on a document / context node, else { ok: false, reason }.
 */
function checkXPath(expr) {
	const toks = tokenizeXPath(expr);
	if (toks == null) return { ok: false, reason: 'xpath: unknown character' };
	const functions = [];
	// previous token, in the sense of the XPath 1.0 lexical disambiguation rule
	let prev = null;
	for (let k = 0; k < toks.length; k++) {
		const tok = toks[k];
		const operatorPosition =
			prev != null &&
			!(prev.t === 'op' && ['@', '::', '(', '[', ','].includes(prev.v)) &&
			!(prev.role === 'operator');
		if (tok.t === 'op') {
			if (['/', '//', '@', '::', '..', '.', '[', ']', '|', '$'].includes(tok.v)) {
				return { ok: false, reason: `xpath: '${tok.v}'` };
			}
			if (tok.v === '*') {
				if (!operatorPosition) return { ok: false, reason: "xpath: '*' name test" };
				tok.role = 'operator';
			} else if (['+', '-', '=', '!=', '<', '<=', '>', '>='].includes(tok.v)) {
				tok.role = 'operator';
			}
			prev = tok;
			continue;
		}
		if (tok.t === 'name') {
			if (operatorPosition) {
				// OperatorName; tolerate the lenient `1mod1` / `1or1` spelling
				const m = /^(and|or|mod|div)([0-9]+(?:\.[0-9]*)?)?$/.exec(tok.v);
				if (m == null) return { ok: false, reason: `xpath: name '${tok.v}' in operator position` };
				tok.role = 'operator';
				if (m[2] != null) {
					prev = { t: 'number', v: m[2] };
					continue;
				}
				prev = tok;
				continue;
			}
			const next = toks[k + 1];
			if (next == null || !(next.t === 'op' && next.v === '(')) {
				return { ok: false, reason: `xpath: name test '${tok.v}'` };
			}
			if (tok.v.includes(':')) return { ok: false, reason: `xpath: prefixed name '${tok.v}'` };
			if (NODE_TYPE_TESTS.has(tok.v)) return { ok: false, reason: `xpath: node test '${tok.v}()'` };
			if (SKIP_FUNCTIONS.has(tok.v)) return { ok: false, reason: `xpath: function ${tok.v}()` };
			const after = toks[k + 2];
			if (CONTEXT_DEFAULT_ARG_FUNCTIONS.has(tok.v) && after != null && after.t === 'op' && after.v === ')') {
				return { ok: false, reason: `xpath: context-dependent ${tok.v}()` };
			}
			functions.push(tok.v);
			tok.role = 'function';
			prev = tok;
			continue;
		}
		prev = tok;
	}
	return { ok: true, functions };
}

// ---------------------------------------------------------------------------
// Per-file analysis

class Skip extends Error {
	constructor(reason) {
		super(reason);
		this.reason = reason;
	}
}

function analyzeFile(file, src) {
	const { tokens } = lex(src);
	const root = buildTree(tokens);
	const cases = [];
	const skipped = [];
	const allCallSites = [];

	for (const node of walkNodes(root)) {
		if (node.type !== 'group') continue;
		const ch = node.children;
		for (let k = 0; k < ch.length; k++) {
			const tok = ch[k];
			if (!isIdent(tok) || !Object.hasOwn(ASSERT_KINDS, tok.value)) continue;
			if (!isPunct(ch[k - 1], '.') || !isIdent(ch[k - 2]) || !isGroup(ch[k + 1], '(')) continue;
			if (k >= 3 && (isPunct(ch[k - 3], '.') || isPunct(ch[k - 3], '?.'))) continue; // a.b.assertX: not ours
			allCallSites.push({ group: node, start: k - 2, argsIdx: k + 1, receiver: ch[k - 2].value, method: tok.value });
		}
	}

	for (const site of allCallSites) {
		try {
			const produced = analyzeCallSite(root, site);
			for (const c of produced) {
				if (c.skip) skipped.push({ line: c.line, reason: c.skip });
				else cases.push({ file, ...c });
			}
		} catch (error) {
			if (error instanceof Skip) skipped.push({ line: site.group.children[site.start].line, reason: error.reason });
			else throw error;
		}
	}
	cases.sort((a, b) => a.line - b.line || a.order - b.order);
	return { cases, skipped, callSites: allCallSites.length };
}

/**
 * Walks outwards from a call occupying group.children[start..end] and returns
 * the list of function frames around it, innermost first.
 */
function collectFrames(root, group, start, end) {
	const frames = [];
	let g = group;
	let s = start;
	let e = end;
	let guards = []; // per frame: statement positions for reachability checks
	for (;;) {
		if (g === root) {
			checkStatement(g, s, e);
			break;
		}
		let fnInfo;
		if (g.open === '{') {
			let switchCase = null;
			if (isSwitchBody(g)) {
				switchCase = checkSwitchCase(g, s, e);
				// continue from the switch statement in the enclosing block
				const body = g;
				guards.push({ switchCase });
				g = body.parent;
				s = body.idx - 2;
				e = body.idx;
				if (g.open !== '{') throw new Skip('switch outside a block');
				checkStatement(g, s, e, { blockStatement: true });
				if (isSwitchBody(g)) throw new Skip('nested switch');
			} else {
				checkStatement(g, s, e);
			}
			const parent = g.parent;
			const gi = g.idx;
			if (!isPunct(parent.children[gi - 1], '=>')) throw new Skip('inside a non-function block (if/try/loop/object)');
			let paramsIdx = gi - 2;
			const paramsNode = parent.children[paramsIdx];
			if (!(isGroup(paramsNode, '(') || isIdent(paramsNode))) throw new Skip('unrecognised arrow function');
			if (isIdent(parent.children[paramsIdx - 1], 'async')) paramsIdx--;
			fnInfo = { paramsNode, body: g, bodyIsBlock: true, stmtIdx: s, fnStart: paramsIdx, fnEnd: gi, container: parent, stmtGuards: guards };
		} else if (g.open === '(') {
			// arrow function with an expression body: `(params) => call(...)`
			const { segStart, segEnd } = segmentOf(g, s);
			if (segEnd !== e) throw new Skip('call nested in an expression');
			let j = s - 1;
			if (!isPunct(g.children[j], '=>')) throw new Skip('call nested in an expression');
			let paramsIdx = j - 1;
			const paramsNode = g.children[paramsIdx];
			if (!(isGroup(paramsNode, '(') || isIdent(paramsNode))) throw new Skip('unrecognised arrow function');
			if (isIdent(g.children[paramsIdx - 1], 'async')) paramsIdx--;
			if (paramsIdx !== segStart) throw new Skip('call nested in an expression');
			fnInfo = { paramsNode, body: null, bodyIsBlock: false, fnStart: paramsIdx, fnEnd: e, container: g, stmtGuards: guards };
		} else {
			throw new Skip('call inside an array literal');
		}
		guards = [];

		// The function must be a complete argument of a call.
		const container = fnInfo.container;
		if (container.open !== '(') throw new Skip('function not passed to a call');
		const { segIndex, segStart, segEnd } = segmentOf(container, fnInfo.fnStart);
		if (segStart !== fnInfo.fnStart || segEnd !== fnInfo.fnEnd) throw new Skip('function not a plain call argument');
		const outer = container.parent;
		if (outer == null) throw new Skip('function not passed to a call');
		const callee = parseBackwards(outer, container.idx);
		if (callee == null) throw new Skip('unrecognised callee');
		const frame = classifyFrame(callee.expr, segIndex, fnInfo);
		frames.push(frame);
		g = outer;
		s = callee.start;
		e = container.idx;
	}
	return frames;
}

function isSwitchBody(g) {
	const parent = g.parent;
	return (
		parent != null &&
		isGroup(parent.children[g.idx - 1], '(') &&
		isIdent(parent.children[g.idx - 2], 'switch')
	);
}

/**
 * A call directly inside a switch body must directly follow `case <literal>:`,
 * and that clause must not be reachable by fall-through. Returns the
 * discriminant and the case value.
 */
function checkSwitchCase(body, s, e) {
	const ch = body.children;
	const parent = body.parent;
	const disc = parent.children[body.idx - 1].children;
	if (!(disc.length === 2 && isIdent(disc[0], 'typeof') && isIdent(disc[1]))) throw new Skip('switch on an unsupported discriminant');
	// call must be `case LIT : call(...) ;` or after other statements? only directly.
	if (!(isPunct(ch[s - 1], ':') && ch[s - 2] != null && ch[s - 2].type === 'string' && isIdent(ch[s - 3], 'case'))) {
		throw new Skip('call not directly after a case label');
	}
	// the previous clause must end with break/return or be the start of the body
	const before = ch[s - 4];
	if (before != null) {
		if (!(isPunct(before, ';') && (isIdent(ch[s - 5], 'break') || isIdent(ch[s - 5], 'return')))) {
			throw new Skip('case clause reachable by fall-through');
		}
	}
	if (!isPunct(ch[e + 1], ';')) throw new Skip('unexpected tokens after call');
	return { variable: disc[1].value, typeName: ch[s - 2].value };
}

/**
 * Checks that children[s..e] of a block is a complete expression statement:
 * preceded by the start of the block, `;`, or the end of a block statement,
 * and followed by `;` or the end of the block.
 */
function checkStatement(g, s, e, { blockStatement = false } = {}) {
	const ch = g.children;
	let j = s - 1;
	const prefix = [];
	while (j >= 0 && !isPunct(ch[j], ';') && !isGroup(ch[j], '{')) {
		prefix.unshift(ch[j]);
		j--;
	}
	if (!(prefix.length === 0 || (prefix.length === 1 && (isIdent(prefix[0], 'await') || isIdent(prefix[0], 'return'))))) {
		throw new Skip('call is not a plain statement');
	}
	if (isGroup(ch[j], '{')) {
		// a block statement before us: make sure it is not an `if (...) {` whose
		// body we might actually be in (we are not: we are after it), nor an
		// object literal continued by us. Accept only function/control blocks.
		const before = ch[j - 1];
		const declaration = [ch[j - 2], ch[j - 3], ch[j - 4]].some(
			(node) => isIdent(node, 'interface') || isIdent(node, 'class') || isIdent(node, 'enum')
		);
		if (!(declaration || isGroup(before, '(') || isPunct(before, '=>') || isIdent(before, 'else') || isIdent(before, 'try') || isIdent(before, 'finally'))) {
			throw new Skip('call is not a plain statement');
		}
	}
	if (blockStatement) return;
	const next = ch[e + 1];
	if (!(next == null || isPunct(next, ';'))) throw new Skip('unexpected tokens after call');
}

function classifyFrame(calleeExpr, argIndex, fnInfo) {
	const params = parseParams(fnInfo.paramsNode);
	if (params == null) throw new Skip('unrecognised parameters');
	const base = { ...fnInfo, params };

	if (calleeExpr.kind === 'call') {
		// it.each(table)(name, fn) / describe.each(table)(name, fn)
		const chain = memberChain(calleeExpr.callee);
		if (chain == null || chain[chain.length - 1] !== 'each') throw new Skip('unrecognised callee');
		const mods = chain.slice(1, -1);
		checkModifiers(chain[0], mods);
		if (argIndex !== 1) throw new Skip('unexpected argument position');
		const type = TEST_FNS.has(chain[0]) ? 'test' : SUITE_FNS.has(chain[0]) ? 'suite' : null;
		if (type == null) throw new Skip('unrecognised each callee');
		const tableArgs = splitCommas(calleeExpr.args.children);
		if (tableArgs.length !== 1) throw new Skip('unrecognised each table');
		return { ...base, type, each: { table: tableArgs[0], spreadTuples: true } };
	}
	const chain = memberChain(calleeExpr);
	if (chain != null) {
		const [head, ...mods] = chain;
		if (TEST_FNS.has(head) && mods.every((m) => !['forEach', 'map'].includes(m))) {
			checkModifiers(head, mods);
			if (argIndex !== 1) throw new Skip('unexpected argument position');
			return { ...base, type: 'test' };
		}
		if (SUITE_FNS.has(head)) {
			checkModifiers(head, mods);
			if (argIndex !== 1) throw new Skip('unexpected argument position');
			return { ...base, type: 'suite' };
		}
		if (HOOK_FNS.has(head) && mods.length === 0) throw new Skip('inside a hook');
	}
	if (calleeExpr.kind === 'member' && calleeExpr.name === 'forEach') {
		if (argIndex !== 0) throw new Skip('unexpected argument position');
		const obj = calleeExpr.object;
		if (obj.kind === 'array') return { ...base, type: 'loop', each: { table: [obj.group], spreadTuples: false } };
		if (obj.kind === 'ident') return { ...base, type: 'loop', each: { tableIdent: obj.name, tableNode: obj.node, spreadTuples: false } };
		throw new Skip('forEach over an unsupported collection');
	}
	throw new Skip(`inside an unsupported call (${chain ? chain.join('.') : calleeExpr.kind})`);
}

function checkModifiers(head, mods) {
	for (const m of mods) {
		if (m === 'each') continue;
		if (!HARMLESS_MODIFIERS.has(m)) throw new Skip(`inside ${head}.${mods.join('.')}`);
	}
}

// ---------------------------------------------------------------------------

function analyzeCallSite(root, site) {
	const { group, start, argsIdx, receiver, method } = site;
	const kind = ASSERT_KINDS[method];
	const callTok = group.children[start];
	const argsGroup = group.children[argsIdx];
	const args = splitCommas(argsGroup.children);
	if (args.length !== 2) throw new Skip(args.length > 2 ? 'third argument (options)' : 'unexpected argument count');

	const frames = collectFrames(root, group, start, argsIdx);
	const testFrames = frames.filter((f) => f.type === 'test');
	if (testFrames.length !== 1) throw new Skip(testFrames.length === 0 ? 'not inside a test' : 'nested tests');
	const testIdx = frames.findIndex((f) => f.type === 'test');
	if (frames.slice(testIdx + 1).some((f) => f.type === 'test')) throw new Skip('nested tests');
	const callPos = callTok.pos;

	// ---- test context in effect
	checkContext(root, frames, testIdx, receiver, callPos);

	// ---- enumerate bindings (cartesian product over loop/each frames)
	const enumerations = enumerateBindings(root, frames);
	const results = [];
	let order = 0;
	for (const env of enumerations) {
		order++;
		try {
			if (!reachable(frames, env)) continue;
			const exprVal = resolveArg(args[0], frames, env, callPos, root);
			const expVal = resolveArg(args[1], frames, env, callPos, root);
			if (exprVal.kind !== 'literal' || expVal.kind !== 'literal') throw new Skip('argument is not a literal');
			if (exprVal.vtype !== 'string') throw new Skip('expression is not a string');
			if (expVal.vtype !== kind) throw new Skip(`expected value type ${expVal.vtype} does not match ${kind}`);
			const xp = checkXPath(exprVal.value);
			if (!xp.ok) throw new Skip(xp.reason);
			results.push({
				line: exprVal.line,
				order,
				kind,
				expr: exprVal.value,
				expected: expVal.value,
				functions: xp.functions,
			});
		} catch (error) {
			if (error instanceof Skip) results.push({ skip: error.reason, line: env.__line ?? callTok.line });
			else throw error;
		}
	}
	return results;
}

/** Finds uses of `name` (as a variable, not a property) in a subtree. */
function* identUses(node, name, { skipCalls } = {}) {
	if (node.type !== 'group') return;
	const ch = node.children;
	for (let k = 0; k < ch.length; k++) {
		const child = ch[k];
		if (child.type === 'group') {
			if (skipCalls && child.open === '(') {
				const callee = parseBackwards(node, k);
				const chain = callee && (callee.expr.kind === 'call' ? memberChain(callee.expr.callee) : memberChain(callee.expr));
				if (chain && (TEST_FNS.has(chain[0]) || SUITE_FNS.has(chain[0]))) continue;
			}
			yield* identUses(child, name, { skipCalls });
			continue;
		}
		if (!isIdent(child, name)) continue;
		if (isPunct(ch[k - 1], '.') || isPunct(ch[k - 1], '?.')) continue; // property access x.name
		if (node.open === '{' && isPunct(ch[k + 1], ':') && (k === 0 || isPunct(ch[k - 1], ','))) {
			// object literal key `name: ...` (or a type member / label): not a use
			continue;
		}
		yield { group: node, k, tok: child };
	}
}

/**
 * Classifies a use of the test-context variable:
 *   { type: 'default' }   assignment/declaration from createTestContext() etc.
 *   { type: 'other-assign' }
 *   { type: 'readonly' }  ctx.assert...(...) / ctx.evaluate(...) / ctx.document
 *   { type: 'declare' }   `let ctx: Type;`
 *   { type: 'other' }
 */
function classifyContextUse(use) {
	const { group, k } = use;
	const ch = group.children;
	const next = ch[k + 1];
	const prev = ch[k - 1];
	const isDecl = isIdent(prev, 'let') || isIdent(prev, 'const') || isIdent(prev, 'var');
	if (isPunct(next, '.') || isPunct(next, '?.')) {
		const member = ch[k + 2];
		if (isIdent(member) && READONLY_CONTEXT_MEMBERS.has(member.value)) return { type: 'readonly' };
		return { type: 'other' };
	}
	let j = k + 1;
	if (isDecl && isPunct(ch[j], ':')) {
		// skip a type annotation
		while (j < ch.length && !isPunct(ch[j], '=') && !isPunct(ch[j], ';')) j++;
		if (j >= ch.length || isPunct(ch[j], ';')) return { type: 'declare' };
	}
	if (isPunct(ch[j], '=')) {
		const rhs = [];
		for (let m = j + 1; m < ch.length && !isPunct(ch[m], ';') && !isPunct(ch[m], ','); m++) rhs.push(ch[m]);
		if (
			rhs.length === 2 &&
			isIdent(rhs[0]) &&
			DEFAULT_CONTEXT_FACTORIES.has(rhs[0].value) &&
			isGroup(rhs[1], '(') &&
			rhs[1].children.length === 0
		) {
			return { type: 'default', pos: use.tok.pos };
		}
		return { type: 'other-assign', pos: use.tok.pos };
	}
	if (isDecl && (next == null || isPunct(next, ';'))) return { type: 'declare' };
	return { type: 'other' };
}

/**
 * Determines that the test context in effect at the call is a default one,
 * or throws Skip.
 */
function checkContext(root, frames, testIdx, receiver, callPos) {
	const testFrame = frames[testIdx];
	// a test with an expression body is scanned through its call's argument list
	const testScope = testFrame.bodyIsBlock ? testFrame.body : testFrame.container;
	const testUses = [...identUses(testScope, receiver)].map(classifyContextUse);
	if (testUses.some((u) => u.type === 'other' || u.type === 'other-assign')) {
		throw new Skip('test body replaces or modifies the test context');
	}
	const testAssigns = testUses.filter((u) => u.type === 'default');
	if (testAssigns.length > 0) {
		if (testAssigns[0].pos < callPos) return; // default context created in the test itself
		throw new Skip('test context assigned after the call');
	}
	// Walk describe-level scopes outwards: frames beyond the test, then the file.
	const scopes = [...frames.slice(testIdx + 1).filter((f) => f.type === 'suite').map((f) => f.body), root];
	for (const scope of scopes) {
		if (scope == null) throw new Skip('unsupported suite body');
		const uses = [...identUses(scope, receiver, { skipCalls: true })];
		let assigns = 0;
		for (const use of uses) {
			const hook = enclosingHook(use.group, scope);
			const cls = classifyContextUse(use);
			if (cls.type === 'declare') continue;
			if (hook == null) {
				throw new Skip('test context used at collection time');
			}
			if (cls.type === 'default' && hook === 'beforeEach') {
				assigns++;
				continue;
			}
			throw new Skip(`test context ${cls.type === 'other-assign' ? 'replaced' : 'modified'} in ${hook}`);
		}
		if (assigns > 0) return;
	}
	throw new Skip('no test context creation found');
}

/** Returns the hook name (beforeEach, ...) whose callback contains `group`, up to `scope`. */
function enclosingHook(group, scope) {
	let g = group;
	while (g != null && g !== scope) {
		if (g.open === '(' && g.parent != null) {
			const callee = parseBackwards(g.parent, g.idx);
			const chain = callee && memberChain(callee.expr);
			if (chain && chain.length === 1 && HOOK_FNS.has(chain[0])) return chain[0];
		}
		g = g.parent;
	}
	return null;
}

/** Resolves `const NAME = [...]` for forEach/each tables. */
function resolveTableIdent(root, name, usageNode) {
	const uses = [...identUses(root, name)];
	let decl = null;
	for (const use of uses) {
		const { group, k } = use;
		const ch = group.children;
		if (isIdent(ch[k - 1], 'const')) {
			if (decl != null) throw new Skip(`several declarations of ${name}`);
			let j = k + 1;
			if (isPunct(ch[j], ':')) while (j < ch.length && !isPunct(ch[j], '=')) j++;
			if (!isPunct(ch[j], '=')) throw new Skip(`unsupported declaration of ${name}`);
			const rhs = [];
			for (let m = j + 1; m < ch.length && !isPunct(ch[m], ';'); m++) rhs.push(ch[m]);
			if (!(rhs.length >= 1 && isGroup(rhs[0], '[') && (rhs.length === 1 || isIdent(rhs[1], 'as') || isIdent(rhs[1], 'satisfies')))) {
				throw new Skip(`${name} is not a literal array`);
			}
			decl = { group: rhs[0], pos: use.tok.pos };
			continue;
		}
		if (isIdent(ch[k - 1], 'let') || isIdent(ch[k - 1], 'var')) throw new Skip(`${name} is not const`);
		// allowed uses: NAME.forEach(...) and xxx.each(NAME)
		if (isPunct(ch[k + 1], '.') && isIdent(ch[k + 2], 'forEach')) continue;
		if (group.open === '(' && group.children.length === 1) {
			const callee = parseBackwards(group.parent, group.idx);
			const chain = callee && memberChain(callee.expr);
			if (chain && chain[chain.length - 1] === 'each') continue;
		}
		throw new Skip(`${name} is used in an unsupported way`);
	}
	if (decl == null) throw new Skip(`no literal declaration of ${name}`);
	if (decl.pos > usageNode.pos) throw new Skip(`${name} declared after use`);
	return decl.group;
}

function enumerateBindings(root, frames) {
	// frames innermost first; produce envs: Map frameIndex -> Map(name -> value)
	let envs = [{ maps: new Map() }];
	frames.forEach((frame, fi) => {
		if (frame.each == null) {
			const next = [];
			for (const env of envs) {
				const map = new Map();
				for (const p of frame.params) for (const name of patternNames(p)) map.set(name, NONLIT);
				const maps = new Map(env.maps);
				maps.set(fi, map);
				next.push({ ...env, maps });
			}
			envs = next;
			return;
		}
		let elements;
		if (frame.each.table != null) {
			const tableSeg = frame.each.table;
			let arrGroup;
			if (tableSeg.length === 1 && isGroup(tableSeg[0], '[')) arrGroup = tableSeg[0];
			else if (tableSeg.length === 1 && isIdent(tableSeg[0])) arrGroup = resolveTableIdent(root, tableSeg[0].value, tableSeg[0]);
			else throw new Skip('unsupported table');
			elements = splitCommas(arrGroup.children);
		} else {
			const arrGroup = resolveTableIdent(root, frame.each.tableIdent, frame.each.tableNode);
			elements = splitCommas(arrGroup.children);
		}
		const next = [];
		for (const env of envs) {
			for (const seg of elements) {
				const map = new Map();
				for (const p of frame.params) for (const name of patternNames(p)) map.set(name, NONLIT);
				const value = seg.length > 0 && isPunct(seg[0], '...') ? NONLIT : evalLiteral(seg);
				if (frame.each.spreadTuples && value.kind === 'tuple') {
					frame.params.forEach((p, i) => bindPattern(p, i < value.items.length ? value.items[i] : UNDEF, map));
				} else if (frame.params.length > 0) {
					bindPattern(frame.params[0], value, map);
				}
				const maps = new Map(env.maps);
				maps.set(fi, map);
				const line = env.__line ?? (seg[0] ? seg[0].line : undefined);
				next.push({ ...env, maps, __line: line });
			}
		}
		envs = next;
	});
	return envs;
}

function lookup(name, frames, env, callPos) {
	for (let fi = 0; fi < frames.length; fi++) {
		const frame = frames[fi];
		// a declaration or assignment of `name` in this frame's body before the call
		// shadows/changes it
		const scope = frame.bodyIsBlock ? frame.body : frame.container;
		let constLiteral = null;
		for (const use of identUses(scope, name)) {
			if (use.tok.pos >= callPos) continue;
			const ch = use.group.children;
			const prev = ch[use.k - 1];
			const next = ch[use.k + 1];
			const declared =
				isIdent(prev, 'const') ||
				isIdent(prev, 'let') ||
				isIdent(prev, 'var') ||
				((use.group.open === '{' || use.group.open === '[') &&
					use.group.parent != null &&
					['const', 'let', 'var'].some((kw) => isIdent(use.group.parent.children[use.group.idx - 1], kw)));
			const assigned =
				next != null &&
				next.type === 'punct' &&
				['=', '+=', '-=', '*=', '/=', '%=', '++', '--', '??=', '||=', '&&='].includes(next.value);
			if (
				frame.bodyIsBlock &&
				use.group === scope &&
				isIdent(prev, 'const') &&
				isPunct(next, '=') &&
				isPunct(ch[use.k + 3], ';')
			) {
				// `const NAME = <literal>;` directly in this function body
				const value = evalLiteral([ch[use.k + 2]]);
				if (value.kind === 'literal') {
					constLiteral = value;
					continue;
				}
			}
			if (declared || assigned || isPunct(prev, '++') || isPunct(prev, '--')) {
				throw new Skip(`${name} is reassigned or shadowed before the call`);
			}
		}
		if (constLiteral != null) return constLiteral;
		const map = env.maps.get(fi);
		if (map != null && map.has(name)) return map.get(name);
	}
	return NONLIT;
}

function resolveArg(seg, frames, env, callPos) {
	if (seg.length === 1 && isIdent(seg[0]) && !['NaN', 'Infinity', 'true', 'false', 'undefined'].includes(seg[0].value)) {
		return lookup(seg[0].value, frames, env, callPos);
	}
	return evalLiteral(seg);
}

/**
 * Reachability of the call under the literal bindings: every preceding
 * statement of each enclosing function body (test, loop and suite callbacks)
 * that is `if (X != null) { ... return; }` (or == null / !== undefined /
 * === undefined) must evaluate to false; switch/case must match typeof.
 * Any other preceding statement containing `return`/`throw` at its top level,
 * or any other `if` that returns, makes us give up.
 */
function reachable(frames, env) {
	for (let fi = 0; fi < frames.length; fi++) {
		const frame = frames[fi];
		for (const guard of frame.stmtGuards ?? []) {
			if (guard.switchCase) {
				const value = lookup(guard.switchCase.variable, frames, env, Infinity);
				const t = typeOf(value);
				if (t == null) throw new Skip('switch on a non-literal value');
				if (t !== guard.switchCase.typeName) return false;
			}
		}
		if (!frame.bodyIsBlock) continue;
		const ch = frame.body.children;
		for (let k = 0; k < frame.stmtIdx; k++) {
			const node = ch[k];
			if (isIdent(node, 'return') || isIdent(node, 'throw')) throw new Skip('return/throw before the call');
			if (isIdent(node, 'if')) {
				const cond = ch[k + 1];
				const block = ch[k + 2];
				if (!isGroup(cond, '(') || !isGroup(block, '{')) throw new Skip('unsupported if statement before the call');
				if (isIdent(ch[k + 3], 'else')) throw new Skip('unsupported if/else before the call');
				const exits = block.children.some((c) => isIdent(c, 'return') || isIdent(c, 'throw'));
				if (!exits) {
					k += 2;
					continue;
				}
				const verdict = evalNullCheck(cond.children, frames, env);
				if (verdict == null) throw new Skip('unsupported condition before the call');
				if (verdict) return false; // the test returns before reaching the call
				k += 2;
				continue;
			}
			if (isIdent(node, 'try') || isIdent(node, 'switch') || isIdent(node, 'for') || isIdent(node, 'while')) {
				throw new Skip(`${node.value} statement before the call`);
			}
		}
	}
	return true;
}

function typeOf(value) {
	if (value.kind === 'undefined') return 'undefined';
	if (value.kind === 'literal') return value.vtype;
	if (value.kind === 'object' || value.kind === 'tuple') return 'object';
	return null;
}

function evalNullCheck(nodes, frames, env) {
	if (nodes.length !== 3 || !isIdent(nodes[0])) return null;
	const op = nodes[1].value;
	const rhs = nodes[2];
	let isNullish;
	const value = lookup(nodes[0].value, frames, env, Infinity);
	if (value.kind === 'undefined') isNullish = true;
	else if (value.kind === 'literal' || value.kind === 'object' || value.kind === 'tuple') isNullish = false;
	else return null;
	if ((op === '!=' || op === '==') && isIdent(rhs, 'null')) return op === '!=' ? !isNullish : isNullish;
	if ((op === '!==' || op === '===') && isIdent(rhs, 'undefined')) {
		return op === '!==' ? !isNullish : isNullish;
	}
	return null;
}

// ---------------------------------------------------------------------------
// Output

function jsonExpected(kind, value) {
	if (kind === 'number') {
		if (Number.isNaN(value)) return '"NaN"';
		if (value === Infinity) return '"Infinity"';
		if (value === -Infinity) return '"-Infinity"';
		if (Object.is(value, -0)) return '-0';
		return JSON.stringify(value);
	}
	return JSON.stringify(value);
}

function main() {
	const argv = process.argv.slice(2);
	const verbose = argv.includes('--verbose');
	const repo = argv.find((a) => !a.startsWith('--')) ?? DEFAULT_REPO;
	const rev = (argv.find((a) => a.startsWith('--rev=')) ?? '--rev=HEAD').slice('--rev='.length);
	const git = (...args) => execFileSync('git', ['-C', repo, ...args], { encoding: 'utf8', maxBuffer: 64 << 20 });

	const commit = git('rev-parse', '--verify', `${rev}^{commit}`).trim();
	const files = git('ls-tree', '-r', '--name-only', commit, '--', ...TEST_DIRS)
		.split('\n')
		.filter((f) => f.endsWith('.test.ts'))
		.sort();

	const lines = [];
	const perFile = [];
	const functionCounts = new Map();
	const kindCounts = { string: 0, number: 0, boolean: 0 };
	const skipReasons = new Map();
	let callSites = 0;

	for (const path of files) {
		const rel = path.replace(/^packages\/xpath\/test\//, '');
		const src = git('show', `${commit}:${path}`);
		const { cases, skipped, callSites: n } = analyzeFile(rel, src);
		callSites += n;
		perFile.push({ rel, taken: cases.length, skipped: skipped.length });
		for (const c of cases) {
			lines.push(
				`{"file": ${JSON.stringify(c.file)}, "line": ${c.line}, "kind": ${JSON.stringify(c.kind)}, ` +
					`"expr": ${JSON.stringify(c.expr)}, "expected": ${jsonExpected(c.kind, c.expected)}}`
			);
			kindCounts[c.kind]++;
			for (const f of new Set(c.functions)) functionCounts.set(f, (functionCounts.get(f) ?? 0) + 1);
		}
		for (const s of skipped) {
			skipReasons.set(s.reason, (skipReasons.get(s.reason) ?? 0) + 1);
			if (verbose) console.log(`  skip ${rel}:${s.line}: ${s.reason}`);
		}
	}

	mkdirSync(dirname(OUT_FILE), { recursive: true });
	writeFileSync(OUT_FILE, lines.join('\n') + '\n');

	console.log(`web-forms commit: ${commit}`);
	console.log(`files scanned: ${files.length}`);
	console.log(`assert{String,Number,Boolean}Value call sites: ${callSites}`);
	console.log('cases taken per file:');
	for (const { rel, taken, skipped } of perFile) {
		console.log(`  ${rel.padEnd(40)} ${String(taken).padStart(4)}  (skipped ${skipped})`);
	}
	console.log(`total taken: ${lines.length} (string ${kindCounts.string}, number ${kindCounts.number}, boolean ${kindCounts.boolean})`);
	if (verbose) {
		console.log('skip reasons:');
		for (const [reason, count] of [...skipReasons].sort((a, b) => b[1] - a[1])) console.log(`  ${String(count).padStart(4)}  ${reason}`);
		console.log('functions in taken expressions (cases using each):');
		for (const [name, count] of [...functionCounts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))) {
			console.log(`  ${String(count).padStart(4)}  ${name}`);
		}
	}
	console.log(`written: ${OUT_FILE}`);
}

main();
