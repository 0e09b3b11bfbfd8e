// The evaluator of Tekton expression steps, as a Python 3 program (see
// eval_program.h). Part 2 of its source: evaluation (compiler/ir/eval.cpp),
// builtins (eval_builtin.cpp) and the entry point; part 1 is in
// eval_script_values.cpp. Every generated step carries the same program;
// tests/build/tekton_eval_test.cpp runs it with the host's python3 against the
// IR evaluator on the same expressions.
#include <string>

#include "compiler/lower/tekton/eval_program.h"

namespace flow::lower::tekton {

extern const char* const kEvalScriptValues;

namespace {

const char* const kEvalScriptEval = R"PY(# ---- evaluation (compiler/ir/eval.cpp) ---------------------------------------
EXPRS = []
SOURCES = []


def check_int(n, op):
    if n < I64_MIN or n > I64_MAX: raise Fail('integer overflow in `%s`' % op)
    return n


def check_float(d, op):
    if not math.isfinite(d): raise Fail('float overflow in `%s`' % op)
    return d


def trunc_div(a, b):
    q = abs(a) // abs(b)
    return q if (a >= 0) == (b >= 0) else -q


OPS = {'add': '+', 'sub': '-', 'mul': '*', 'div': '/', 'mod': '%', 'eq': '==', 'ne': '!=', 'lt': '<', 'le': '<=',
       'gt': '>', 'ge': '>=', 'and': 'and', 'or': 'or', 'coalesce': '??'}


def apply_binary(op, a, b):
    ints = is_int(a) and is_int(b)
    nums = is_num(a) and is_num(b)
    sp = OPS[op]
    if op == 'add':
        if ints: return check_int(a + b, sp)
        if nums: return check_float(float(a) + float(b), sp)
        if isinstance(a, str) and isinstance(b, str):
            if len(a.encode('utf-8', 'surrogateescape')) + len(b.encode('utf-8', 'surrogateescape')) > MAX_LEN:
                raise Fail('the string would be longer than %d bytes' % MAX_LEN)
            return a + b
        if isinstance(a, list) and isinstance(b, list):
            if len(a) + len(b) > MAX_LEN: raise Fail('the list would be longer than %d elements' % MAX_LEN)
            return a + b
        if isinstance(a, FMap) and isinstance(b, FMap):
            items = list(a.items)
            for k, v in b.items:
                hit = False
                for i, (ek, ev) in enumerate(items):
                    if f_eq(ek, k):
                        items[i] = (ek, v)
                        hit = True
                if not hit: items.append((k, v))
            return FMap(items)
    elif op in ('sub', 'mul'):
        if ints: return check_int(a - b if op == 'sub' else a * b, sp)
        if nums: return check_float(float(a) - float(b) if op == 'sub' else float(a) * float(b), sp)
    elif op in ('div', 'mod'):
        if ints:
            if b == 0: raise Fail('division by zero' if op == 'div' else 'remainder by zero')
            q = trunc_div(a, b)
            if op == 'mod': return a - b * q
            return check_int(q, sp)
        if nums:
            if float(b) == 0: raise Fail('division by zero' if op == 'div' else 'remainder by zero')
            return check_float(float(a) / float(b) if op == 'div' else math.fmod(float(a), float(b)), sp)
    elif op == 'eq': return f_eq(a, b)
    elif op == 'ne': return not f_eq(a, b)
    elif op == 'lt': return f_lt(a, b)
    elif op == 'le': return not f_lt(b, a)
    elif op == 'gt': return f_lt(b, a)
    elif op == 'ge': return not f_lt(a, b)
    elif op in ('and', 'or'):
        if isinstance(a, bool) and isinstance(b, bool): return (a and b) if op == 'and' else (a or b)
    elif op == 'coalesce':
        return b if a is None else a
    raise Fail('operator `%s` cannot be applied to these values' % sp)


def convert(v, frm, to):
    if v is None or to is None: return v
    k = tk(to)
    fi = strip_opt(frm) if frm is not None else None
    if k == 'opt': return convert(v, frm, TYPES[to][1])
    if k == 'float': return float(v) if is_int(v) else v
    if k == 'list':
        if not isinstance(v, list): return v
        fe = TYPES[fi][1] if fi is not None and tk(fi) == 'list' else None
        return [convert(e, fe, TYPES[to][1]) for e in v]
    if k == 'map':
        if not isinstance(v, FMap): return v
        fv = TYPES[fi][2] if fi is not None and tk(fi) == 'map' else None
        return FMap([(a, convert(b, fv, TYPES[to][2])) for a, b in v.items])
    if k in ('rec', 'struct'):
        if not isinstance(v, FRec): return v
        to_f = dict((f[0], f[1]) for f in TYPES[to][1])
        fr_f = dict((f[0], f[1]) for f in TYPES[fi][1]) if fi is not None and tk(fi) in ('rec', 'struct') else {}
        return FRec([(n, convert(x, fr_f.get(n), to_f[n]) if n in to_f else x) for n, x in v.items])
    return v


def loop_bindings(it, nvars):
    if isinstance(it, FMap):
        return [[k, v] if nvars == 2 else [k] for k, v in it.items]
    if not isinstance(it, list): raise Fail('cannot iterate over a value that is not a list or a map')
    out = []
    for e in it:
        if nvars == 2:
            if not isinstance(e, FRec) or len(e.items) != 2: raise Fail('a two-variable `for` needs elements with two fields')
            out.append([e.items[0][1], e.items[1][1]])
        else:
            out.append([e])
    return out


class Evaluator:
    def __init__(self):
        self.scope = []
        self.produced = 0

    def spend(self, n):
        self.produced += n
        if self.produced > MAX_LEN * 4: raise Fail('the expression builds more than %d list elements' % (MAX_LEN * 4))

    def var(self, var):
        for k, v in reversed(self.scope):
            if k == var: return v
        raise Fail('variable #%d is not available' % var)

    def ev(self, i):
        e = EXPRS[i]
        k = e[0]
        if k == 'lit': return from_json(e[2], e[1])
        if k == 'src': return SOURCES[e[2]]
        if k == 'var': return self.var(e[2])
        if k == 'field':
            base = self.ev(e[2])
            if not isinstance(base, FRec): raise Fail('cannot read field `%s` of a value without fields' % e[3])
            found, v = base.get(e[3])
            if not found: raise Fail('no field `%s`' % e[3])
            return v
        if k == 'index':
            b = self.ev(e[2])
            x = self.ev(e[3])
            if isinstance(b, list):
                if not is_int(x): raise Fail('list index is not an `Int`')
                if x < 0 or x >= len(b): raise Fail('index %d is out of range for a list of length %d' % (x, len(b)))
                return b[x]
            if isinstance(b, FMap):
                for a, v in b.items:
                    if f_eq(a, x): return v
                raise Fail('key %s is not in the map' % dump_json(to_json(x, EXPRS[e[3]][1])))
            raise Fail('value cannot be indexed')
        if k == 'neg':
            v = self.ev(e[2])
            if is_int(v): return check_int(-v, '-')
            if is_float(v): return -v
            raise Fail('operator `-` needs a number')
        if k == 'not':
            v = self.ev(e[2])
            if not isinstance(v, bool): raise Fail('operator `not` needs a `Bool`')
            return not v
        if k == 'bin': return self.binary(e)
        if k == 'list':
            return [self.ev(x) for x in e[2]]
        if k == 'map':
            items = []
            ops = e[2]
            for j in range(0, len(ops) - 1, 2):
                key = self.ev(ops[j])
                val = self.ev(ops[j + 1])
                for n, (a, _) in enumerate(items):
                    if f_eq(a, key):
                        items[n] = (a, val)
                        break
                else:
                    items.append((key, val))
            return FMap(items)
        if k == 'rec': return FRec([(n, self.ev(x)) for n, x in zip(e[2], e[3])])
        if k == 'cond':
            c = self.ev(e[2])
            if not isinstance(c, bool): raise Fail('`if` condition is not a `Bool`')
            branch = e[3] if c else e[4]
            return None if branch is None else self.ev(branch)
        if k == 'comp':
            it = self.ev(e[3])
            out = []
            for binding in loop_bindings(it, len(e[2])):
                self.spend(1)
                mark = len(self.scope)
                self.scope.extend(zip(e[2], binding))
                try:
                    out.append(self.ev(e[4]))
                finally:
                    del self.scope[mark:]
            return out
        if k == 'let':
            v = self.ev(e[3])
            self.scope.append((e[2], v))
            try:
                return self.ev(e[4])
            finally:
                self.scope.pop()
        if k == 'call':
            args = [self.ev(x) for x in e[3]]
            r = builtin(e[2], args, [EXPRS[x][1] for x in e[3]])
            if isinstance(r, list): self.spend(len(r))
            return r
        if k == 'interp':
            out = ''
            for n, part in enumerate(e[2]):
                out += part
                if n < len(e[3]): out += format_text(self.ev(e[3][n]), EXPRS[e[3][n]][1])
            return out
        if k == 'conv': return convert(self.ev(e[3]), e[2], e[1])
        raise Fail('unknown expression kind `%s`' % k)

    def binary(self, e):
        op = e[2]
        a = self.ev(e[3])
        if op in ('and', 'or'):
            if not isinstance(a, bool): raise Fail('operator `%s` needs `Bool` operands' % op)
            if a != (op == 'and'): return a
            b = self.ev(e[4])
            if not isinstance(b, bool): raise Fail('operator `%s` needs `Bool` operands' % op)
            return b
        if op == 'coalesce':
            if a is not None: return convert(a, EXPRS[e[3]][1], e[1])
            return convert(self.ev(e[4]), EXPRS[e[4]][1], e[1])
        b = self.ev(e[4])
        r = apply_binary(op, a, b)
        if isinstance(r, list): self.spend(len(r))
        return r


# ---- builtins (compiler/ir/eval_builtin.cpp) --------------------------------
def basename(p):
    while len(p) > 1 and p.endswith('/'): p = p[:-1]
    if p == '/': return '/'
    return p[p.rfind('/') + 1:]


def dirname(p):
    while len(p) > 1 and p.endswith('/'): p = p[:-1]
    at = p.rfind('/')
    if at < 0: return '.'
    if at == 0: return '/'
    p = p[:at]
    while len(p) > 1 and p.endswith('/'): p = p[:-1]
    return p


def stem(p):
    b = basename(p)
    dot = b.rfind('.')
    return b if dot <= 0 else b[:dot]


def elem_type(t):
    if t is None: return None
    s = strip_opt(t)
    return TYPES[s][1] if tk(s) == 'list' else None


def fits_int(d):
    return math.isfinite(d) and -9223372036854775808.0 <= d < 9223372036854775808.0


def round_half_away(d):
    a = abs(d)
    f = math.floor(a)
    if a - f >= 0.5: f += 1
    return -f if d < 0 else f


WS6 = ' \t\n\r\f\v'


def builtin(name, args, types):
    def fail(msg):
        raise Fail('`%s`: %s' % (name, msg))

    a0 = args[0] if args else None
    if name == 'len':
        if isinstance(a0, list): return len(a0)
        if isinstance(a0, FMap): return len(a0.items)
        if isinstance(a0, str): return len(a0.encode('utf-8', 'surrogateescape'))
    elif name == 'range':
        if len(args) == 1 and is_int(a0): start, stop = 0, a0
        elif len(args) == 2 and is_int(a0) and is_int(args[1]): start, stop = a0, args[1]
        else: fail('unexpected arguments')
        if stop <= start: return []
        if stop - start > MAX_LEN: fail('a range of %d elements is too long (the limit is %d)' % (stop - start, MAX_LEN))
        return list(range(start, stop))
    elif name == 'enumerate':
        if isinstance(a0, list): return [FRec([('index', i), ('value', x)]) for i, x in enumerate(a0)]
    elif name == 'zip':
        if isinstance(a0, list) and len(args) > 1 and isinstance(args[1], list):
            return [FRec([('left', x), ('right', y)]) for x, y in zip(a0, args[1])]
    elif name == 'flatten':
        if isinstance(a0, list):
            out = []
            for inner in a0:
                if not isinstance(inner, list): fail('expected a list of lists')
                if len(out) + len(inner) > MAX_LEN: fail('the result is longer than %d elements' % MAX_LEN)
                out.extend(inner)
            return out
    elif name in ('keys', 'values'):
        if isinstance(a0, FMap): return [k if name == 'keys' else v for k, v in a0.items]
    elif name == 'contains':
        if len(args) >= 2:
            if isinstance(a0, str):
                if not isinstance(args[1], str): fail('unexpected arguments')
                return args[1] in a0
            if isinstance(a0, FMap): return any(f_eq(k, args[1]) for k, _ in a0.items)
            if isinstance(a0, list): return any(f_eq(x, args[1]) for x in a0)
    elif name == 'join':
        if isinstance(a0, list):
            sep = args[1] if len(args) > 1 and isinstance(args[1], str) else ''
            et = elem_type(types[0])
            return sep.join(format_text(x, et) for x in a0)
    elif name == 'split':
        if isinstance(a0, str) and len(args) > 1 and isinstance(args[1], str):
            if args[1] == '': fail('the separator is empty')
            return a0.split(args[1])
    elif name == 'replace':
        if len(args) > 2 and all(isinstance(x, str) for x in args[:3]):
            if args[1] == '': fail('the text to replace is empty')
            return a0.replace(args[1], args[2])
    elif name in ('basename', 'dirname', 'stem'):
        if isinstance(a0, str): return {'basename': basename, 'dirname': dirname, 'stem': stem}[name](a0)
    elif name == 'string':
        if args:
            if a0 is None: return 'none'
            k = tk(strip_opt(types[0])) if types[0] is not None else 'error'
            structured = k in ('list', 'map', 'rec', 'struct') or (k == 'error' and isinstance(a0, (list, FMap, FRec)))
            if structured: return dump_json(to_json(a0, types[0]))
            return format_text(a0, types[0])
    elif name == 'int':
        if args:
            if isinstance(a0, bool): return 1 if a0 else 0
            if is_int(a0): return a0
            if is_float(a0):
                d = float(math.trunc(a0)) if math.isfinite(a0) else a0
                if not fits_int(d): fail('%s does not fit in an `Int`' % format_float(a0))
                return int(d)
            if isinstance(a0, str):
                v = parse_int(a0.strip(WS6))
                if v is None: fail('%s is not an integer' % dump_json(a0))
                return v
    elif name == 'float':
        if args:
            if is_num(a0): return float(a0)
            if isinstance(a0, str):
                v = parse_float(a0.strip(WS6))
                if v is None: fail('%s is not a number' % dump_json(a0))
                return v
    elif name in ('min', 'max'):
        is_min = name == 'min'
        if len(args) == 2:
            first = (not f_lt(args[1], a0)) if is_min else (not f_lt(a0, args[1]))
            return a0 if first else args[1]
        if isinstance(a0, list):
            if not a0: fail('the list is empty')
            best = a0[0]
            for x in a0:
                if (f_lt(x, best) if is_min else f_lt(best, x)): best = x
            return best
    elif name == 'sum':
        if isinstance(a0, list):
            et = elem_type(types[0])
            floats = (et is not None and tk(strip_opt(et)) == 'float') or any(is_float(x) for x in a0)
            if floats:
                total = 0.0
                for x in a0: total += float(x)
                if not math.isfinite(total): fail('float overflow')
                return total
            total = 0
            for x in a0:
                total += x
                if total < I64_MIN or total > I64_MAX: fail('integer overflow')
            return total
    elif name == 'round':
        if args:
            if is_int(a0): return a0
            d = round_half_away(float(a0)) if math.isfinite(float(a0)) else float(a0)
            if not fits_int(d): fail('%s does not fit in an `Int`' % format_float(float(a0)))
            return int(d)
    elif name == 'select_first':
        if isinstance(a0, list):
            for x in a0:
                if x is not None: return x
            fail('every element is `none`')
    elif name == 'defined':
        if args: return a0 is not None
    elif name == 'sort':
        if isinstance(a0, list):
            return sorted(a0, key=functools.cmp_to_key(lambda x, y: -1 if f_lt(x, y) else (1 if f_lt(y, x) else 0)))
    elif name in ('lower', 'upper'):
        if isinstance(a0, str):
            if name == 'lower': return ''.join(chr(ord(c) + 32) if 'A' <= c <= 'Z' else c for c in a0)
            return ''.join(chr(ord(c) - 32) if 'a' <= c <= 'z' else c for c in a0)
    elif name == 'trim':
        if isinstance(a0, str): return a0.strip(WS6)
    elif name in ('starts_with', 'ends_with'):
        if isinstance(a0, str) and len(args) > 1 and isinstance(args[1], str):
            return a0.startswith(args[1]) if name == 'starts_with' else a0.endswith(args[1])
    elif name == 'abs':
        if is_int(a0):
            if a0 == I64_MIN: fail('integer overflow')
            return abs(a0)
        if is_float(a0): return math.fabs(a0)
    elif name == '__regroup':
        # Generated only (nested `for`): the flat list cut into groups of the given sizes.
        out, k = [], 0
        for n in args[1]:
            out.append(a0[k:k + n])
            k += n
        return out
    elif name == 'raw':
        if args: return format_text(a0, types[0])
    fail('unexpected arguments')


# ---- main ---------------------------------------------------------------------
def array_segments(argv):
    segs, cur = [], []
    for a in argv:
        if a == LIST_END:
            segs.append(cur)
            cur = []
        else:
            cur.append(a)
    return segs


class MatrixLimit(Exception):
    pass


def main():
    global TYPES, EXPRS, MAX_LEN
    prog = json.loads(os.environ['FLOW_PROGRAM'])
    TYPES, EXPRS = prog['types'], prog['exprs']
    MAX_LEN = prog.get('max_length', MAX_LEN)
    where = prog.get('where', '')
    segs = array_segments(sys.argv[1:])
    try:
        for n, (enc, t, seg) in enumerate(prog['sources']):
            name = 'FLOW_S%d' % (n + 1)
            if enc == 'file':
                path = os.environ.get(name, '')
                if os.path.exists(path):
                    with open(path, encoding='utf-8', errors='surrogateescape', newline='') as f:
                        SOURCES.append(from_text(f.read(), t))
                else:
                    SOURCES.append(None)
            elif enc == 'array':
                et = TYPES[strip_opt(t)][1]
                SOURCES.append([from_text(x, et) for x in segs[seg]])
            else:
                SOURCES.append(from_text(os.environ.get(name, ''), t))
        ev = Evaluator()
        results = []
        for n, (e, mode) in enumerate(prog['outputs']):
            v = ev.ev(e)
            t = EXPRS[e][1]
            if mode in ('array', 'plainlist'):
                if v is None: v = []
                if mode == 'array' and 'matrix' in prog and len(v) > prog['matrix'][0]:
                    raise MatrixLimit('%s: this `for` runs over %d elements, more than the %d combinations %s'
                                      % (prog['matrix'][1], len(v), prog['matrix'][0], prog['matrix'][2]))
                each = tekton_text if mode == 'array' else format_text
                text = dump_json([each(x, elem_type(t)) for x in v])
            elif mode == 'plain':
                text = format_text(v, t)
            else:
                text = tekton_text(v, t)
            results.append(text)
    except MatrixLimit as err:
        sys.stderr.write('error: %s\n' % err)
        sys.exit(1)
    except Fail as err:
        sys.stderr.write('error: %s%s\n' % (where + ': ' if where else '', err))
        sys.exit(1)
    except RecursionError:
        sys.stderr.write('error: %sexpression nests too deeply\n' % (where + ': ' if where else ''))
        sys.exit(1)
    for n, text in enumerate(results):
        path = os.environ['FLOW_R%d' % (n + 1)]
        if os.path.dirname(path): os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, 'w', encoding='utf-8', errors='surrogateescape', newline='') as f:
            f.write(text)


if __name__ == '__main__':
    main()
)PY";

}  // namespace

const char* EvalScript() {
  static const std::string script = std::string(kEvalScriptValues) + kEvalScriptEval;
  return script.c_str();
}

}  // namespace flow::lower::tekton
