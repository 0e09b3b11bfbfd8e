// The evaluator of Tekton expression steps, part 1 of its Python 3 source:
// the value model (Flow's total order and equality), the type table, and the
// text and JSON forms of compiler/ir/value_json.cpp. See eval_program.h.
namespace flow::lower::tekton {

extern const char* const kEvalScriptValues;
const char* const kEvalScriptValues = R"PY(#!/usr/bin/env python3
# flow-eval: evaluates compiler-generated Flow expressions inside a Tekton step.
# The program (types, expressions, sources, outputs) is JSON in $FLOW_PROGRAM;
# values arrive in $FLOW_S<i> (strings) or as argument segments (arrays), never
# in this source. Mirrors compiler/ir/eval.cpp and eval_builtin.cpp.
import json, math, os, sys, functools

sys.setrecursionlimit(20000)
I64_MIN, I64_MAX = -(1 << 63), (1 << 63) - 1
MAX_LEN = 10000000
LIST_END = '--flow-list-end--'


class Fail(Exception):
    pass


class FMap:
    __slots__ = ('items',)

    def __init__(self, items):
        self.items = items


class FRec:
    __slots__ = ('items',)

    def __init__(self, items):
        self.items = items

    def get(self, name):
        for n, v in self.items:
            if n == name:
                return (True, v)
        return (False, None)


def kind_of(v):
    if v is None: return 0
    if isinstance(v, bool): return 1
    if isinstance(v, (int, float)): return 2
    if isinstance(v, str): return 3
    if isinstance(v, list): return 4
    if isinstance(v, FMap): return 5
    return 6


def is_int(v): return isinstance(v, int) and not isinstance(v, bool)
def is_float(v): return isinstance(v, float)
def is_num(v): return is_int(v) or is_float(v)


def f_eq(a, b):
    if is_num(a) and is_num(b):
        if is_int(a) and is_int(b): return a == b
        return float(a) == float(b)
    ka, kb = kind_of(a), kind_of(b)
    if ka != kb: return False
    if ka == 0: return True
    if ka in (1, 3): return a == b
    if ka == 4: return len(a) == len(b) and all(f_eq(x, y) for x, y in zip(a, b))
    if ka == 5: return len(a.items) == len(b.items) and all(f_eq(x[0], y[0]) and f_eq(x[1], y[1]) for x, y in zip(a.items, b.items))
    return len(a.items) == len(b.items) and all(x[0] == y[0] and f_eq(x[1], y[1]) for x, y in zip(a.items, b.items))


def lex_lt(xs, ys, lt):
    for x, y in zip(xs, ys):
        if lt(x, y): return True
        if lt(y, x): return False
    return len(xs) < len(ys)


def pair_lt(a, b, first_lt):
    if first_lt(a[0], b[0]): return True
    if first_lt(b[0], a[0]): return False
    return f_lt(a[1], b[1])


def f_lt(a, b):
    ka, kb = kind_of(a), kind_of(b)
    if ka != kb: return ka < kb
    if ka == 0: return False
    if ka == 1: return (not a) and b
    if ka == 2:
        if is_int(a) and is_int(b): return a < b
        return float(a) < float(b)
    if ka == 3: return a.encode('utf-8', 'surrogateescape') < b.encode('utf-8', 'surrogateescape')
    if ka == 4: return lex_lt(a, b, f_lt)
    if ka == 5: return lex_lt(a.items, b.items, lambda x, y: pair_lt(x, y, f_lt))
    return lex_lt(a.items, b.items, lambda x, y: pair_lt(x, y, lambda p, q: p.encode('utf-8', 'surrogateescape') < q.encode('utf-8', 'surrogateescape')))


# ---- types ---------------------------------------------------------------
TYPES = []


def tk(t):
    return TYPES[t][0] if t is not None and 0 <= t < len(TYPES) else 'error'


def strip_opt(t):
    while tk(t) == 'opt': t = TYPES[t][1]
    return t


def is_json_type(t):
    return tk(strip_opt(t)) in ('list', 'map', 'rec', 'struct')


# ---- text and JSON forms (compiler/ir/value_json.cpp) ----------------------
def format_float(d):
    if math.isnan(d): return 'nan'
    if math.isinf(d): return '-inf' if d < 0 else 'inf'
    s = repr(d)
    if 'e' in s:
        m, e = s.split('e')
        if m.endswith('.0'): m = m[:-2]
        sign = e[0] if e[0] in '+-' else '+'
        digits = e.lstrip('+-')
        if len(digits) < 2: digits = '0' + digits
        s = m + 'e' + sign + digits
    if '.' not in s and 'e' not in s: s += '.0'
    return s


def format_duration(ms):
    if ms == 0: return '0s'
    out = ''
    rest = ms
    if ms < 0:
        out = '-'
        rest = -ms
    for suffix, unit in (('d', 86400000), ('h', 3600000), ('m', 60000), ('s', 1000), ('ms', 1)):
        n = rest // unit
        if n == 0: continue
        out += '%d%s' % (n, suffix)
        rest -= n * unit
    return out


SIZE_UNITS = (('Pi', 1 << 50, True), ('Ti', 1 << 40, True), ('Gi', 1 << 30, True), ('Mi', 1 << 20, True),
              ('Ki', 1 << 10, True), ('P', 10 ** 15, False), ('T', 10 ** 12, False), ('G', 10 ** 9, False),
              ('M', 10 ** 6, False), ('K', 1000, False), ('k', 1000, False))


def format_size(b):
    if b == 0: return '0'
    if b < 0: return str(b)
    best, best_n = None, b
    for suffix, unit, binary in SIZE_UNITS:
        if suffix == 'k' or b % unit != 0: continue
        n = b // unit
        if n < best_n or (n == best_n and best is not None and binary and not best[2]):
            best, best_n = (suffix, unit, binary), n
    return str(b) if best is None else '%d%s' % (best_n, best[0])


def map_key_text(k):
    return str(k) if is_int(k) else k


def to_json(v, t):
    if v is None: return None
    k = tk(t)
    if k == 'opt': return to_json(v, TYPES[t][1])
    if k == 'duration': return format_duration(v)
    if k == 'size': return format_size(v)
    if k == 'float':
        d = float(v)
        return d if math.isfinite(d) else None
    if k == 'list': return [to_json(e, TYPES[t][1]) for e in v]
    if k == 'map': return {map_key_text(a): to_json(b, TYPES[t][2]) for a, b in v.items} if isinstance(v, FMap) else None
    if k in ('rec', 'struct'):
        fields = dict((f[0], f[1]) for f in TYPES[t][1])
        return {n: to_json(x, fields.get(n)) for n, x in v.items}
    if isinstance(v, bool) or is_int(v) or isinstance(v, str): return v
    if is_float(v): return v if math.isfinite(v) else None
    if isinstance(v, list): return [to_json(e, None) for e in v]
    if isinstance(v, FMap): return {map_key_text(a): to_json(b, None) for a, b in v.items}
    return {n: to_json(x, None) for n, x in v.items}


def dump_json(j):
    return json.dumps(j, separators=(',', ':'), ensure_ascii=False)


def format_text(v, t):
    if v is None: return ''
    k = tk(t)
    if k == 'opt': return format_text(v, TYPES[t][1])
    if k == 'duration': return format_duration(v)
    if k == 'size': return format_size(v)
    if k == 'float': return format_float(float(v))
    if k == 'list': return ' '.join(format_text(e, TYPES[t][1]) for e in v)
    if k in ('map', 'rec', 'struct'): return dump_json(to_json(v, t))
    if isinstance(v, bool): return 'true' if v else 'false'
    if is_int(v): return str(v)
    if is_float(v): return format_float(v)
    if isinstance(v, str): return v
    if isinstance(v, list): return ' '.join(format_text(e, None) for e in v)
    return dump_json(to_json(v, None))


def parse_int(s):
    i, neg = 0, False
    if s[:1] in ('-', '+'):
        neg, i = s[0] == '-', 1
    if i >= len(s) or not s[i].isdigit() or not s[i].isascii(): return None
    digits, last_us = '', False
    for c in s[i:]:
        if c == '_':
            if last_us: return None
            last_us = True
            continue
        if not ('0' <= c <= '9'): return None
        last_us = False
        digits += c
    if last_us: return None
    n = -int(digits) if neg else int(digits)
    return n if I64_MIN <= n <= I64_MAX else None


def parse_float(s):
    if not s: return None
    t = s.replace('_', '')
    if not t or any(c not in '0123456789.eE-+' for c in t): return None
    try:
        d = float(t)
    except ValueError:
        return None
    if not math.isfinite(d): return None
    if d == 0.0 and any(c in '123456789' for c in t.split('e')[0].split('E')[0]): return None
    if d != 0.0 and abs(d) < 2.2250738585072014e-308: return None
    return d


def trim4(s):
    return s.strip(' \t\n\r')


def parse_duration(s):
    s = trim4(s)
    if not s: return None
    total, i = 0, 0
    while i < len(s):
        if not ('0' <= s[i] <= '9'): return None
        n = 0
        while i < len(s) and ('0' <= s[i] <= '9' or s[i] == '_'):
            if s[i] != '_': n = n * 10 + ord(s[i]) - 48
            i += 1
        for suffix, unit in (('ms', 1), ('d', 86400000), ('h', 3600000), ('m', 60000), ('s', 1000)):
            if s.startswith(suffix, i):
                i += len(suffix)
                total += n * unit
                break
        else:
            return None
        if total > I64_MAX: return None
    return total


def parse_size(s):
    s = trim4(s)
    i, digits = 0, ''
    while i < len(s) and ('0' <= s[i] <= '9' or s[i] == '_'):
        if s[i] != '_': digits += s[i]
        i += 1
    frac = ''
    if i < len(s) and s[i] == '.':
        i += 1
        while i < len(s) and '0' <= s[i] <= '9':
            frac += s[i]
            i += 1
        if not frac: return None
    if not digits: return None
    suffix, mult = s[i:], 1
    if suffix:
        found = [u for u in SIZE_UNITS if u[0] == suffix]
        if not found: return None
        mult = found[0][1]
    total = int(digits) * mult
    if frac:
        if len(frac) > 18: return None
        num, den = int(frac), 10 ** len(frac)
        if (num * mult) % den: return None
        total += num * mult // den
    return total if total <= I64_MAX else None


def bad(t, text):
    shown = text if len(text) <= 60 else text[:57] + '...'
    raise Fail('expected `%s`, found `%s`' % (type_name(t), shown))


def type_name(t):
    k = tk(t)
    names = {'int': 'Int', 'float': 'Float', 'bool': 'Bool', 'string': 'String', 'file': 'File', 'dir': 'Dir',
             'duration': 'Duration', 'size': 'Size', 'none': 'None'}
    if k in names: return names[k]
    if k == 'list': return 'List[%s]' % type_name(TYPES[t][1])
    if k == 'map': return 'Map[%s, %s]' % (type_name(TYPES[t][1]), type_name(TYPES[t][2]))
    if k == 'opt': return type_name(TYPES[t][1]) + '?'
    if k == 'rec': return '(' + ', '.join('%s: %s' % (f[0], type_name(f[1])) for f in TYPES[t][1]) + ')'
    if k in ('struct', 'enum'): return TYPES[t][-1]
    return '?'


def from_json(j, t):
    k = tk(t)
    if k == 'opt': return None if j is None else from_json(j, TYPES[t][1])
    if k == 'none':
        if j is not None: bad(t, dump_json(j))
        return None
    if k == 'int':
        if isinstance(j, int) and not isinstance(j, bool) and I64_MIN <= j <= I64_MAX: return j
        bad(t, dump_json(j))
    if k == 'float':
        if isinstance(j, (int, float)) and not isinstance(j, bool): return float(j)
        bad(t, dump_json(j))
    if k == 'bool':
        if isinstance(j, bool): return j
        bad(t, dump_json(j))
    if k in ('string', 'file', 'dir'):
        if isinstance(j, str): return j
        bad(t, dump_json(j))
    if k == 'enum':
        if isinstance(j, str) and j in TYPES[t][1]: return j
        bad(t, dump_json(j))
    if k in ('duration', 'size'):
        if isinstance(j, str):
            v = parse_duration(j) if k == 'duration' else parse_size(j)
            if v is not None: return v
        if isinstance(j, int) and not isinstance(j, bool) and k == 'size' and 0 <= j <= I64_MAX: return j
        bad(t, dump_json(j))
    if k == 'list':
        if isinstance(j, list): return [from_json(x, TYPES[t][1]) for x in j]
        bad(t, dump_json(j))
    if k == 'map':
        if isinstance(j, dict):
            key_t = TYPES[t][1]
            items = []
            for a, b in j.items():
                key = a
                if tk(strip_opt(key_t)) == 'int':
                    key = parse_int(a)
                    if key is None: bad(key_t, a)
                items.append((key, from_json(b, TYPES[t][2])))
            return FMap(items)
        bad(t, dump_json(j))
    if k in ('rec', 'struct'):
        if not isinstance(j, dict): bad(t, dump_json(j))
        items = []
        defaults = TYPES[t][2] if k == 'struct' else [None] * len(TYPES[t][1])
        for (name, ft), d in zip(TYPES[t][1], defaults):
            if name in j:
                items.append((name, from_json(j[name], ft)))
            elif d is not None:
                items.append((name, from_json(d[0], ft)))
            elif tk(ft) == 'opt':
                items.append((name, None))
            else:
                raise Fail('missing field `%s` in a `%s`' % (name, type_name(t)))
        return FRec(items)
    raise Fail('value of an unknown type')


def from_text(s, t):
    """Reads the Tekton text encoding of a value of type t (docs/targets/tekton.md)."""
    k = tk(t)
    if k == 'lax':
        # A source that is none where its task was skipped by a per-iteration `if`.
        try:
            return from_text(s, TYPES[t][1])
        except Fail:
            return None
    if k == 'opt':
        inner = TYPES[t][1]
        if is_json_type(inner):
            return None if trim4(s) in ('null', '') else from_text(s, inner)
        return None if s == '' else from_text(s, inner)
    if k == 'int':
        v = parse_int(trim4(s))
        if v is None: bad(t, s)
        return v
    if k == 'float':
        v = parse_float(trim4(s))
        if v is None: bad(t, s)
        return v
    if k == 'bool':
        if trim4(s) in ('true', 'false'): return trim4(s) == 'true'
        bad(t, s)
    if k in ('string', 'file', 'dir'): return s
    if k == 'enum':
        if trim4(s) in TYPES[t][1]: return trim4(s)
        bad(t, s)
    if k in ('duration', 'size'):
        v = parse_duration(s) if k == 'duration' else parse_size(s)
        if v is None: bad(t, s)
        return v
    if k == 'none': return None
    try:
        j = json.loads(s)
    except ValueError:
        bad(t, s)
    return from_json(j, t)


def tekton_text(v, t):
    """The Tekton string encoding: JSON for containers (null for none), else the value's text."""
    if is_json_type(t): return dump_json(to_json(v, t))
    return format_text(v, t)


)PY";

}  // namespace flow::lower::tekton
