// Pretty-printed JSON with light syntax colouring, built as text nodes and
// spans (never HTML strings).

import { h } from './dom.js';

// Past this many characters of JSON, colouring costs more than it helps.
const COLOUR_LIMIT = 64 * 1024;

// jsonBlock renders value indented, in a <pre>.
export function jsonBlock(value, cls = '') {
  const pre = h('pre.json', { class: cls });
  const text = JSON.stringify(value, null, 2);
  if (text === undefined) return h('pre.json.muted', {}, 'undefined');
  if (text.length > COLOUR_LIMIT) {
    pre.textContent = text;
    return pre;
  }
  write(pre, value, '');
  return pre;
}

// compact is the one-line form, cut at max characters.
export function compact(value, max = 240) {
  const text = JSON.stringify(value);
  if (text === undefined) return '';
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

function write(out, value, indent) {
  if (value === null) return out.append(span('j-null', 'null'));
  switch (typeof value) {
    case 'string':
      return out.append(span('j-str', JSON.stringify(value)));
    case 'number':
      return out.append(span('j-num', String(value)));
    case 'boolean':
      return out.append(span('j-bool', String(value)));
    default:
      break;
  }
  const inner = `${indent}  `;
  if (Array.isArray(value)) {
    if (value.length === 0) return out.append('[]');
    out.append('[\n');
    value.forEach((v, i) => {
      out.append(inner);
      write(out, v, inner);
      out.append(i < value.length - 1 ? ',\n' : '\n');
    });
    return out.append(`${indent}]`);
  }
  const keys = Object.keys(value);
  if (keys.length === 0) return out.append('{}');
  out.append('{\n');
  keys.forEach((k, i) => {
    out.append(inner, span('j-key', JSON.stringify(k)), ': ');
    write(out, value[k], inner);
    out.append(i < keys.length - 1 ? ',\n' : '\n');
  });
  return out.append(`${indent}}`);
}

function span(cls, text) {
  const s = document.createElement('span');
  s.className = cls;
  s.textContent = text;
  return s;
}
