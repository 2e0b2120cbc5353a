/**
 * Plain YAML scalars resolved as the Kubernetes API server resolves them.
 *
 * kubectl and the API server decode YAML with sigs.k8s.io/yaml, which reads it with go-yaml v2
 * into interface{} values and converts them to JSON. go-yaml v2 follows YAML 1.1 with its own
 * table (resolve.go): `y`/`yes`/`on` (three spellings each) are true, `n`/`no`/`off` false,
 * `0777` is octal, `0x`/`0o`/`0b` prefixes and `_` separators are accepted, base-60 numbers
 * are not, and timestamps stay strings. Mapping keys that resolve to non-strings become their
 * string form (`on:` is the key "true"). This module is that table as a js-yaml schema.
 */
import { binaryTag, defineMappingTag, defineScalarTag, defineSequenceTag, FAILSAFE_SCHEMA, mapTag, mergeTag, NOT_RESOLVED, seqTag, type Schema } from 'js-yaml';

export type GoScalar = { tag: 'null'; value: null } | { tag: 'bool'; value: boolean } | { tag: 'int' | 'float'; value: number } | { tag: 'str'; value: string } | { tag: 'merge'; value: '<<' };

const WORDS = new Map<string, GoScalar>();
for (const s of ['y', 'Y', 'yes', 'Yes', 'YES', 'true', 'True', 'TRUE', 'on', 'On', 'ON']) WORDS.set(s, { tag: 'bool', value: true });
for (const s of ['n', 'N', 'no', 'No', 'NO', 'false', 'False', 'FALSE', 'off', 'Off', 'OFF']) WORDS.set(s, { tag: 'bool', value: false });
for (const s of ['', '~', 'null', 'Null', 'NULL']) WORDS.set(s, { tag: 'null', value: null });
for (const s of ['.nan', '.NaN', '.NAN']) WORDS.set(s, { tag: 'float', value: NaN });
for (const s of ['.inf', '.Inf', '.INF', '+.inf', '+.Inf', '+.INF']) WORDS.set(s, { tag: 'float', value: Infinity });
for (const s of ['-.inf', '-.Inf', '-.INF']) WORDS.set(s, { tag: 'float', value: -Infinity });

/** go-yaml's hint table: only these first characters can start a non-string plain scalar. */
function hintOf(c: string): 'S' | 'D' | 'M' | '.' | undefined {
  if (c >= '0' && c <= '9') return 'D';
  if (c === '+' || c === '-') return 'S';
  if (c === '.') return '.';
  if ('yYnNtTfFoO~'.includes(c)) return 'M';
  return undefined;
}

const YAML_STYLE_FLOAT = /^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$/;
const DOT_FLOAT = /^\.[0-9]+([eE][-+]?[0-9]+)?$/;
const DEC = /^[0-9]+$/;
const OCT = /^[0-7]+$/;
const HEX = /^[0-9a-fA-F]+$/;
const BIN = /^[01]+$/;

/** Go's strconv.ParseInt(s, 0, 64), also accepting what ParseUint(s, 0, 64) accepts. */
function parseGoInt(s: string): number | undefined {
  let sign = 1;
  let body = s;
  if (body[0] === '+' || body[0] === '-') {
    if (body[0] === '-') sign = -1;
    body = body.slice(1);
  }
  if (body === '') return undefined;
  let digits: string;
  let radix: number;
  let re: RegExp;
  if (body.length > 1 && body[0] === '0') {
    const p = body[1];
    if (p === 'x' || p === 'X') [digits, radix, re] = [body.slice(2), 16, HEX];
    else if (p === 'o' || p === 'O') [digits, radix, re] = [body.slice(2), 8, OCT];
    else if (p === 'b' || p === 'B') [digits, radix, re] = [body.slice(2), 2, BIN];
    else [digits, radix, re] = [body.slice(1), 8, OCT];
  } else [digits, radix, re] = [body, 10, DEC];
  if (!re.test(digits)) return undefined;
  const big = BigInt(radix === 10 ? digits : `0${radix === 16 ? 'x' : radix === 8 ? 'o' : 'b'}${digits}`);
  // int64 for signed values; uint64 is tried only without a sign
  if (sign === 1 && s[0] !== '+' && s[0] !== '-' ? big > 0xffffffffffffffffn : big > (sign === 1 ? 0x7fffffffffffffffn : 0x8000000000000000n)) return undefined;
  return sign * Number(big);
}

/** The value go-yaml v2 gives an untagged plain scalar decoded into interface{}. */
export function resolveGoScalar(input: string): GoScalar {
  const hint = input === '' ? 'M' : hintOf(input[0]!);
  if (hint === undefined) return { tag: 'str', value: input };
  const word = WORDS.get(input);
  if (word) return word;
  if (hint === 'M') return { tag: 'str', value: input };
  if (hint === '.') {
    if (DOT_FLOAT.test(input)) return { tag: 'float', value: Number(input) };
    return { tag: 'str', value: input };
  }
  // digits or a sign: int, then float (timestamps stay strings when decoded into interface{})
  const plain = input.includes('_') ? input.replace(/_/g, '') : input;
  const int = parseGoInt(plain);
  if (int !== undefined) return { tag: 'int', value: int };
  if (YAML_STYLE_FLOAT.test(plain)) {
    const f = Number(plain);
    if (Number.isFinite(f)) return { tag: 'float', value: f };
  }
  return { tag: 'str', value: input };
}

let lastInput: string | undefined;
let lastResult: GoScalar = { tag: 'str', value: '' };
function cached(input: string): GoScalar {
  if (input !== lastInput) {
    lastResult = resolveGoScalar(input);
    lastInput = input;
  }
  return lastResult;
}

const NUMERIC_FIRST = ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9', '+', '-', '.'];
const never = (): boolean => false;

const nullTag = defineScalarTag<null>('tag:yaml.org,2002:null', {
  implicit: true,
  implicitFirstChars: ['', '~', 'n', 'N'],
  resolve: (s) => (cached(s).tag === 'null' ? null : NOT_RESOLVED),
  identify: (v) => v === null,
});
const boolTag = defineScalarTag<boolean>('tag:yaml.org,2002:bool', {
  implicit: true,
  implicitFirstChars: ['y', 'Y', 'n', 'N', 't', 'T', 'f', 'F', 'o', 'O'],
  resolve: (s) => {
    const r = cached(s);
    return r.tag === 'bool' ? r.value : NOT_RESOLVED;
  },
  identify: (v) => typeof v === 'boolean',
});
const intTag = defineScalarTag<number>('tag:yaml.org,2002:int', {
  implicit: true,
  implicitFirstChars: NUMERIC_FIRST,
  resolve: (s) => {
    const r = cached(s);
    return r.tag === 'int' ? r.value : NOT_RESOLVED;
  },
  identify: (v) => typeof v === 'number' && Number.isInteger(v),
});
const floatTag = defineScalarTag<number>('tag:yaml.org,2002:float', {
  implicit: true,
  implicitFirstChars: NUMERIC_FIRST,
  // an explicit !!float also accepts an int (go-yaml converts it)
  resolve: (s, explicit) => {
    const r = cached(s);
    return r.tag === 'float' || (explicit && r.tag === 'int') ? r.value : NOT_RESOLVED;
  },
  identify: (v) => typeof v === 'number',
});
/** `!!timestamp` decoded into interface{} keeps its text. */
const timestampAsString = defineScalarTag<string>('tag:yaml.org,2002:timestamp', { resolve: (s) => s, identify: never });
/** `!!binary` decodes base64 into a string of those bytes. */
const binaryAsString = defineScalarTag<string>('tag:yaml.org,2002:binary', {
  resolve: (s, explicit, tagName) => {
    const bytes = binaryTag.resolve(s, explicit, tagName);
    return bytes === NOT_RESOLVED ? NOT_RESOLVED : Buffer.from(bytes).toString('utf8');
  },
  identify: never,
});
/** Local tags (`!foo`) are ignored by go-yaml: the node decodes as if untagged. */
const localScalar = defineScalarTag<unknown>('!', { matchByTagPrefix: true, resolve: (s) => s, identify: never });
const localSeq = defineSequenceTag<unknown[]>('!', { matchByTagPrefix: true, create: () => [], addItem: (c, item) => void c.push(item), identify: never });
const localMap = defineMappingTag<Record<string, unknown>>('!', {
  matchByTagPrefix: true,
  create: (t) => mapTag.create(t),
  addPair: (c, k, v) => mapTag.addPair(c, k, v),
  has: (c, k) => mapTag.has(c, k),
  keys: (r) => mapTag.keys(r),
  get: (r, k) => mapTag.get(r, k),
  identify: never,
});

/** The schema the manifest source decodes YAML with. */
export const GO_YAML_SCHEMA: Schema = FAILSAFE_SCHEMA.withTags(nullTag, boolTag, intTag, floatTag, mergeTag, timestampAsString, binaryAsString, seqTag, mapTag, localScalar, localSeq, localMap);

/** The string a plain mapping key becomes once the API server has read it (`on` → "true"). */
export function plainKeyString(source: string): string {
  const r = cached(source);
  return r.tag === 'str' ? r.value : String(r.value);
}
