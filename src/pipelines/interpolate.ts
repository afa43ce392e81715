/**
 * `${NAME}` and `${NAME:-default}` in string values, from the environment; `$${` is a literal `${`.
 */
import { Scalar, isAlias, isMap, isScalar, isSeq, parse } from 'yaml';
import { type Source, keyName, startOf, whereOf } from './document.js';
import { type Key, formatPath } from './pointer.js';

/** Interpolates the document in place; each variable it cannot resolve is an issue at its `${`. */
export function interpolate(src: Source, env: NodeJS.ProcessEnv): void {
  const walk = (node: unknown, keys: Key[]): void => {
    if (!node || typeof node !== 'object' || isAlias(node) || src.fromSet.has(node)) return;
    if (isMap(node)) for (const p of node.items) walk(p.value, [...keys, keyName(p.key)]);
    else if (isSeq(node)) node.items.forEach((item, i) => walk(item, [...keys, i]));
    else if (isScalar(node) && typeof node.value === 'string' && node.value.includes('$')) {
      const { text, problems } = expand(node.value, env);
      for (const { ordinal, message } of problems) {
        const raw = node.range ? src.text.slice(node.range[0], node.range[1]) : '';
        const offset = referenceOffsets(raw)[ordinal] ?? 0;
        const where = whereOf(src, node, offset) ?? startOf(src);
        src.issues.push({ ...where, path: formatPath(keys), message });
        src.unresolved.add(node);
      }
      if (text === node.value || problems.length) return;
      node.value = text;
      // An unquoted `io: ${IO:-16}` means the number, as `io: 16` would; a quoted one stays a string.
      if (node.type === Scalar.PLAIN) {
        const typed = parseScalar(text);
        if (typeof typed === 'number' || typeof typed === 'boolean') node.value = typed;
      }
    }
  };
  walk(src.doc.contents, []);
}

function parseScalar(text: string): unknown {
  try {
    return parse(text);
  } catch {
    return text;
  }
}

/** Offsets of the `${` that start references (not the escaped `$${`), in order. */
function referenceOffsets(s: string): number[] {
  const out: number[] = [];
  for (let i = 0; i < s.length; i++) {
    if (s.startsWith('$${', i)) i += 2;
    else if (s.startsWith('${', i)) out.push(i);
  }
  return out;
}

/** A value with its references replaced; each problem names its reference by ordinal, to be located in the source text. */
function expand(s: string, env: NodeJS.ProcessEnv): { text: string; problems: { ordinal: number; message: string }[] } {
  const problems: { ordinal: number; message: string }[] = [];
  let text = '';
  let ordinal = 0;
  let i = 0;
  while (i < s.length) {
    const dollar = s.indexOf('$', i);
    if (dollar < 0) {
      text += s.slice(i);
      break;
    }
    text += s.slice(i, dollar);
    if (s.startsWith('$${', dollar)) {
      text += '${';
      i = dollar + 3;
      continue;
    }
    if (s[dollar + 1] !== '{') {
      text += '$';
      i = dollar + 1;
      continue;
    }
    const close = s.indexOf('}', dollar + 2);
    if (close < 0) {
      problems.push({ ordinal, message: `unterminated "\${" (write "$\${" for a literal "\${")` });
      text += s.slice(dollar);
      break;
    }
    const ref = s.slice(dollar, close + 1);
    const m = /^([A-Za-z_][A-Za-z0-9_]*)(?::-(.*))?$/s.exec(s.slice(dollar + 2, close));
    if (!m) {
      problems.push({ ordinal, message: `malformed "${ref}": expected \${NAME} or \${NAME:-default}` });
    } else {
      const [, name, fallback] = m;
      const value = env[name!];
      // As in the shell, `:-` also replaces a variable that is set but empty.
      if (value !== undefined && !(fallback !== undefined && value === '')) text += value;
      else if (fallback !== undefined) text += fallback;
      else problems.push({ ordinal, message: `environment variable ${name} is not set (set it, or write \${${name}:-default})` });
    }
    ordinal++;
    i = close + 1;
  }
  return { text, problems };
}
