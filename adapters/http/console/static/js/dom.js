// Building DOM nodes by hand, so server data only ever lands in text nodes
// and attributes: the console never assigns HTML strings.

// h creates an element. tag may carry classes ("div.card.wide"); props sets
// attributes, "class", and on<event> listeners; children are nodes, strings,
// numbers, arrays of those, or null/false (skipped).
export function h(tag, props, ...children) {
  const [name, ...classes] = tag.split('.');
  const el = document.createElement(name || 'div');
  if (classes.length) el.className = classes.join(' ');
  for (const [key, value] of Object.entries(props || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (key.startsWith('on') && typeof value === 'function') {
      el.addEventListener(key.slice(2).toLowerCase(), value);
    } else if (key === 'class') {
      el.className = [el.className, value].filter(Boolean).join(' ');
    } else if (key === 'value' || key === 'checked' || key === 'disabled') {
      el[key] = value;
    } else {
      el.setAttribute(key, value === true ? '' : String(value));
    }
  }
  append(el, children);
  return el;
}

// append adds children as h does.
export function append(parent, children) {
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    parent.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return parent;
}

// replace empties parent and fills it with children.
export function replace(parent, ...children) {
  parent.replaceChildren();
  return append(parent, children);
}
