// Formatting of numbers and the server's RFC 3339 timestamps.

const numbers = new Intl.NumberFormat('en-US');

export function count(n) {
  return typeof n === 'number' ? numbers.format(n) : '—';
}

// time shows a timestamp in local time with milliseconds:
// 2026-01-15 10:30:00.123.
export function time(iso) {
  if (!iso) return '—';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const p = (n, w = 2) => String(n).padStart(w, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ` +
    `${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}.${p(d.getMilliseconds(), 3)}`;
}

// ago says how long ago a timestamp was: "just now", "5 min ago".
export function ago(iso, now = Date.now()) {
  if (!iso) return 'never';
  const t = new Date(iso).getTime();
  if (Number.isNaN(t)) return '';
  const s = Math.max(0, Math.round((now - t) / 1000));
  if (s < 5) return 'just now';
  if (s < 60) return `${s} s ago`;
  const m = Math.round(s / 60);
  if (m < 60) return `${m} min ago`;
  const h = Math.round(m / 60);
  if (h < 48) return `${h} h ago`;
  return `${Math.round(h / 24)} days ago`;
}

// category is the part of a stream name before its first "-".
export function category(stream) {
  const i = stream.indexOf('-');
  return i < 0 ? stream : stream.slice(0, i);
}
