// Messages as the protocol returns them, and as the console shows them.

import { h } from './dom.js';
import { ago, time } from './format.js';
import { jsonBlock } from './json.js';
import { href } from './router.js';

// fromStreamRow reads a stream.get row:
// [id, type, position, globalPosition, data, metadata, time].
export function fromStreamRow(stream, r) {
  return { id: r[0], stream, type: r[1], position: r[2], globalPosition: r[3], data: r[4], metadata: r[5], time: r[6] };
}

// fromCategoryRow reads a category.get row:
// [id, streamName, type, position, globalPosition, data, metadata, time].
export function fromCategoryRow(r) {
  return { id: r[0], stream: r[1], type: r[2], position: r[3], globalPosition: r[4], data: r[5], metadata: r[6], time: r[7] };
}

// messageCard shows one message in full: positions, type, time, and its
// data and metadata pretty-printed. withStream adds a link to its stream.
export function messageCard(ns, m, { withStream = false } = {}) {
  return h('article.message', { 'data-position': m.position, 'data-global-position': m.globalPosition },
    h('header.message-head', {},
      h('span.pos', { title: 'Position in its stream' }, h('span.pos-label', {}, 'pos'), String(m.position)),
      h('span.gpos', { title: 'Global position in the namespace' }, h('span.pos-label', {}, 'global'), String(m.globalPosition)),
      h('span.message-type', {}, m.type),
      withStream ? h('a.message-stream.mono', { href: href(['ns', ns, 'streams', m.stream], { from: m.position }) }, m.stream) : null,
      h('time.message-time', { datetime: m.time, title: `${m.time} (${ago(m.time)})` }, time(m.time))),
    h('div.message-body', {},
      h('div.message-part', {}, h('div.part-label', {}, 'data'), jsonBlock(m.data)),
      h('div.message-part', {}, h('div.part-label', {}, 'metadata'),
        m.metadata === null || m.metadata === undefined ? h('pre.json.muted', {}, 'null') : jsonBlock(m.metadata))),
    h('footer.message-foot', {}, h('span.muted', {}, 'id '), h('span.mono.selectable', {}, m.id)));
}
